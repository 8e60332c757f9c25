"""Where unet keeps its own files (never inside the user's repository), and how it writes
a file a user asks for."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

__all__ = ["cache_dir", "write_replacing"]


def cache_dir() -> Path:
    """The user cache directory; `UNET_CACHE_DIR` overrides it (CI caches, tests)."""
    override = os.environ.get("UNET_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("unet", appauthor=False))


def write_replacing(path: Path, text: str, *, durable: bool = False) -> None:
    """Write `path` whole, as a new file renamed over whatever is there.

    A symlink at `path` is replaced, never followed: a work tree from an untrusted pull
    request may hold `report.sarif -> ../.git/config`. A directory inside a `.git`
    directory is refused (EPERM), whichever symlinks lead there. Readers see the old file
    or the new one, never half of one. `durable` also syncs it to disk. Raises OSError.
    """
    parent = path.parent
    parent.mkdir(parents=True, exist_ok=True)
    if ".git" in Path(os.path.realpath(parent)).parts:
        raise OSError(errno.EPERM, "it is inside a .git directory", str(path))
    try:
        mode = os.lstat(path).st_mode
        keep = mode & 0o777 if os.path.isfile(path) and not os.path.islink(path) else None
    except FileNotFoundError:
        keep = None
    if keep is None:
        umask = os.umask(0)
        os.umask(umask)
        keep = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.chmod(tmp, keep)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
