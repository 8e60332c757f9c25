"""A damaged, read-only or missing index never stops a run, and never changes its answer.

Every case runs the real `unet check` (in-process) on a copy of examples/ in real git,
with a real SQLite file in a private cache folder, and compares it with `--no-cache`.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.helpers import git_examples
from unet.cli import cli
from unet.index import index_path, index_stats
from unet.index._db import seal

DEVICE = "devices/hq/hq-acc-01.yaml"


def unet(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--repo", str(root), *args])


def check(root: Path, *args: str) -> Result:
    result = unet(root, "check", "--format", "json", *args)
    assert result.exit_code in (0, 1, 2), (result.stderr, result.exception)
    return result


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return git_examples(tmp_path / "net")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("UNET_CACHE_DIR", str(folder))
    return folder


def uncached(root: Path) -> str:
    return check(root, "--no-cache").stdout


def _edit(root: Path, text: str) -> None:
    path = root / DEVICE
    base = path.read_text().split("# edit")[0]
    path.write_text(base + f"# edit {text}\n")


def _damage(root: Path, sql: str, *args: object) -> None:
    connection = sqlite3.connect(index_path(root))
    with connection:
        connection.execute(sql, args)
    connection.close()


def test_a_missing_table_is_reported_by_status_and_rebuilt(root: Path, cache: Path) -> None:
    expected = uncached(root)
    check(root)
    _damage(root, "DROP TABLE runs")
    assert index_stats(root)["state"].startswith("damaged (no such table: runs)")
    result = check(root)
    assert result.stdout == expected
    assert "I100" in result.stderr and "rebuilt" in result.stderr
    assert index_stats(root)["state"].startswith("ok")
    assert check(root).stderr.count("I100") == 0  # rebuilt: quiet again


@pytest.mark.parametrize("table", ["documents", "device_results", "runs"])
def test_a_body_that_is_not_marshal_data_is_never_answered_from(
        root: Path, cache: Path, table: str) -> None:
    check(root)
    if table != "runs":  # an incremental run reads stored files and device results
        _edit(root, "one")
    expected = uncached(root)
    keys = {"documents": "blob, kind", "device_results": "device, inputs", "runs": "key"}[table]
    connection = sqlite3.connect(index_path(root))
    with connection:  # a correct checksum over bytes that are not an entry
        for row in connection.execute(f"SELECT rowid, {keys} FROM {table}").fetchall():
            connection.execute(f"UPDATE {table} SET body = ? WHERE rowid = ?",
                               (seal([str(k) for k in row[1:]], b"\xffnot marshal"), row[0]))
    connection.close()
    result = check(root)
    assert result.stdout == expected
    assert "I100" in result.stderr and "cannot be decoded" in result.stderr


def test_bodies_swapped_between_entries_fail_their_checksum(root: Path, cache: Path) -> None:
    check(root)
    _edit(root, "two")
    expected = uncached(root)
    connection = sqlite3.connect(index_path(root))
    with connection:  # each body is valid data, but another file's: silently wrong before
        rows = connection.execute("SELECT rowid, body FROM documents ORDER BY rowid").fetchall()
        for (rowid, _), (_, body) in zip(rows, rows[1:] + rows[:1], strict=True):
            connection.execute("UPDATE documents SET body = ? WHERE rowid = ?", (body, rowid))
    connection.close()
    assert "fail their checksum" in index_stats(root)["state"]
    result = check(root)
    assert result.stdout == expected and "an entry of documents fails its checksum" in result.stderr


def test_random_bytes_overwritten_in_the_database(root: Path, cache: Path) -> None:
    """40 trials: a few random bytes anywhere in a good index, then a run. Never exit 3,
    never an answer other than --no-cache's."""
    states = {text: (lambda t: (_edit(root, t), uncached(root))[1])(text) for text in ("b", "a")}
    check(root)  # the good index: built at state "a", so state "b" is an incremental run
    good = index_path(root).read_bytes()
    for extra in index_path(root).parent.glob(index_path(root).name + "-*"):
        extra.unlink()
    rng = random.Random(11)
    warned = 0
    for trial in range(40):
        damaged = bytearray(good)
        for _ in range(rng.randint(1, 6)):
            offset = rng.randrange(len(damaged))
            damaged[offset:offset + 4] = rng.randbytes(4)
        for old in index_path(root).parent.glob("*"):
            old.unlink()
        index_path(root).write_bytes(bytes(damaged))
        state = "ab"[trial % 2]
        _edit(root, state)
        result = check(root)
        assert result.stdout == states[state], (trial, result.stderr)
        warned += "I100" in result.stderr
    assert warned  # some trials did hit the damage (the rest changed unused bytes)


