from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

__all__ = [
    "MemorySnapshot",
    "Snapshot",
    "SnapshotReadError",
    "WorktreeSnapshot",
    "blob_id",
    "follow_links",
    "stem",
    "unreadable_id",
]

# Directories never part of a network repository's content.
_SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "node_modules"})
# Diagnostic codes of the snapshot's own refusals (docs/troubleshooting.md).
REFUSED_LINK = "U111"  # a symlink whose target is not a file unet may read
NOT_LISTED = "U112"  # a path that exists but is not part of the repository (ignored, hidden)
MAX_LINKS = 40  # symlinks followed for one path, as the kernel's SYMLOOP_MAX
LINK_RULE = ("unet reads a symlink only when it points, by a relative path, to a tracked "
             "file of the repository outside .git/")


class SnapshotReadError(OSError):
    """A listed path could not be read (a directory, a permission problem, a vanished file),
    or was refused (`code` is then set: a symlink out of the repository, into .git/, ...)."""

    def __init__(self, path: str, reason: str, *, code: str | None = None) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.code = code


@runtime_checkable
class Snapshot(Protocol):
    """Files of a repository at one revision, by repo-relative `/` path.

    A symlink is read only when it points (by a relative path, inside the repository)
    to a regular file the snapshot lists, never into `.git/`; its content and its id
    are the target's. Any other symlink is listed, and reading it raises a
    SnapshotReadError whose `code` names the refusal.
    """

    @property
    def label(self) -> str:
        """Where this snapshot comes from, for messages (a directory, `HEAD~1`)."""

    def files(self, prefix: str = "") -> list[str]:
        """Sorted paths under `prefix` (a folder like `devices/`, or '' for all)."""

    def read(self, path: str) -> bytes:
        """The content of `path`; raises SnapshotReadError when it cannot."""

    def blob_id(self, path: str) -> str:
        """git's blob id of the content: equal content, equal id, across revisions.

        Total over listed paths: one that cannot be read gets an `unreadable_id`.
        """

    def read_id(self, path: str) -> str | None:
        """The blob id computed from the bytes `read(path)` last returned; None when
        this snapshot never read the path, or the last read failed. What the index
        stores under an id must have been read under that id."""


def stem(path: str) -> str:
    """`devices/hq/r1.yaml` -> `r1` (PurePosixPath(path).stem, without its cost in loops)."""
    name = path.rpartition("/")[2]
    head, dot, _ = name.rpartition(".")
    return head if dot and head else name


def blob_id(data: bytes, *, sha256: bool = False) -> str:
    """git's object id for a blob (`git hash-object`), computed in-process; `sha256` for
    repositories in git's SHA-256 object format."""
    header = b"blob %d\0" % len(data)
    if sha256:
        return hashlib.sha256(header + data).hexdigest()
    return hashlib.sha1(header + data, usedforsecurity=False).hexdigest()


def unreadable_id(error: SnapshotReadError) -> str:
    """The id of a path that cannot be read: never a git id (it starts with `!`), and it
    changes with the reason, so a cached result can never stand for readable content."""
    digest = hashlib.sha1(f"{error.code}\0{error.reason}".encode(), usedforsecurity=False)
    return "!" + digest.hexdigest()


# ---- symlinks ------------------------------------------------------------------------

# What a path is, for the resolver: ("file" | "dir" | "link" | "missing" | "other", link text)
Lookup = Callable[[str], tuple[str, str]]


def _is_git_dir(part: str) -> bool:
    # `.GIT` is `.git` on case-insensitive file systems; Windows ignores trailing dots.
    return part.rstrip(". ").lower() == ".git" or part.lower().startswith(".git:")


