from __future__ import annotations

import subprocess

import pytest

from unet.source import MemorySnapshot, SnapshotReadError, WorktreeSnapshot, blob_id


def test_blob_id_matches_git_hash_object(tmp_path) -> None:
    content = b"name: r1\nplatform: ios\n"
    (tmp_path / "f").write_bytes(content)
    expected = subprocess.run(["git", "hash-object", str(tmp_path / "f")], capture_output=True,
                              text=True, check=True).stdout.strip()
    assert blob_id(content) == expected


def test_worktree_lists_repo_relative_paths_and_skips_hidden_folders(tmp_path) -> None:
    for relative in ("unet.yaml", "devices/a/r1.yaml", ".git/config", ".venv/x.yaml"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x: 1\n")
    snapshot = WorktreeSnapshot(tmp_path)
    assert snapshot.files() == ["devices/a/r1.yaml", "unet.yaml"]
    assert snapshot.files("devices/") == ["devices/a/r1.yaml"]
    assert snapshot.read("devices/a/r1.yaml") == b"x: 1\n"


def test_worktree_refuses_paths_outside_the_repository(tmp_path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "secret").write_text("no")
    snapshot = WorktreeSnapshot(tmp_path / "repo")
    with pytest.raises(SnapshotReadError, match="outside the repository"):
        snapshot.read("../secret")


def test_memory_snapshot() -> None:
    snapshot = MemorySnapshot({"b.yaml": "x", "a.yaml": b"y"})
    assert snapshot.files() == ["a.yaml", "b.yaml"]
    assert snapshot.blob_id("a.yaml") == blob_id(b"y")
    with pytest.raises(SnapshotReadError):
        snapshot.read("c.yaml")