@pytest.mark.parametrize("content", ["truncated", "garbage", "empty", "devnull"])
def test_unreadable_index_files_are_moved_aside_and_rebuilt(
        root: Path, cache: Path, content: str) -> None:
    expected = uncached(root)
    check(root)
    path = index_path(root)
    good = path.read_bytes()
    for extra in path.parent.glob(path.name + "-*"):
        extra.unlink()
    path.unlink()
    if content == "devnull":
        path.symlink_to(os.devnull)
    else:
        path.write_bytes({"truncated": good[: len(good) // 3], "garbage": os.urandom(9000),
                          "empty": b""}[content])
    result = check(root)
    assert result.stdout == expected
    assert content == "empty" or "I100" in result.stderr
    assert check(root).stdout == expected
    assert Path(os.devnull).exists() and os.path.getsize(os.devnull) == 0


def test_a_cache_dir_that_is_a_file_or_cannot_be_made(root: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    expected = uncached(root)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    for setting in (blocker, blocker / "below"):
        monkeypatch.setenv("UNET_CACHE_DIR", str(setting))
        result = check(root)
        assert result.stdout == expected
        assert "I101" in result.stderr and "does without the index" in result.stderr
        assert "internal error" not in result.stderr
        status = unet(root, "index", "status")
        assert status.exit_code == 0


def _read_only(folder: Path) -> None:
    """Make `folder` read-only for this process, root included (chattr +i)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: cannot make a read-only folder")
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    if done.returncode:
        pytest.skip(f"chattr +i is not supported here: {done.stderr.decode().strip()}")


def _writable(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], check=False)
    folder.chmod(0o755)


@pytest.mark.parametrize("holding", ["nothing", "a valid index"])
def test_a_read_only_cache_folder(root: Path, cache: Path, holding: str) -> None:
    expected = uncached(root)
    folder = cache / "index"
    if holding == "nothing":
        folder.mkdir(parents=True)
    else:
        check(root)
    _read_only(folder)
    try:
        first, second = check(root), check(root)
        for result in (first, second):
            assert result.stdout == expected
            assert "internal error" not in result.stderr
        if holding == "nothing":
            assert "I101" in first.stderr
        else:  # used as it is: answered from the stored run, nothing written
            assert "I102" in first.stderr and "read as it is" in first.stderr
            assert "answered from the index" in unet(root, "-v", "check").stderr
    finally:
        _writable(folder)


def test_a_full_disk(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real full file system (a small tmpfs): the run goes on and says so."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    try:
        monkeypatch.setenv("UNET_CACHE_DIR", str(mount))
        expected = uncached(root)
        results = [check(root)]
        _edit(root, "full")
        results.append(check(root))
        results.append(check(root))
        assert results[0].stdout == expected
        assert results[2].stdout == results[1].stdout == uncached(root)
        assert any("I102" in r.stderr and "disk is full" in r.stderr
                   for r in results), [r.stderr for r in results]
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_status_says_ok_for_a_good_index(root: Path, cache: Path) -> None:
    check(root)
    stats = index_stats(root)
    assert stats["state"].startswith("ok") and int(stats["parsed files"]) > 30
    assert "state:" in unet(root, "index", "status").stdout
