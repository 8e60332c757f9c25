"""The index database: one SQLite file per repository in the user cache directory.

It is a cache: deleting it loses nothing. Writers use transactions in WAL mode, so a
second unet process (pre-commit runs hooks in parallel) waits instead of corrupting
it, and readers never see half a write. A database that cannot be read (truncated,
corrupted, another format) is moved aside and rebuilt, with a warning; a unet upgrade
or a schema change empties it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from unet import __version__
from unet.paths import cache_dir

__all__ = ["SCHEMA_VERSION", "Index", "index_path", "open_index", "transaction"]

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 60_000

# table -> (columns, primary key). Bodies are marshal-encoded plain data.
_TABLES: dict[str, tuple[dict[str, type], tuple[str, ...]]] = {
    "meta": ({"key": str, "value": str}, ("key",)),
    # a parsed and validated YAML file, by content id and kind (device, group, ...)
    "documents": ({"blob": str, "kind": str, "body": bytes}, ("blob", "kind")),
    # one device's findings, with the ids of everything its evaluation read
    "device_results": ({"device": str, "inputs": str, "body": bytes}, ("device",)),
    # a whole run's report, by the state of the repository and the options
    "runs": ({"key": str, "body": bytes, "created": float}, ("key",)),
}


def index_path(root: Path) -> Path:
    """Where the index of the repository at `root` lives (UNET_CACHE_DIR overrides)."""
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / "index" / f"{root.resolve().name}-{digest}.sqlite"


@dataclass
class Index:
    path: Path
    connection: sqlite3.Connection
    warnings: list[str] = field(default_factory=list)

    def get(self, table: str, key_column: str, key: str) -> bytes | None:
        row = self.connection.execute(
            f"SELECT body FROM {table} WHERE {key_column} = ?", (key,)).fetchone()
        return bytes(row[0]) if row else None

    def close(self) -> None:
        self.connection.close()


def open_index(root: Path) -> Index:
    """Open (creating, upgrading or rebuilding as needed) the index of `root`."""
    path = index_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    warnings: list[str] = []
    try:
        connection = _connect(path)
        _prepare(connection)
    except sqlite3.DatabaseError as exc:
        warnings.append(f"the index at {path} could not be read ({exc}); rebuilding it")
        _move_aside(path)
        connection = _connect(path)
        _prepare(connection)
    return Index(path, connection, warnings)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def _prepare(connection: sqlite3.Connection) -> None:
    """Check the stamp; (re)create the tables when unet or the schema changed."""
    stamp = f"{SCHEMA_VERSION}:{__version__}"
    try:
        row = connection.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
    except sqlite3.OperationalError:  # a new database: no tables yet
        row = None
    if row is None or row[0] != stamp:
        _create(connection, stamp)
    # A truncated or corrupted file often opens fine and fails on the first page read.
    connection.execute("SELECT count(*) FROM documents").fetchone()


def _create(connection: sqlite3.Connection, stamp: str) -> None:
    import sqlite_utils  # only when (re)building: the warm path never needs it

    database = sqlite_utils.Database(connection)
    with transaction(connection):
        for name, (columns, pk) in _TABLES.items():
            database.table(name).drop(ignore=True)
            database.table(name).create(columns, pk=pk if len(pk) > 1 else pk[0])
        connection.execute("INSERT INTO meta VALUES ('stamp', ?)", (stamp,))


class transaction:
    """BEGIN IMMEDIATE ... COMMIT (or ROLLBACK): one writer at a time, all or nothing."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        self.connection.execute("BEGIN IMMEDIATE")
        return self.connection

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self.connection.execute("COMMIT" if kind is None else "ROLLBACK")


def _move_aside(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        damaged = path.with_name(path.name + suffix)
        if damaged.exists():
            damaged.replace(damaged.with_name(f"{damaged.name}.broken-{int(time.time())}"))
