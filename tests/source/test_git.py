from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from unet.source import GitSnapshot, RevisionError, WorktreeSnapshot, resolve_revision_range

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(cwd), "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose network repository is the subdirectory `net/`."""
    net = tmp_path / "net"
    (net / "devices").mkdir(parents=True)
    (net / "unet.yaml").write_text("name: t\n")
    (net / "devices" / "r1.yaml").write_text("name: r1\n")
    (tmp_path / "README").write_text("outside net/\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "one")
    (net / "devices" / "r1.yaml").write_text("name: r1\nrole: core\n")
    (net / "devices" / "r2.yaml").write_text("name: r2\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "two")
    return net


def test_reads_a_past_revision_without_checking_out(repo: Path):
    old = GitSnapshot(repo, "HEAD~1")
    assert old.files() == ["devices/r1.yaml", "unet.yaml"]
    assert old.files("devices/") == ["devices/r1.yaml"]
    assert old.read("devices/r1.yaml") == b"name: r1\n"
    assert (repo / "devices" / "r2.yaml").exists()  # the worktree is untouched
    assert "HEAD~1" in old.label


def test_blob_ids_match_the_worktree(repo: Path):
    head, worktree = GitSnapshot(repo, "HEAD"), WorktreeSnapshot(repo)
    assert head.files() == worktree.files()
    for path in head.files():
        assert head.read(path) == worktree.read(path)
        assert head.blob_id(path) == worktree.blob_id(path)


def test_a_repository_without_commits_says_so(tmp_path: Path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    with pytest.raises(RevisionError, match="the repository has no commits yet; commit first"):
        GitSnapshot(tmp_path, "HEAD")


def test_unknown_revision_and_missing_file(repo: Path):
    with pytest.raises(RevisionError) as caught:
        GitSnapshot(repo, "nope")
    # git's own "fatal: Needed a single revision" says nothing to the reader
    assert str(caught.value) == "unknown revision 'nope': no commit, branch or tag of that name"
    with pytest.raises(RevisionError, match=r"is the history that long\? a shallow clone"):
        GitSnapshot(repo, "HEAD~500")
    from unet.source import SnapshotReadError

    with pytest.raises(SnapshotReadError, match="no such file"):
        GitSnapshot(repo, "HEAD~1").read("devices/r2.yaml")


def test_revision_ranges(repo: Path):
    first, second = git(repo, "rev-parse", "HEAD~1"), git(repo, "rev-parse", "HEAD")
    assert resolve_revision_range(repo, "HEAD~1") == (first, None)
    assert resolve_revision_range(repo, "HEAD~1..HEAD") == (first, second)
    assert resolve_revision_range(repo, "HEAD~1..") == (first, second)
    assert resolve_revision_range(repo, "HEAD~1...HEAD") == (first, second)


@pytest.mark.parametrize("text", ["HEAD:../../etc", "HEAD:devices", "HEAD~1..HEAD:x"])
def test_a_file_in_a_commit_is_not_a_revision_and_the_message_names_it_whole(
        repo: Path, text: str) -> None:
    with pytest.raises(RevisionError) as caught:
        resolve_revision_range(repo, text)
    assert str(caught.value).startswith(f"unknown revision {text!r}: REV:PATH names a file")


def test_git_messages_are_one_line() -> None:
    from unet.source._git import git_message

    assert git_message("stderr: 'fatal: ambiguous argument 'x'\nUse '--' to separate'\n") == \
        "fatal: ambiguous argument 'x'; Use '--' to separate"


def test_not_a_git_repository(tmp_path: Path):
    with pytest.raises(RevisionError, match="not inside a git repository"):
        GitSnapshot(tmp_path, "HEAD")


def test_a_repository_in_an_ignored_folder_is_read_from_disk(tmp_path) -> None:
    import subprocess

    from unet.source import GitWorktreeSnapshot, worktree_snapshot

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("generated/\n")
    net = tmp_path / "generated" / "net"
    net.mkdir(parents=True)
    (net / "unet.yaml").write_text("name: x\n")
    snapshot = worktree_snapshot(net)
    assert not isinstance(snapshot, GitWorktreeSnapshot)
    assert snapshot.files() == ["unet.yaml"]


OPTION_LIKE = ["--independent", "--octopus", "--fork-point", "--output=/tmp/unet-x", "-h", "--",
               "--all", "-"]


@pytest.mark.parametrize("value", OPTION_LIKE)
def test_a_value_that_looks_like_an_option_never_reaches_git_as_one(repo: Path, value: str):
    from unet.source import changed_since

    with pytest.raises(ValueError, match="never starts with '-'"):
        changed_since(repo, value)
    with pytest.raises(RevisionError, match="never starts with '-'"):
        GitSnapshot(repo, value)
    with pytest.raises(RevisionError, match="never starts with '-'"):
        resolve_revision_range(repo, f"HEAD..{value}")
    assert not Path("/tmp/unet-x").exists()


def test_check_changed_since_an_option_is_an_error_not_an_empty_check(repo: Path):
    from click.testing import CliRunner

    from unet.cli import cli

    (repo / "devices" / "r1.yaml").write_text("name: r1\nrole: edge\n")
    for value in ("--independent", "--octopus", "--fork-point"):
        result = CliRunner().invoke(cli, ["--repo", str(repo), "check", f"--changed-since={value}"])
        assert result.exit_code == 2 and f"unknown revision '{value}'" in result.stderr
        assert "nothing changed" not in result.stderr


def test_a_sha256_repository_has_its_own_ids_and_the_index_keeps_them(tmp_path: Path):
    from unet.index import CheckOptions, indexed_check
    from unet.source import GitWorktreeSnapshot, worktree_snapshot

    root = tmp_path / "net"
    (root / "devices").mkdir(parents=True)
    (root / "unet.yaml").write_text("name: t\n")
    (root / "devices" / "r1.yaml").write_text("name: r1\n")
    try:
        git(root, "init", "-q", "--object-format=sha256")
    except subprocess.CalledProcessError:
        pytest.skip("this git cannot make SHA-256 repositories")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "one")
    (root / "devices" / "r2.yaml").write_text("name: r2\n")  # untracked: hashed by unet
    snapshot = worktree_snapshot(root)
    assert isinstance(snapshot, GitWorktreeSnapshot)
    for path in ("devices/r1.yaml", "devices/r2.yaml"):
        assert snapshot.blob_id(path) == git(root, "hash-object", path)
        snapshot.read(path)
        assert snapshot.read_id(path) == snapshot.blob_id(path)
    assert GitSnapshot(root, "HEAD").read("devices/r1.yaml") == b"name: r1\n"
    indexed_check(root, worktree_snapshot(root), CheckOptions())
    assert indexed_check(root, worktree_snapshot(root), CheckOptions()).stats["warm"] == 1


def test_a_file_over_the_read_limit_is_refused_not_loaded(repo: Path):
    """A 400 MB policy file (tiny in git) was read whole: gigabytes, then exit 3."""
    from unet.source import SnapshotReadError, worktree_snapshot
    from unet.source._snapshot import MAX_READ_BYTES

    big = repo / "policies" / "big.unet"
    big.parent.mkdir()
    with big.open("wb") as out:
        out.truncate(MAX_READ_BYTES + 1)  # sparse: no disk used
    git(repo.parent, "add", "-A")
    git(repo.parent, "commit", "-qm", "big")
    for snapshot in (worktree_snapshot(repo), GitSnapshot(repo, "HEAD")):
        with pytest.raises(SnapshotReadError, match=r"is 32\.0 MiB, over the 32 MiB unet "
                                                    r"reads of any file"):
            snapshot.read("policies/big.unet")
        assert snapshot.read("devices/r1.yaml")  # the next read is unaffected
