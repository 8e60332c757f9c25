"""git access through GitPython; the only module of unet that imports git.

`GitWorktreeSnapshot` is the working tree as git sees it (tracked, modified and
untracked files, not ignored ones) with each file's content id from git's index, so
clean files are never read to know whether they changed.

`GitSnapshot` reads a repository at any revision without checking anything out: one
`git ls-tree -r -z` lists the files, blobs come through GitPython's long-lived
`git cat-file --batch` process (one process for the whole run, not one per file).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import weakref
from pathlib import Path
from typing import Any

from unet.core import UnetError
from unet.source._snapshot import (
    MAX_READ_BYTES,
    Lookup,
    SnapshotReadError,
    WorktreeSnapshot,
    blob_id,
    check_target,
    follow_links,
    too_large,
    unreadable_id,
)

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


def git_message(text: str) -> str:
    """git's stderr as one line of a message: GitPython's `stderr: '…'` wrapping removed,
    its lines joined with `; ` (a newline would show as an escape)."""
    text = text.strip().removeprefix("stderr:").strip().strip("'").strip()
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())


def _commit(repo: Any, rev: str) -> str:
    import git

    if not rev or rev.startswith("-"):
        # A value that git would take as an option (`--independent`, `--output=...`).
        raise RevisionError(f"unknown revision {rev!r}: a revision never starts with '-'"
                            if rev else "unknown revision '': empty")
    try:
        return str(repo.git.rev_parse("--verify", "--end-of-options", f"{rev}^{{commit}}"))
    except git.GitCommandError as exc:
        if not _has_commits(repo):
            raise RevisionError(f"unknown revision {rev!r}: the repository has no commits "
                                "yet; commit first (git add -A && git commit)") from None
        detail = git_message(exc.stderr or "").removeprefix("fatal: ")
        if not detail or detail == "Needed a single revision":  # all --verify says
            detail = "no commit, branch or tag of that name"
            if "~" in rev or "^" in rev:
                detail += " (is the history that long? a shallow clone, as CI makes, needs " \
                          "more of it: `git fetch --unshallow`, or `fetch-depth: 0`)"
            elif "/" in rev:
                detail += " (not fetched? `git fetch` the remote branch first)"
        raise RevisionError(f"unknown revision {rev!r}: {detail}") from None


def _has_commits(repo: Any) -> bool:
    import git

    try:
        repo.git.rev_parse("--verify", "--quiet", "HEAD")
    except git.GitCommandError:
        return False
    return True


def resolve_revision_range(root: Path, text: str) -> tuple[str, str | None]:
    """`A..B` → (A, B), `A...B` → (merge base of A and B, B), `A` → (A, None: the worktree),
    as full commit ids; an empty side means HEAD, as in git."""
    if ":" in text:  # `HEAD:path` names a file in a commit; no branch or tag has a ':'
        raise RevisionError(f"unknown revision {text!r}: REV:PATH names a file in a commit; "
                            "give a commit, branch or tag, or a range A..B")
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


class _Objects:
    """Blobs by id through one long-lived `git cat-file --batch` process, in either of
    git's object formats (GitPython's reader knows only SHA-1 ids)."""

    def __init__(self, cwd: str) -> None:
        self._cwd = cwd
        self._process: subprocess.Popen[bytes] | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None

    def read(self, oid: str, path: str) -> bytes:
        process = self._start()
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(oid.encode("ascii") + b"\n")
            process.stdin.flush()
            header = process.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise SnapshotReadError(path, f"git has no blob {oid}")
            size = int(header[2])
            if size > MAX_READ_BYTES:
                self.close()  # its content is still in the pipe: a new process for the next
                raise too_large(path, size)
            data = process.stdout.read(size)
            process.stdout.read(1)  # the newline after the content
        except SnapshotReadError:
            raise
        except (OSError, ValueError):
            self.close()
            raise SnapshotReadError(path, f"git could not read blob {oid}") from None
        if len(data) != size:
            self.close()
            raise SnapshotReadError(path, f"git could not read blob {oid}")
        return data

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            try:
                self._process = subprocess.Popen(
                    ["git", "cat-file", "--batch"], cwd=self._cwd, stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            except OSError as exc:
                raise RevisionError(f"cannot run git: {exc}") from None
            self._finalizer = weakref.finalize(self, _stop, self._process)
        return self._process

    def close(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
        self._process = None


def _stop(process: subprocess.Popen[bytes]) -> None:
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


_REGULAR = ("100644", "100755")
_LINK = "120000"
_SUBMODULE = "160000"


class GitSnapshot:
    """The files of `root` (a directory inside a git work tree) at commit `rev`.

    Committed symlinks follow the rule of every snapshot: one that points (relatively,
    inside `root`) to a regular file of the same commit reads as that file, with its id;
    any other is listed and refused when read.
    """

    def __init__(self, root: Path, rev: str) -> None:
        self._repo = _open(root)
        self.rev = rev
        self.commit = _commit(self._repo, rev)
        top = Path(self._repo.working_tree_dir).resolve()
        rel = root.resolve().relative_to(top).as_posix()
        self._prefix = "" if rel == "." else rel + "/"
        self._refused: dict[str, SnapshotReadError] = {}
        self._read_ids: dict[str, str] = {}
        self._store = _Objects(str(top))
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
        entries: dict[str, tuple[str, str]] = {}
        for entry in out.split("\0"):
            meta, _, path = entry.partition("\t")
            mode, _kind, oid = [*meta.split(" "), "", "", ""][:3]
            if path.startswith(self._prefix) and oid:
                entries[path[len(self._prefix):]] = (mode, oid)
        blobs = {path: oid for path, (mode, oid) in entries.items() if mode in _REGULAR}
        links = [path for path, (mode, _) in entries.items() if mode == _LINK]
        if links:
            lookup = self._tree_lookup(entries)
            for path in links:
                try:
                    target, first = follow_links(path, lookup)
                    check_target(path, target, first, lookup(target)[0], blobs.__contains__)
                    blobs[path] = blobs[target]
                except SnapshotReadError as exc:
                    self._refused[path] = exc
                    blobs[path] = unreadable_id(exc)
        return dict(sorted(blobs.items()))

    def _tree_lookup(self, entries: dict[str, tuple[str, str]]) -> Lookup:
        folders = {path.rsplit("/", i)[0] for path in entries
                   for i in range(1, path.count("/") + 1)}

        def lookup(path: str) -> tuple[str, str]:
            mode, oid = entries.get(path, ("", ""))
            if mode == _LINK:
                data = self._store.read(oid, path)
                return ("link", data.decode("utf-8", "replace")) if len(data) < 4096 else \
                    ("other", "")
            if mode in _REGULAR:
                return "file", ""
            if mode:
                return "other", ""
            return ("dir", "") if path in folders else ("missing", "")

        return lookup

    def files(self, prefix: str = "") -> list[str]:
        return [p for p in self._blobs if p.startswith(prefix)]

    def read(self, path: str) -> bytes:
        oid = self._blobs.get(path)
        if oid is None:
            raise SnapshotReadError(path, f"no such file at {self.label}")
        refused = self._refused.get(path)
        if refused is not None:
            raise refused
        data = self._store.read(oid, path)
        if blob_id(data, sha256=len(oid) == 64) != oid:
            raise SnapshotReadError(path, f"git object {oid} is damaged (its content does not "
                                    "match its id; run `git fsck`)")
        self._read_ids[path] = oid
        return data

    def blob_id(self, path: str) -> str:
        oid = self._blobs.get(path)
        if oid is None:
            raise SnapshotReadError(path, f"no such file at {self.label}")
        return oid

    def read_id(self, path: str) -> str | None:
        return self._read_ids.get(path)


# ---- the working tree as git sees it -------------------------------------------------

# git's own shortcuts that can make `git status` call a changed file clean: compare every
# stat field (ctime included) and never ask a file-system monitor. Content is what counts.
_TRUSTWORTHY = ["core.checkStat=default", "core.trustctime=true", "core.fsmonitor=false"]


class GitWorktreeSnapshot(WorktreeSnapshot):
    """A directory inside a git work tree: files and blob ids from git, contents from disk.

    The files are what git would commit: tracked ones and untracked ones git does not
    ignore. A clean file's id comes from git's index without reading it; every other
    id is computed from the bytes on disk: modified and untracked files, files git was
    told not to look at (`update-index --assume-unchanged`, `--skip-worktree`), and
    symlinks (whose id is their target's). Files a sparse checkout left out are read
    from git's objects by the index's id. Whenever a read finds content that differs
    from the id given out, the id is corrected (`read_id`, `blob_id`).
    """

    def __init__(self, root: Path, *, ids: dict[str, str], dirty: frozenset[str]) -> None:
        super().__init__(root)
        self._ids = ids
        self.dirty = dirty  # files whose content differs from git's index (or untracked)
        self._listing = sorted(ids)
        self._objects: dict[str, str] = {}  # sparse: path -> blob id read from git's objects
        self._store: _Objects | None = None

    @classmethod
    def open(cls, root: Path) -> GitWorktreeSnapshot | None:
        """The snapshot of `root`, or None when `root` is not inside a git work tree."""
        try:
            prefix = _git(root, "rev-parse", "--show-prefix")
        except _GitFailed:
            return None
        if _ignored(root):  # e.g. a generated repository in an ignored folder
            return None
        try:
            entries = _index_entries(_git(root, "ls-files", "-s", "-v", "-z", "--", "."))
            trust = [arg for option in _TRUSTWORTHY for arg in ("-c", option)]
            changed, untracked, deleted = _status(_git(
                root, *trust, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", "."),
                prefix)
        except _GitFailed as exc:
            raise RevisionError(f"git cannot list the work tree: {exc}") from None
        ids = {path: oid for path, (_, mode, oid) in entries.items()
               if path not in deleted and mode != _SUBMODULE}
        ids.update(dict.fromkeys(untracked, ""))
        snapshot = cls(root, ids=ids, dirty=frozenset())
        snapshot._sha256 = any(len(oid) == 64 for _, _, oid in entries.values())
        unsure = {path for path, (tag, mode, _) in entries.items()
                  if path in ids and (tag == "S" or tag.islower() or mode == _LINK)}
        for path in sorted(unsure):
            if entries[path][0] in "Ss" and not os.path.lexists(snapshot.root / path):
                snapshot._objects[path] = ids[path]  # left out by a sparse checkout
        for path in sorted(((changed | untracked | unsure) & ids.keys()) - set(snapshot._objects)):
            snapshot._hash(path)
        snapshot.dirty = frozenset(changed | untracked | {
            p for p in unsure if entries[p][1] != _LINK and snapshot._ids[p] != entries[p][2]})
        return snapshot

    def _hash(self, path: str) -> str:
        """The id of the content on disk (or of why it cannot be read)."""
        with contextlib.suppress(SnapshotReadError):
            self.read(path)  # corrects the id: see _remember and _failed
        return self._ids[path]

    def blob_id(self, path: str) -> str:
        oid = self._ids.get(path)
        return oid if oid is not None else super().blob_id(path)

    def listed(self, path: str) -> bool:
        return path in self._ids

    def _read(self, path: str) -> bytes:
        oid = self._objects.get(path)
        if oid is None:
            return super()._read(path)
        if self._store is None:
            self._store = _Objects(str(self.root))
        return self._store.read(oid, path)

    def _remember(self, path: str, oid: str) -> None:
        super()._remember(path, oid)
        if self._ids.get(path, oid) != oid:
            self._ids[path] = oid  # git's id did not match the content: the content wins

    def _failed(self, path: str, error: SnapshotReadError) -> None:
        super()._failed(path, error)
        if path in self._ids:  # what git says is there could not be read: vouch for nothing
            self._ids[path] = unreadable_id(error)

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


def _ignored(root: Path) -> bool:
    """Whether git ignores the directory itself: then git knows nothing of its files."""
    try:
        _git(root, "check-ignore", "-q", ".")
    except _GitFailed:
        return False  # exit 1: not ignored
    return True


class _GitFailed(Exception):
    """git could not be run, or exited non-zero; the message is git's."""


def _git(root: Path, *args: str) -> str:
    """One plain `git` command's output in `root` (as GitPython would give it: one trailing
    newline cut, undecodable bytes kept as surrogates). The work-tree snapshot, run by every
    check, needs only these few commands, so it does not pay for importing GitPython."""
    env = {**os.environ, "LANGUAGE": "C", "LC_ALL": "C"}
    try:
        done = subprocess.run(["git", *args], cwd=root, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, check=False)
    except OSError as exc:
        raise _GitFailed(str(exc)) from None
    if done.returncode != 0:
        raise _GitFailed(git_message(done.stderr.decode("utf-8", "replace")))
    out = done.stdout[:-1] if done.stdout.endswith(b"\n") else done.stdout
    return out.decode("utf-8", "surrogateescape")


def _index_entries(output: str) -> dict[str, tuple[str, str, str]]:
    """`git ls-files -s -v` -> path: (tag, mode, blob id); the tag is `H` for a normal
    entry, `S` for skip-worktree, lower case for assume-unchanged."""
    entries = {}
    for entry in output.split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        tag, mode, oid, _stage = meta.split()
        entries[path] = (tag, mode, oid)
    return entries


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

    try:
        commit = _commit(_open(root), ref)  # never an option: `--independent` is refused
    except RevisionError as exc:
        raise ValueError(exc.message) from None
    runner = git.Git(str(root))
    try:
        try:
            base = runner.merge_base(commit, "HEAD").strip()
        except git.GitCommandError:
            base = commit  # no common history (or no HEAD yet): compare with REF itself
        diff = runner(c=_TRUSTWORTHY).diff("--name-only", "-z", "--relative", "--no-renames",
                                           base, "--", ".")
        untracked = runner.ls_files("--others", "--exclude-standard", "-z", "--", ".")
    except git.GitCommandError as exc:
        message = git_message(exc.stderr or str(exc))
        raise ValueError(f"cannot compare with '{ref}': {message}") from None
    except (git.GitCommandNotFound, OSError) as exc:
        raise ValueError(f"cannot compare with '{ref}': {exc}") from None
    return sorted({p for p in (*diff.split("\0"), *untracked.split("\0")) if p})


def merge_base(root: Path, ref: str) -> str:
    """The commit a change is judged against: the merge base of `ref` and HEAD (what a pull
    request started from), or `ref` itself when they share no history. Raises ValueError
    for an unknown revision (one that starts with '-' is never passed to git) or outside git.
    """
    import git

    try:
        repo = _open(root)
        commit = _commit(repo, ref)
    except RevisionError as exc:
        raise ValueError(exc.message) from None
    try:
        bases = repo.merge_base(commit, "HEAD")
    except git.GitCommandError:  # no HEAD yet, or no common history
        bases = []
    return str(bases[0].hexsha) if bases else commit


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
        detail = git_message(exc.stderr or exc.stdout or "")
        raise RevisionError(f"git commit failed: {detail.strip(' ' + chr(39)) or exc}") from None
    return str(repo.head.commit.hexsha)
