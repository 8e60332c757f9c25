"""What `unet index status|clear` show and do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from unet.index._db import index_path

__all__ = ["clear_index", "index_stats"]


def index_stats(root: Path) -> dict[str, str]:
    path = index_path(root)
    stats = {"repository": str(root), "index": str(path)}
    if not path.exists():
        stats["state"] = "not built yet (the next check builds it)"
        return stats
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    stats["size"] = f"{size / 1024 / 1024:.1f} MiB"
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        with connection:
            for table, label in (("documents", "parsed files"), ("device_results", "devices"),
                                 ("runs", "stored runs")):
                count = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                stats[label] = str(count)
            stamp = connection.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
            stats["format"] = stamp[0] if stamp else "unknown"
        connection.close()
    except sqlite3.DatabaseError as exc:
        stats["state"] = f"unreadable ({exc}); the next check rebuilds it"
    return stats


def clear_index(root: Path) -> str | None:
    """Delete the index files; the path removed, or None when there was none."""
    path = index_path(root)
    removed = None
    for file in path.parent.glob(path.name + "*"):
        file.unlink(missing_ok=True)
        removed = str(path)
    return removed