def follow_links(path: str, lookup: Lookup) -> tuple[str, str | None]:
    """(the file `path` names after following every symlink in it, the first link's text,
    or None when no symlink was involved).

    Resolution stays inside the repository: a `..` above its root, an absolute link
    text, a `.git` component, a loop or a missing target raise SnapshotReadError
    (code U111). The result is a path whose every component is real; whether that
    file may be read is the caller's rule.
    """
    pending = path.split("/")[::-1]
    done: list[str] = []
    first: str | None = None
    first_at = ""
    hops = 0

    def refuse(why: str) -> SnapshotReadError:
        if first is None:
            shown = f"is a path that {why}"
        elif first_at == path:
            shown = f"is a symlink to '{first}' that {why}"
        else:
            shown = f"goes through the symlink '{first_at}' (to '{first}') that {why}"
        return SnapshotReadError(path, f"{shown} ({LINK_RULE})", code=REFUSED_LINK)

    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        if part == "..":
            if not done:
                raise refuse("points outside the repository")
            done.pop()
            continue
        if _is_git_dir(part):
            raise refuse("points into .git/")
        here = "/".join([*done, part])
        kind, text = lookup(here)
        if kind == "link":
            hops += 1
            if first is None:
                first, first_at = text, here
            if hops > MAX_LINKS:
                raise refuse(f"goes through more than {MAX_LINKS} symlinks (a loop)")
            if text.startswith(("/", "\\")) or (text[1:2] == ":" and text[:1].isalpha()):
                raise refuse("is an absolute path")
            pending.extend(text.replace("\\", "/").split("/")[::-1])
            continue
        if hops and kind == "missing":
            raise refuse("points to a file that does not exist")
        if pending and kind not in ("dir", "missing"):
            raise refuse("goes through something that is not a folder") if hops else \
                SnapshotReadError(path, "no such file")
        done.append(part)
    if not done:
        raise refuse("points at the repository itself")
    return "/".join(done), first


def check_target(path: str, target: str, first: str | None, kind: str,
                 listed: Callable[[str], bool]) -> None:
    """The rule for a listed path that went through symlinks: its target must be a regular
    file the snapshot lists (tracked, or not ignored in a work tree)."""
    if first is None:
        return
    why = ""
    if kind == "dir":
        why = "points to a folder, not a file"
    elif kind != "file":
        why = "points to something that is not a regular file"
    elif not listed(target):
        why = (f"points to '{target}', which is not a tracked file of the repository "
               "(ignored, or in a folder unet does not read)")
    if why:
        raise SnapshotReadError(path, f"is a symlink to '{first}' that {why} ({LINK_RULE})",
                                code=REFUSED_LINK)


def _disk_lookup(root: str) -> Lookup:
    def lookup(relative: str) -> tuple[str, str]:
        full = os.path.join(root, relative)
        try:
            mode = os.lstat(full).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return "missing", ""
        except OSError:
            return "other", ""
        if stat.S_ISLNK(mode):
            try:
                return "link", os.readlink(full)
            except OSError:
                return "other", ""
        if stat.S_ISDIR(mode):
            return "dir", ""
        return ("file" if stat.S_ISREG(mode) else "other"), ""

    return lookup


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | \
    getattr(os, "O_BINARY", 0)


MAX_READ_BYTES = 32 * 1024 * 1024  # no file unet reads may be larger (configs' own limit)


def too_large(path: str, size: int) -> SnapshotReadError:
    return SnapshotReadError(path, f"is {size / 2**20:.1f} MiB, over the "
                             f"{MAX_READ_BYTES // 2**20} MiB unet reads of any file")


