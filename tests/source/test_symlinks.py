"""The one symlink rule, in every snapshot: a link is read only when it points, by a
relative path inside the repository, to a tracked (or, in a work tree, not ignored)
regular file outside .git/; every other link is listed and refused when read (U111)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import GIT_IDENTITY, git
from unet.source import (
    GitSnapshot,
    GitWorktreeSnapshot,
    Snapshot,
    SnapshotReadError,
    WorktreeSnapshot,
    blob_id,
    worktree_snapshot,
)

TOKEN = b"AUTHORIZATION: bearer ghp_SECRETTOKEN0123456789"

# link path -> link text, each refused; the reason is part of the message.
HOSTILE = {
    "templates/gitcfg.j2": ("../.git/config", "points into .git/"),
    "templates/deep.j2": ("../devices/../.git/config", "points into .git/"),
    "templates/upper.j2": ("../.GIT/config", "points into .git/"),
    "configs/out.cfg": ("../../outside.txt", "points outside the repository"),
    "configs/abs.cfg": ("/etc/passwd", "is an absolute path"),
    "configs/dangling.cfg": ("nothing-here.cfg", "does not exist"),
    "configs/loop.cfg": ("loop.cfg", "more than 40 symlinks"),
    "configs/dir.cfg": ("../devices", "points to a folder"),
    "configs/ignored.cfg": ("../secret.env", "not a tracked file"),
    "configs/chain.cfg": ("gitdir.cfg", "points into .git/"),
    "configs/gitdir.cfg": ("../.git/config", "points into .git/"),
}
GOOD = {"configs/r1.cfg": "../shared/r1.cfg", "devices/r2.yaml": "r1.yaml",
        "configs/r3.cfg": "r1.cfg"}  # the last one goes through a link: a chain


def _tree(root: Path) -> None:
    (root / ".git").mkdir(exist_ok=True)
    with (root / ".git" / "config").open("ab") as config:  # as a CI checkout keeps it
        config.write(b"[http]\n\textraheader = " + TOKEN + b"\n")
    (root.parent / "outside.txt").write_bytes(TOKEN)
    (root / "configs").mkdir()
    for path, text in {"unet.yaml": "name: t\n", ".gitignore": "secret.env\n",
                       "secret.env": TOKEN.decode(), "devices/r1.yaml": "name: r1\n",
                       "shared/r1.cfg": "hostname r1\n", "templates/sub/real.j2": "x\n"}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    for link, (text, _) in HOSTILE.items():
        os.symlink(text, root / link)
    for link, text in GOOD.items():
        os.symlink(text, root / link)
    os.symlink("../.git", root / "templates" / "gitdir")  # a folder link: never listed inside


def _git_tree(tmp_path: Path) -> Path:
    root = tmp_path / "net"
    root.mkdir()
    git(root, "init", "-q")
    _tree(root)
    git(root, "add", "-A")
    git(root, *GIT_IDENTITY, "commit", "-qm", "links")
    return root


def _plain(tmp_path: Path) -> Snapshot:
    root = tmp_path / "net"
    root.mkdir()
    _tree(root)
    (root / ".gitignore").unlink()
    os.remove(root / "secret.env")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "secret.env").write_bytes(TOKEN)  # unlisted: in a hidden folder
    os.remove(root / "configs" / "ignored.cfg")
    os.symlink("../.hidden/secret.env", root / "configs" / "ignored.cfg")
    return WorktreeSnapshot(root)


def _worktree(tmp_path: Path) -> Snapshot:
    snapshot = worktree_snapshot(_git_tree(tmp_path))
    assert isinstance(snapshot, GitWorktreeSnapshot)
    return snapshot


def _revision(tmp_path: Path) -> Snapshot:
    return GitSnapshot(_git_tree(tmp_path), "HEAD")


SNAPSHOTS: dict[str, Callable[[Path], Snapshot]] = {
    "plain folder": _plain, "git work tree": _worktree, "git revision": _revision}


@pytest.fixture(params=sorted(SNAPSHOTS))
def snapshot(request: pytest.FixtureRequest, tmp_path: Path) -> Snapshot:
    return SNAPSHOTS[request.param](tmp_path)


def test_hostile_links_are_listed_and_refused_naming_the_link(snapshot: Snapshot) -> None:
    for link, (text, reason) in HOSTILE.items():
        if isinstance(snapshot, GitSnapshot) and link == "configs/ignored.cfg":
            reason = "does not exist"  # not committed: the commit does not hold it
        if type(snapshot) is WorktreeSnapshot and link == "configs/ignored.cfg":
            text = "../.hidden/secret.env"  # no git: a hidden folder is what is not listed
        assert link in snapshot.files(), link
        with pytest.raises(SnapshotReadError) as caught:
            snapshot.read(link)
        assert caught.value.code == "U111", link
        assert caught.value.path == link and reason in caught.value.reason, caught.value.reason
        assert f"'{text}'" in caught.value.reason  # the link's own text, never the target's bytes
        assert snapshot.blob_id(link).startswith("!")  # an id no content can have
        assert snapshot.read_id(link) is None


def test_good_links_read_as_their_target_with_the_targets_id(snapshot: Snapshot) -> None:
    target = {"configs/r1.cfg": "shared/r1.cfg", "devices/r2.yaml": "devices/r1.yaml",
              "configs/r3.cfg": "shared/r1.cfg"}
    for link, real in target.items():
        data = snapshot.read(link)
        assert data == snapshot.read(real)
        assert snapshot.blob_id(link) == snapshot.blob_id(real) == blob_id(data)
        assert snapshot.read_id(link) == blob_id(data)


def test_nothing_inside_git_or_a_folder_link_is_listed_or_readable(snapshot: Snapshot) -> None:
    assert not [p for p in snapshot.files() if ".git/" in p or p.startswith("templates/gitdir/")]
    for path in (".git/config", "templates/gitdir/config", "../outside.txt",
                 "configs/../.git/config"):
        with pytest.raises(SnapshotReadError):
            snapshot.read(path)


def test_no_read_returns_the_secret(snapshot: Snapshot) -> None:
    for path in snapshot.files():
        with contextlib.suppress(SnapshotReadError):
            assert TOKEN not in snapshot.read(path), path


def test_editing_the_target_of_a_committed_link_changes_its_id(tmp_path: Path) -> None:
    root = _git_tree(tmp_path)
    before = worktree_snapshot(root).blob_id("configs/r1.cfg")
    (root / "shared" / "r1.cfg").write_text("hostname r1\nntp server 10.0.0.1\n")
    after = worktree_snapshot(root)
    assert after.blob_id("configs/r1.cfg") != before
    assert after.blob_id("configs/r1.cfg") == blob_id(after.read("shared/r1.cfg"))


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    root = tmp_path / "net"
    (root / "configs").mkdir(parents=True)
    os.mkfifo(root / "configs" / "r1.cfg")
    with pytest.raises(SnapshotReadError, match="not a regular file"):
        WorktreeSnapshot(root).read("configs/r1.cfg")


def test_no_reader_above_the_snapshot_opens_repository_files_itself() -> None:
    """Every reader of repository content goes through a Snapshot, so the rule above is
    the only way in: the layers that read data, templates, policies and configs never
    open or list files on their own."""
    import re

    from tests.conftest import ROOT

    allowed = {"policy/_parser.py": {"read_text("},  # the grammar, a package resource
               "report/github.py": {"open("},  # appends to $GITHUB_STEP_SUMMARY
               "templates/_bounds.py": {"open("},  # /proc/self/statm: the memory bound
               "index/_db.py": {"glob("},  # the index's own files, in the cache folder
               "index/_admin.py": {"glob("}}
    calls = re.compile(r"(?<![\w])open\(|\.(?:read_bytes|read_text|iterdir|r?glob)\(|"
                       r"\bos\.(?:open|walk|scandir|listdir)\(")
    found = []
    for layer in ("config", "inventory", "templates", "policy", "index", "serve", "report"):
        for path in sorted((ROOT / "unet" / layer).rglob("*.py")):
            relative = path.relative_to(ROOT / "unet").as_posix()
            for number, line in enumerate(path.read_text().splitlines(), 1):
                for call in calls.findall(line):
                    if call.lstrip(".").removeprefix("os.") not in allowed.get(relative, ()):
                        found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
