"""The repository at a revision: which files exist and what they hold.

Nothing above this layer opens files. A `Snapshot` lists repo-relative `/`
paths and reads their bytes; `WorktreeSnapshot` reads a directory on disk,
`GitSnapshot` reads any git revision without a checkout,
`MemorySnapshot` serves tests and tools that hold files in memory.

Every snapshot reads only the files it lists, and follows one rule for symlinks: a
link is read only when it points, by a relative path inside the repository, to a
listed (tracked, or in a work tree not ignored) regular file outside `.git/`, and its
content id is then the target's. Any other link is listed, and reading it raises a
SnapshotReadError with `code` U111, naming the link; its target is never opened.
"""

from __future__ import annotations

from unet.source._git import (
    GitSnapshot,
    GitWorktreeSnapshot,
    RevisionError,
    changed_since,
    commit_files,
    init_repository,
    is_git_repository,
    merge_base,
    resolve_revision_range,
    worktree_snapshot,
)
from unet.source._snapshot import (
    MemorySnapshot,
    Snapshot,
    SnapshotReadError,
    WorktreeSnapshot,
    blob_id,
    stem,
)

__all__ = [
    "GitSnapshot",
    "GitWorktreeSnapshot",
    "MemorySnapshot",
    "RevisionError",
    "Snapshot",
    "SnapshotReadError",
    "WorktreeSnapshot",
    "blob_id",
    "changed_since",
    "commit_files",
    "init_repository",
    "is_git_repository",
    "merge_base",
    "resolve_revision_range",
    "stem",
    "worktree_snapshot",
]
