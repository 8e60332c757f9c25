"""The repository at a revision: which files exist and what they hold.

Nothing above this layer opens files. A `Snapshot` lists repo-relative `/`
paths and reads their bytes; `WorktreeSnapshot` reads a directory on disk,
`MemorySnapshot` serves tests and tools that hold files in memory.
"""

from __future__ import annotations

from unet.source._git import init_repository, is_git_repository
from unet.source._snapshot import (
    MemorySnapshot,
    Snapshot,
    SnapshotReadError,
    WorktreeSnapshot,
    blob_id,
)

__all__ = [
    "MemorySnapshot",
    "Snapshot",
    "SnapshotReadError",
    "WorktreeSnapshot",
    "blob_id",
    "init_repository",
    "is_git_repository",
]
