"""The index database: one SQLite file per repository in the user cache directory.

It is a cache: deleting it loses nothing, and nothing that goes wrong with it stops a
run. Writers use transactions in WAL mode, so a second unet process (pre-commit runs
hooks in parallel) waits instead of corrupting it, and readers never see half a write.

Every stored body carries a checksum of its key and its bytes; a body that fails it is
never answered from. Whatever is wrong with the index is a warning (I1xx) and the run
goes on without it, with the same results:

- damaged (truncated, garbage, a missing table, a body that fails its checksum,
  `database disk image is malformed` at any point of a run): moved aside, rebuilt;
- cannot be written (a read-only cache, a full disk, a locked database): read as it
  is, nothing stored;
- cannot be opened at all (UNET_CACHE_DIR a file, a folder that cannot be made):
  the run does without it.

A unet upgrade, another Python version or a schema change empties it.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from unet import __version__
from unet.paths import cache_dir

__all__ = ["SCHEMA_VERSION", "Index", "IndexDamaged", "index_path", "open_index",
           "transaction"]

# 4: file diagnostics from unet's own schemas; 5: rules not evaluated; 6: device names
# checked; 7: line separators and C1 controls refused in rendered values (T116)
SCHEMA_VERSION = 9
BUSY_TIMEOUT_MS = 60_000
DIGEST_BYTES = 16
KEEP_BROKEN = 1  # damaged databases kept aside for a bug report

# Diagnostic codes of the index's own warnings (docs/troubleshooting.md).
DAMAGED = "I100"  # could not be read or verified: moved aside and rebuilt (or not used)
UNAVAILABLE = "I101"  # cannot be created or opened: the run goes on without it
NOT_STORED = "I102"  # cannot be written (read-only, disk full, locked): nothing stored

# table -> (columns, primary key, key columns covered by the checksum). Bodies are a
# checksum followed by marshal-encoded plain data.
_TABLES: dict[str, tuple[dict[str, type], tuple[str, ...], tuple[str, ...]]] = {
    "meta": ({"key": str, "value": str}, ("key",), ()),
    # a parsed and validated YAML file, by content id and kind (device, group, ...)
    "documents": ({"blob": str, "kind": str, "body": bytes}, ("blob", "kind"),
                  ("blob", "kind")),
    # one device's findings, with the ids of everything its evaluation read
    "device_results": ({"device": str, "inputs": str, "body": bytes}, ("device",),
                       ("device", "inputs")),
    # one device's template diagnostics (`unet validate`), by the ids of what it read
    "device_renders": ({"device": str, "inputs": str, "body": bytes}, ("device",),
                       ("device", "inputs")),
    # a whole run's report, by the state of the repository and the options
    "runs": ({"key": str, "body": bytes, "created": float}, ("key",), ("key",)),
}


class IndexDamaged(Exception):
    """A stored body failed its checksum or could not be decoded."""


# What reading a damaged file can raise: SQLite's errors, and text that is not UTF-8.
_BROKEN = (sqlite3.Error, UnicodeError)


def index_path(root: Path) -> Path:
    """Where the index of the repository at `root` lives (UNET_CACHE_DIR overrides)."""
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / "index" / f"{root.resolve().name}-{digest}.sqlite"


def stamp() -> str:
    """What the bodies' encoding depends on: the schema, unet, Python's marshal format."""
    return (f"{SCHEMA_VERSION}:{__version__}:py{sys.version_info[0]}.{sys.version_info[1]}"
            f":m{marshal.version}")


def _digest(key: Sequence[str], payload: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=DIGEST_BYTES)
    for part in key:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    h.update(payload)
    return h.digest()


def seal(key: Sequence[str], payload: bytes) -> bytes:
    """A body as stored: the checksum of its key and payload, then the payload."""
    return _digest(key, payload) + payload


def unseal(key: Sequence[str], body: bytes) -> bytes:
    """The payload of a stored body; IndexDamaged when it is not what was written."""
    payload = body[DIGEST_BYTES:]
    if len(body) < DIGEST_BYTES or _digest(key, payload) != body[:DIGEST_BYTES]:
        raise IndexDamaged("fails its checksum")
    return payload


@dataclass
class Index:
    """The open index of one repository; every method survives a broken database.

    `usable` is False once the database could not be used (then every lookup misses
    and every write is skipped); `writable` is False when nothing can be stored.
    """

    path: Path
    connection: sqlite3.Connection | None = None
    warnings: list[str] = field(default_factory=list)
    writable: bool = True
    damaged: bool = False  # found broken during the run: moved aside on close

    @property
    def usable(self) -> bool:
        return self.connection is not None and not self.damaged

    # ---- reading ---------------------------------------------------------------------

    def get(self, table: str, key_column: str, key: str) -> bytes | None:
        """The verified payload stored under one key (a one-column key), or None."""
        return self.lookup(table, (key,))

    def lookup(self, table: str, key: Sequence[str]) -> bytes | None:
        """The verified payload under the full key of `table` (its checksummed columns)."""
        columns = _TABLES[table][2]
        where = " AND ".join(f"{c} = ?" for c in columns)
        rows = self._query(f"SELECT {', '.join(columns)}, body FROM {table} WHERE {where}",
                           tuple(key))
        for row in rows:
            return self._payload(table, row)
        return None

    def rows(self, table: str, column: str | None = None, values: Iterable[str] = (),
             ) -> Iterator[tuple[tuple[str, ...], bytes]]:
        """(key, verified payload) of every row, or of those whose `column` is in `values`.

        Stops (the index is marked damaged) at the first row that fails its checksum.
        """
        columns = _TABLES[table][2]
        select = f"SELECT {', '.join(columns)}, body FROM {table}"
        if column is None:
            chunks: list[tuple[str, ...]] = [()]
        else:
            wanted = sorted(set(values))
            chunks = [tuple(wanted[i:i + 500]) for i in range(0, len(wanted), 500)]
        for chunk in chunks:
            query = select if column is None else \
                f"{select} WHERE {column} IN ({', '.join('?' * len(chunk))})"
            for row in self._query(query, chunk):
                payload = self._payload(table, row)
                if payload is None:
                    return
                yield tuple(str(k) for k in row[:-1]), payload

    def _query(self, sql: str, args: tuple[str, ...]) -> list[tuple[object, ...]]:
        if not self.usable:
            return []
        assert self.connection is not None
        try:
            return self.connection.execute(sql, args).fetchall()
        except _BROKEN as exc:
            self._trouble(exc)
            return []

    def _payload(self, table: str, row: tuple[object, ...]) -> bytes | None:
        *key, body = row
        try:
            if not all(isinstance(k, str) for k in key) or not isinstance(body, bytes):
                raise IndexDamaged("has the wrong type")
            return unseal([str(k) for k in key], body)
        except IndexDamaged as exc:
            self.mark_damaged(f"an entry of {table} {exc}")
            return None

    # ---- writing ---------------------------------------------------------------------

    def put(self, table: str, rows: Iterable[Sequence[object]]) -> bool:
        """Store rows (every column in order; `body` given as the payload) in one
        transaction; False when nothing could be stored."""
        if not (self.usable and self.writable):
            return False
        columns, _, keyed = _TABLES[table]
        names = list(columns)
        sealed = []
        for row in rows:
            values = dict(zip(names, row, strict=True))
            payload = values["body"]
            assert isinstance(payload, bytes)
            values["body"] = seal([str(values[k]) for k in keyed], payload)
            sealed.append(tuple(values[n] for n in names))
        if not sealed:
            return True
        assert self.connection is not None
        placeholders = ", ".join("?" * len(names))
        try:
            with transaction(self.connection) as connection:
                connection.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({placeholders})",
                                       sealed)
        except _BROKEN as exc:
            self._trouble(exc)
            return False
        return True

    # ---- trouble -----------------------------------------------------------------------

    def mark_damaged(self, reason: str) -> None:
        """Stop using the index for this run; it is moved aside (and rebuilt) on close."""
        if not self.damaged:
            self.damaged = True
            self.warnings.append(f"{DAMAGED} the index at {self.path} is damaged ({reason}); "
                                 "this run does without it, the next one rebuilds it")

    def _trouble(self, exc: Exception) -> None:
        kind = classify(exc)
        if kind == "damaged":
            self.mark_damaged(str(exc))
        elif self.writable:
            self.writable = False
            self.warnings.append(f"{NOT_STORED} the index at {self.path} cannot be written "
                                 f"({exc}); results of this run are not stored")

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self.connection.close()
            self.connection = None
        if self.damaged and self.writable:
            move_aside(self.path)


def classify(exc: Exception) -> str:
    """'damaged' (rebuild it), or 'unwritable' (read-only, full, locked: leave it be)."""
    if not isinstance(exc, sqlite3.Error):
        return "damaged"
    text = str(exc).lower()
    if any(word in text for word in ("readonly", "read-only", "disk is full", "locked",
                                     "unable to open", "disk i/o", "out of memory",
                                     "permission")):
        return "unwritable"
    return "damaged"


def open_index(root: Path) -> Index:
    """Open (creating, upgrading or rebuilding as needed) the index of `root`.

    Never raises: an index that cannot be used is returned unusable, with a warning.
    """
    path = index_path(root)
    index = Index(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        index.warnings.append(f"{UNAVAILABLE} cannot create the index folder {path.parent} "
                              f"({exc.strerror or exc}); this run does without the index")
        return index
    if path.is_symlink() or (os.path.lexists(path) and not path.is_file()):
        # unet only ever writes a regular file there (a link to /dev/null, a folder...)
        index.warnings.append(f"{DAMAGED} the index at {path} is not a regular file; it was "
                              "moved aside and rebuilt")
        move_aside(path)
    problem: Exception
    try:
        index.connection = _open_writable(path)
        return index
    except _BROKEN as exc:
        problem = exc
    if classify(problem) == "damaged":
        move_aside(path)
        try:
            index.connection = _open_writable(path)
            index.warnings.append(f"{DAMAGED} the index at {path} could not be read "
                                  f"({problem}); it was moved aside and rebuilt")
            return index
        except _BROKEN as again:
            index.warnings.append(f"{DAMAGED} the index at {path} could not be read "
                                  f"({problem}) and cannot be rebuilt ({again})")
            problem = again
    _open_read_only(index, problem)
    return index


def _open_writable(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        _prepare(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def _open_read_only(index: Index, reason: Exception) -> None:
    """A cache restored read-only (CI): use what it holds, store nothing."""
    index.writable = False
    if index.path.is_file():
        for query in ("mode=ro", "mode=ro&immutable=1"):
            try:
                connection = sqlite3.connect(f"file:{index.path}?{query}", uri=True,
                                             isolation_level=None)
            except sqlite3.Error:
                continue
            try:
                _check(connection, stamp())
            except _BROKEN:
                connection.close()
                continue
            index.connection = connection
            index.warnings.append(f"{NOT_STORED} the index at {index.path} cannot be written "
                                  f"({reason}); it is read as it is, and this run stores "
                                  "nothing")
            return
    index.warnings.append(f"{UNAVAILABLE} the index at {index.path} cannot be opened "
                          f"({reason}); this run does without the index")


def _prepare(connection: sqlite3.Connection) -> None:
    """Check the stamp and the tables; (re)create them when unet or the schema changed."""
    current = stamp()
    try:
        row = connection.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
        row = None  # a new database: no tables yet
    if row is None or row[0] != current:
        _create(connection, current)
    _check(connection, current)


def _check(connection: sqlite3.Connection, current: str) -> None:
    """Raise DatabaseError unless the stamp is current and every table is whole."""
    row = connection.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
    if row is None or row[0] != current:
        raise sqlite3.DatabaseError("the index is of another unet or schema version")
    for name, (columns, _, _) in _TABLES.items():
        cursor = connection.execute(f"SELECT * FROM {name} LIMIT 0")
        if [c[0] for c in cursor.description] != list(columns):
            raise sqlite3.DatabaseError(f"table {name} has other columns")
    # A truncated or corrupted file often opens fine and fails on the first page read.
    connection.execute("SELECT count(*) FROM documents").fetchone()


_SQL_TYPES = {str: "TEXT", bytes: "BLOB", float: "REAL", int: "INTEGER"}


def _create(connection: sqlite3.Connection, current: str) -> None:
    # Plain DDL (the tables sqlite_utils would make): a first run does not import it.
    with transaction(connection):
        for name, (columns, pk, _) in _TABLES.items():
            connection.execute(f'DROP TABLE IF EXISTS "{name}"')
            connection.execute(_table_sql(name, columns, pk))
        connection.execute("INSERT INTO meta VALUES ('stamp', ?)", (current,))


def _table_sql(name: str, columns: dict[str, type], pk: tuple[str, ...]) -> str:
    def quoted(identifier: str) -> str:
        return '"' + identifier + '"'

    single = pk[0] if len(pk) == 1 else None
    lines = [f"{quoted(column)} {_SQL_TYPES[kind]}" + (" PRIMARY KEY" if column == single else "")
             for column, kind in columns.items()]
    if single is None:
        lines.append(f"PRIMARY KEY ({', '.join(quoted(column) for column in pk)})")
    return f"CREATE TABLE {quoted(name)} (\n   " + ",\n   ".join(lines) + "\n)"


class transaction:
    """BEGIN IMMEDIATE ... COMMIT (or ROLLBACK): one writer at a time, all or nothing."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        self.connection.execute("BEGIN IMMEDIATE")
        return self.connection

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is None:
            self.connection.execute("COMMIT")
            return
        with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
            self.connection.execute("ROLLBACK")


def move_aside(path: Path) -> None:
    """Rename a damaged database (and its WAL files); keep the newest few for a report."""
    when = time.strftime("%Y%m%dT%H%M%S")
    try:
        for suffix in ("", "-wal", "-shm"):
            damaged = path.with_name(path.name + suffix)
            if os.path.lexists(damaged):
                damaged.replace(damaged.with_name(f"{damaged.name}.broken-{when}"))
            kept = sorted(path.parent.glob(f"{damaged.name}.broken-*"), reverse=True)
            for old in kept[KEEP_BROKEN:]:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # not ours to fix: the next open says what is wrong
