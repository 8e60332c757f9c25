from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

__all__ = [
    "MemorySnapshot",
    "Snapshot",
    "SnapshotReadError",
    "WorktreeSnapshot",
    "blob_id",
    "stem",
]

# Directories never part of a network repository's content.
_SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "node_modules"})


class SnapshotReadError(OSError):
    """A listed path could not be read (a directory, a permission problem, a vanished file)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@runtime_checkable
class Snapshot(Protocol):
    """Files of a repository at one revision, by repo-relative `/` path."""

    @property
    def label(self) -> str:
        """Where this snapshot comes from, for messages (a directory, `HEAD~1`)."""

    def files(self, prefix: str = "") -> list[str]:
        """Sorted paths under `prefix` (a folder like `devices/`, or '' for all)."""

    def read(self, path: str) -> bytes:
        """The content of `path`; raises SnapshotReadError when it cannot."""

    def blob_id(self, path: str) -> str:
        """git's blob id of the content: equal content, equal id, across revisions."""


def stem(path: str) -> str:
    """`devices/hq/r1.yaml` -> `r1` (PurePosixPath(path).stem, without its cost in loops)."""
    name = path.rpartition("/")[2]
    head, dot, _ = name.rpartition(".")
    return head if dot and head else name


def blob_id(data: bytes) -> str:
    """git's object id for a blob (`git hash-object`), computed in-process."""
    header = b"blob %d\0" % len(data)
    return hashlib.sha1(header + data, usedforsecurity=False).hexdigest()


class WorktreeSnapshot:
    """A directory on disk, as it is now."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._listing: list[str] | None = None

    @property
    def label(self) -> str:
        return str(self.root)

    def files(self, prefix: str = "") -> list[str]:
        if self._listing is None:
            self._listing = sorted(self._walk())
        if not prefix:
            return list(self._listing)
        return [p for p in self._listing if p.startswith(prefix)]

    def read(self, path: str) -> bytes:
        target = self._resolve(path)
        try:
            return target.read_bytes()
        except IsADirectoryError:
            raise SnapshotReadError(path, "is a directory, not a file") from None
        except FileNotFoundError:
            raise SnapshotReadError(path, "no such file") from None
        except OSError as exc:
            raise SnapshotReadError(path, exc.strerror or str(exc)) from None

    def blob_id(self, path: str) -> str:
        return blob_id(self.read(path))

    def _resolve(self, path: str) -> Path:
        # Refuse anything that would leave the repository (`..`, absolute paths, symlinks out).
        target = (self.root / path).resolve()
        if target != self.root and self.root not in target.parents:
            raise SnapshotReadError(path, "is outside the repository")
        return target

    def _walk(self) -> Iterable[str]:
        root = str(self.root)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS and not d.startswith(".")]
            rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
            base = "" if rel == "." else rel + "/"
            yield from (base + name for name in filenames)
            # A directory named like a data file (`devices/r1.yaml/`) is listed so that
            # readers report it instead of silently skipping it.
            yield from (base + d for d in dirnames if d.endswith((".yaml", ".yml")))


class MemorySnapshot:
    """Files held in memory: tests, generated repositories, other tools."""

    def __init__(self, files: Mapping[str, str | bytes], *, label: str = "<memory>") -> None:
        self._files = {
            path: content.encode() if isinstance(content, str) else content
            for path, content in files.items()
        }
        self._label = label

    @property
    def label(self) -> str:
        return self._label

    def files(self, prefix: str = "") -> list[str]:
        return sorted(p for p in self._files if p.startswith(prefix))

    def read(self, path: str) -> bytes:
        try:
            return self._files[path]
        except KeyError:
            raise SnapshotReadError(path, "no such file") from None

    def blob_id(self, path: str) -> str:
        return blob_id(self.read(path))