def read_regular(full: str, path: str) -> bytes:
    """The bytes of a regular file, never through a symlink, never a FIFO or a device, never
    more than MAX_READ_BYTES (a 400 MB file in a pull request is refused, not loaded)."""
    try:
        fd = os.open(full, _OPEN_FLAGS)
    except IsADirectoryError:
        raise SnapshotReadError(path, "is a directory, not a file") from None
    except FileNotFoundError:
        raise SnapshotReadError(path, "no such file") from None
    except OSError as exc:
        raise SnapshotReadError(path, exc.strerror or str(exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise SnapshotReadError(path, "is a directory, not a file")
        if not stat.S_ISREG(mode):
            raise SnapshotReadError(path, "is not a regular file")
        size = os.fstat(fd).st_size
        if size > MAX_READ_BYTES:
            raise too_large(path, size)
        chunks, read = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            read += len(chunk)
            if read > MAX_READ_BYTES:  # it grew while being read
                raise too_large(path, read)
        return b"".join(chunks)
    except OSError as exc:
        if isinstance(exc, SnapshotReadError):
            raise
        raise SnapshotReadError(path, exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


# ---- snapshots ---------------------------------------------------------------------------

class WorktreeSnapshot:
    """A directory on disk, as it is now: every file outside hidden and tool folders."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._listing: list[str] | None = None
        self._listed: frozenset[str] | None = None
        self._read_ids: dict[str, str] = {}
        self._lookup = _disk_lookup(str(self.root))
        self._sha256 = False  # ids in git's SHA-256 object format

    @property
    def label(self) -> str:
        return str(self.root)

    def files(self, prefix: str = "") -> list[str]:
        if self._listing is None:
            self._listing = sorted(self._walk())
        if not prefix:
            return list(self._listing)
        return [p for p in self._listing if p.startswith(prefix)]

    def listed(self, path: str) -> bool:
        if self._listed is None:
            self._listed = frozenset(self.files())
        return path in self._listed

    def read(self, path: str) -> bytes:
        try:
            data = self._read(path)
        except SnapshotReadError as exc:
            self._failed(path, exc)
            raise
        self._remember(path, blob_id(data, sha256=self._sha256))
        return data

    def blob_id(self, path: str) -> str:
        known = self._read_ids.get(path)
        if known is not None:
            return known
        if not self.listed(path):
            raise SnapshotReadError(path, "no such file")
        try:
            self.read(path)
        except SnapshotReadError as exc:
            return unreadable_id(exc)
        return self._read_ids[path]

    def read_id(self, path: str) -> str | None:
        return self._read_ids.get(path)

    # What a read learnt; the git-aware snapshot also corrects the id git gave.
    def _remember(self, path: str, oid: str) -> None:
        self._read_ids[path] = oid

    def _failed(self, path: str, error: SnapshotReadError) -> None:
        self._read_ids.pop(path, None)

    def _read(self, path: str) -> bytes:
        if not self.listed(path):
            raise self._not_listed(path)
        target, first = follow_links(path, self._lookup)
        check_target(path, target, first, self._lookup(target)[0], self.listed)
        return read_regular(os.path.join(self.root, target), path)

    def _not_listed(self, path: str) -> SnapshotReadError:
        if ".." in path.split("/") or path.startswith("/"):
            return SnapshotReadError(path, "is outside the repository", code=NOT_LISTED)
        if os.path.lexists(os.path.join(self.root, path)):
            try:  # through a symlinked folder (`templates/sub -> ../.git`): say which
                if follow_links(path, self._lookup)[1] is not None:
                    return SnapshotReadError(path, "goes through a symlinked folder, which is "
                                             f"never walked into ({LINK_RULE})",
                                             code=REFUSED_LINK)
            except SnapshotReadError as exc:
                return exc
            return SnapshotReadError(path, "is not part of the repository (ignored by git, in "
                                     ".git/, or in a hidden or tool folder)", code=NOT_LISTED)
        return SnapshotReadError(path, "no such file")

    def _walk(self) -> Iterable[str]:
        root = str(self.root)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS and not d.startswith(".")]
            rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
            base = "" if rel == "." else rel + "/"
            yield from (base + name for name in filenames)
            # A symlink to a folder is a link, as git sees it: listed, never walked into.
            links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
            yield from (base + d for d in links)
            dirnames[:] = [d for d in dirnames if d not in links]
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
        self._read_ids: dict[str, str] = {}

    @property
    def label(self) -> str:
        return self._label

    def files(self, prefix: str = "") -> list[str]:
        return sorted(p for p in self._files if p.startswith(prefix))

    def read(self, path: str) -> bytes:
        try:
            data = self._files[path]
        except KeyError:
            raise SnapshotReadError(path, "no such file") from None
        self._read_ids[path] = blob_id(data)
        return data

    def blob_id(self, path: str) -> str:
        return blob_id(self.read(path))

    def read_id(self, path: str) -> str | None:
        return self._read_ids.get(path)
