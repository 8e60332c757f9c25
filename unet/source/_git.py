"""git access through GitPython; the only module of unet that imports git.

`GitWorktreeSnapshot` is the working tree as git sees it (tracked, modified and
untracked files, not ignored ones) with each file's content id from git's index, so
clean files are never read to know whether they changed.

`GitSnapshot` reads a repository at any revision without checking anything out: one
`git ls-tree -r -z` lists the files, blobs come through GitPython's long-lived
`git cat-file --batch` process (one process for the whole run, not one per file).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from unet.core import UnetError
from unet.source._snapshot import SnapshotReadError, WorktreeSnapshot, blob_id

__all__ = [
    "GitSnapshot",
    "GitWorktreeSnapshot",
    "RevisionError",
    "changed_since",
    "commit_files",
    "init_repository",
    "is_git_repository",
    "resolve_revision_range",
    "worktree_snapshot",
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


# ---- the working tree as git sees it -------------------------------------------------

class GitWorktreeSnapshot(WorktreeSnapshot):
    """A directory inside a git work tree: files and blob ids from git, contents from disk."""

    def __init__(self, root: Path, *, ids: dict[str, str], dirty: frozenset[str]) -> None:
        super().__init__(root)
        self._ids = ids
        self.dirty = dirty  # files whose content differs from git's index (or untracked)
        self._listing = sorted(ids)

    @classmethod
    def open(cls, root: Path) -> GitWorktreeSnapshot | None:
        """The snapshot of `root`, or None when `root` is not inside a git work tree."""
        import git

        try:
            runner = git.Git(str(root))
            prefix = runner.rev_parse("--show-prefix")
        except (git.GitCommandError, git.GitCommandNotFound, OSError):
            return None
        if _ignored(runner):  # e.g. a generated repository in an ignored folder
            return None
        staged = _staged_ids(runner.ls_files("-s", "-z", "--", "."))
        changed, untracked, deleted = _status(
            runner.status("--porcelain=v1", "-z", "--untracked-files=all", "--", "."), prefix)
        ids = {path: oid for path, oid in staged.items() if path not in deleted}
        snapshot = cls(root, ids=ids, dirty=frozenset(changed | untracked))
        for path in changed | untracked:
            try:
                ids[path] = blob_id(snapshot.read(path))
            except SnapshotReadError:
                ids.pop(path, None)  # vanished or unreadable: reading it later says why
        snapshot._listing = sorted(ids)
        return snapshot

    def blob_id(self, path: str) -> str:
        oid = self._ids.get(path)
        return oid if oid is not None else super().blob_id(path)

    @property
    def ids(self) -> dict[str, str]:
        return dict(self._ids)

    def state_key(self, prefixes: tuple[str, ...] = ()) -> str:
        """One id for the content of every file (under `prefixes`): equal means unchanged."""
        digest = hashlib.sha256()
        for path in self.files():
            if not prefixes or path.startswith(prefixes):
                digest.update(f"{path}\0{self._ids[path]}\n".encode())
        return digest.hexdigest()


def worktree_snapshot(root: Path) -> WorktreeSnapshot:
    """The git-aware snapshot of `root` when it is in a git work tree, else a plain one."""
    return GitWorktreeSnapshot.open(root) or WorktreeSnapshot(root)


def _ignored(runner: Any) -> bool:
    """Whether git ignores the directory itself: then git knows nothing of its files."""
    import git

    try:
        runner.check_ignore("-q", ".")
    except git.GitCommandError:
        return False  # exit 1: not ignored
    return True


def _staged_ids(output: str) -> dict[str, str]:
    ids = {}
    for entry in output.split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        mode, oid, _stage = meta.split()
        if mode != "160000":  # submodules are not files of ours
            ids[path] = oid
    return ids


def _status(output: str, prefix: str) -> tuple[set[str], set[str], set[str]]:
    """(changed in the work tree, untracked, deleted) paths relative to the repository root."""
    changed: set[str] = set()
    untracked: set[str] = set()
    deleted: set[str] = set()
    entries = iter(output.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if code[0] in "RC":
            next(entries, None)  # the rename's source path follows
        if not path.startswith(prefix):
            continue
        path = path[len(prefix):]
        if code == "??":
            untracked.add(path)
        elif "D" in code:
            deleted.add(path)
        else:
            changed.add(path)  # staged or not: hash what is on disk
    return changed, untracked, deleted


def changed_since(root: Path, ref: str) -> list[str]:
    """Paths under `root` that differ from `ref`: committed since the merge base of `ref`
    and HEAD (what a pull request changes), plus staged, unstaged and untracked work.

    Falls back to comparing with `ref` itself when there is no merge base. Raises
    ValueError (with git's message) for an unknown revision or outside git.
    """
    import git

    runner = git.Git(str(root))
    try:
        try:
            base = runner.merge_base(ref, "HEAD").strip()
        except git.GitCommandError:
            base = runner.rev_parse("--verify", f"{ref}^{{commit}}").strip()
        diff = runner.diff("--name-only", "-z", "--relative", "--no-renames", base, "--", ".")
        untracked = runner.ls_files("--others", "--exclude-standard", "-z", "--", ".")
    except git.GitCommandError as exc:
        message = (exc.stderr or str(exc)).strip().removeprefix("stderr: ").strip("'\n ")
        raise ValueError(f"cannot compare with '{ref}': {message}") from None
    except (git.GitCommandNotFound, OSError) as exc:
        raise ValueError(f"cannot compare with '{ref}': {exc}") from None
    return sorted({p for p in (*diff.split("\0"), *untracked.split("\0")) if p})


def commit_files(root: Path, paths: list[str], message: str) -> str:
    """Commit exactly `paths` (repo-relative to `root`, added if new) and nothing else
    that may be staged; returns the new commit id. A RevisionError says why it failed."""
    import git

    repo = _open(root)
    top = Path(repo.working_tree_dir).resolve()
    relative = [str((root.resolve() / p).relative_to(top)) for p in paths]
    try:
        repo.git.add("--", *relative)
        repo.git.commit("-m", message, "--only", "--", *relative)
    except git.GitCommandError as exc:
        detail = " ".join((exc.stderr or exc.stdout or "").replace("stderr:", "").split())
        raise RevisionError(f"git commit failed: {detail.strip(' ' + chr(39)) or exc}") from None
    return str(repo.head.commit.hexsha)
