"""The working tree as git sees it: which files count and each one's content id, cheaply.

Tracked, modified and untracked files count; what git ignores does not. A clean
file's content id is the blob id git already has (`git ls-files -s`), so nothing is
read; only files `git status` reports as changed or untracked are hashed. The
state key of the whole tree is what the index compares to answer "anything new?"
without parsing anything.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from unet.source._snapshot import SnapshotReadError, WorktreeSnapshot, blob_id

__all__ = ["GitWorktreeSnapshot", "changed_since", "worktree_snapshot"]


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
        for path in self._listing:
            if not prefixes or path.startswith(prefixes):
                digest.update(f"{path}\0{self._ids[path]}\n".encode())
        return digest.hexdigest()


def worktree_snapshot(root: Path) -> WorktreeSnapshot:
    """The git-aware snapshot of `root` when it is in a git work tree, else a plain one."""
    return GitWorktreeSnapshot.open(root) or WorktreeSnapshot(root)


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
