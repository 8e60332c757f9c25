"""git access through GitPython; the only module of unet that imports git.

`GitSnapshot` reads a repository at any revision without checking anything out: one
`git ls-tree -r -z` lists the files, blobs come through GitPython's long-lived
`git cat-file --batch` process (one process for the whole run, not one per file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from unet.core import UnetError
from unet.source._snapshot import SnapshotReadError

__all__ = [
    "GitSnapshot",
    "RevisionError",
    "init_repository",
    "is_git_repository",
    "resolve_revision_range",
]


class RevisionError(UnetError):
    """A revision git does not know, or a directory that is not in a git repository."""


def is_git_repository(path: Path) -> bool:
    """Whether `path` is inside a git work tree."""
    import git

    try:
        git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return False
    return True


def init_repository(path: Path) -> None:
    """`git init` at `path`; raises OSError when git is not installed."""
    import git

    try:
        git.Repo.init(path)
    except git.GitCommandNotFound as exc:
        raise OSError("git is not installed or not on PATH") from exc


def _open(root: Path) -> Any:
    import git

    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise RevisionError(f"{root} is not inside a git repository; --rev needs one") from None
    except git.GitCommandNotFound:
        raise RevisionError("git is not installed or not on PATH") from None


def _commit(repo: Any, rev: str) -> str:
    import git

    if not rev or rev.startswith("-"):
        raise RevisionError(f"unknown revision {rev!r}")
    try:
        return str(repo.git.rev_parse("--verify", "--end-of-options", f"{rev}^{{commit}}"))
    except git.GitCommandError as exc:
        detail = (exc.stderr or "").strip().removeprefix("stderr: ").strip(" '\n")
        raise RevisionError(f"unknown revision {rev!r}: {detail or 'not a commit'}") from None


def resolve_revision_range(root: Path, text: str) -> tuple[str, str | None]:
    """`A..B` → (A, B), `A...B` → (merge base of A and B, B), `A` → (A, None: the worktree),
    as full commit ids; an empty side means HEAD, as in git."""
    repo = _open(root)
    if "..." in text:
        left, right = (side or "HEAD" for side in text.split("...", 1))
        head = _commit(repo, right)
        bases = repo.merge_base(_commit(repo, left), head)
        if not bases:
            raise RevisionError(f"{left} and {right} have no common ancestor")
        return str(bases[0].hexsha), head
    if ".." in text:
        left, right = (side or "HEAD" for side in text.split("..", 1))
        return _commit(repo, left), _commit(repo, right)
    return _commit(repo, text), None


class GitSnapshot:
    """The files of `root` (a directory inside a git work tree) at commit `rev`."""

    def __init__(self, root: Path, rev: str) -> None:
        self._repo = _open(root)
        self.rev = rev
        self.commit = _commit(self._repo, rev)
        top = Path(self._repo.working_tree_dir).resolve()
        rel = root.resolve().relative_to(top).as_posix()
        self._prefix = "" if rel == "." else rel + "/"
        self._blobs = self._list()

    @property
    def label(self) -> str:
        short = self.commit[:10]
        return self.rev if self.rev.startswith(short) else f"{self.rev} ({short})"

    def _list(self) -> dict[str, str]:
        args = ["-r", "-z", "--full-tree", self.commit]
        if self._prefix:
            args += ["--", self._prefix]
        out: str = self._repo.git.ls_tree(*args)
        blobs = {}
        for entry in out.split("\0"):
            meta, _, path = entry.partition("\t")
            mode, kind, oid = [*meta.split(" "), "", "", ""][:3]
            # Symlinks and submodules are not content unet reads.
            if kind == "blob" and mode != "120000" and path.startswith(self._prefix):
                blobs[path[len(self._prefix):]] = oid
        return dict(sorted(blobs.items()))

    def files(self, prefix: str = "") -> list[str]:
        return [p for p in self._blobs if p.startswith(prefix)]

    def read(self, path: str) -> bytes:
        oid = self._blobs.get(path)
        if oid is None:
            raise SnapshotReadError(path, f"no such file at {self.label}")
        data: bytes = self._repo.odb.stream(bytes.fromhex(oid)).read()
        return data

    def blob_id(self, path: str) -> str:
        oid = self._blobs.get(path)
        if oid is None:
            raise SnapshotReadError(path, f"no such file at {self.label}")
        return oid
