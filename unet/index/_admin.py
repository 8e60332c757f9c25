"""What `unet index status|clear` show and do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from unet.index._db import _TABLES, IndexDamaged, _check, index_path, stamp, unseal

__all__ = ["clear_index", "index_stats"]

_COUNTED = (("documents", "parsed files"), ("device_results", "devices"), ("runs", "stored runs"))


def index_stats(root: Path) -> dict[str, str]:
    """Where the index is, what it holds and whether it is whole (`state`: `ok`, or what is
    wrong and what the next run does about it). Reads every entry: it takes a moment."""
    path = index_path(root)
    stats = {"repository": str(root), "index": str(path)}
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        stats["state"] = (f"unusable: {blocker} is a file, not a folder (runs do without the "
                          "index; point UNET_CACHE_DIR at a folder)")
        return stats
    if not path.exists() and not path.is_symlink():
        stats["state"] = "not built yet (the next check builds it)"
        return stats
    if not path.is_file():
        stats["state"] = "unusable: not a file (runs do without the index; remove it)"
        return stats
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    stats["size"] = f"{size / 1024 / 1024:.1f} MiB"
    connection = _open(path)
    if connection is None:
        stats["state"] = "unreadable (the next check moves it aside and rebuilds it)"
        return stats
    try:
        stats.update(_contents(connection))
    except (sqlite3.DatabaseError, UnicodeError) as exc:
        stats["state"] = f"damaged ({exc}); the next check moves it aside and rebuilds it"
    finally:
        connection.close()
    return stats


def _open(path: Path) -> sqlite3.Connection | None:
    for query in ("mode=ro", "mode=ro&immutable=1"):  # a read-only cache folder needs the 2nd
        try:
            connection = sqlite3.connect(f"file:{path}?{query}", uri=True)
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return connection
        except sqlite3.DatabaseError:
            continue
    return None


def _contents(connection: sqlite3.Connection) -> dict[str, str]:
    found: dict[str, str] = {}
    row = connection.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
    found["format"] = row[0] if row else "unknown"
    if found["format"] != stamp():
        found["state"] = (f"made by another unet or Python (this one writes {stamp()}); the "
                          "next check empties it")
        return found
    _check(connection, stamp())
    for table, label in _COUNTED:
        found[label] = str(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    problems = [str(r[0]) for r in connection.execute("PRAGMA quick_check")]
    bad = _failing_entries(connection)
    if problems != ["ok"]:
        found["state"] = (f"damaged (SQLite: {'; '.join(problems[:3])}); the next check "
                          "moves it aside and rebuilds it")
    elif bad:
        found["state"] = (f"damaged ({bad} stored entries fail their checksum: never used; the "
                          "next check that meets one moves the index aside and rebuilds it, "
                          "`unet index rebuild` does it now)")
    else:
        found["state"] = "ok (every entry matches its checksum)"
    return found


def _failing_entries(connection: sqlite3.Connection) -> int:
    bad = 0
    for table, (_, _, keyed) in _TABLES.items():
        if not keyed:
            continue
        for *key, body in connection.execute(f"SELECT {', '.join(keyed)}, body FROM {table}"):
            try:
                if not isinstance(body, bytes):
                    raise IndexDamaged(table)
                unseal([str(k) for k in key], body)
            except IndexDamaged:
                bad += 1
    return bad


def clear_index(root: Path) -> str | None:
    """Delete the index files; the path removed, or None when there was none."""
    path = index_path(root)
    removed = None
    try:
        for file in path.parent.glob(path.name + "*"):
            file.unlink(missing_ok=True)
            removed = str(path)
    except OSError:
        return None
    return removed
