#!/usr/bin/env python3
"""How long unet takes to refuse hostile input: symlinks and damaged indexes.

    python benchmarks/bench_refusals.py [--runs R]

Part 1, in-process: each hostile symlink of a pull request (into .git/, out of the
repository, absolute, a 40-link chain, a loop, a folder link, a FIFO...) is read
through the three snapshots (plain folder, git work tree, git revision); the figure
is the median time of one refused read, against one good read of a regular file in
the same snapshot (the reference).

Part 2, whole processes on a copy of examples/: `unet check` with a damaged index
(garbage, truncated, a missing table, a body that fails its checksum, a read-only
folder, UNET_CACHE_DIR a file) against a cold run with no index (the reference).
Every run must print what `--no-cache` prints.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from unet.index import index_path  # noqa: E402
from unet.source import (  # noqa: E402
    GitSnapshot,
    Snapshot,
    SnapshotReadError,
    WorktreeSnapshot,
    worktree_snapshot,
)

IDENTITY = ["-c", "user.email=bench@unet", "-c", "user.name=bench"]


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def hostile_tree(root: Path) -> dict[str, str]:
    """A repository with one regular file and every kind of hostile link; link -> kind."""
    (root / "configs").mkdir(parents=True)
    git(root, "init", "-q")
    (root / "unet.yaml").write_text("name: bench\n")
    (root / "configs" / "good.cfg").write_text("hostname good\n" * 200)
    (root.parent / "outside").write_text("secret\n")
    links = {"configs/git.cfg": ("../.git/config", "into .git/"),
             "configs/out.cfg": ("../../outside", "out of the repository"),
             "configs/abs.cfg": ("/etc/passwd", "absolute"),
             "configs/loop.cfg": ("loop.cfg", "a loop"),
             "configs/dir.cfg": ("..", "a folder"),
             "configs/dangling.cfg": ("nothing", "dangling")}
    for i in range(40):  # a chain of 40 links, the last into .git/
        links[f"configs/chain{i}.cfg"] = (f"chain{i + 1}.cfg", "a 41-link chain")
    links["configs/chain40.cfg"] = ("../.git/config", "a 41-link chain")
    for link, (target, _) in links.items():
        os.symlink(target, root / link)
    git(root, "add", "-A")
    git(root, *IDENTITY, "commit", "-qm", "hostile")
    return {link: kind for link, (_, kind) in links.items() if not link.startswith("configs/chain")
            or link == "configs/chain0.cfg"}


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def refuse(snapshot: Snapshot, path: str) -> None:
    try:
        snapshot.read(path)
    except SnapshotReadError as exc:
        assert exc.code == "U111", exc
        return
    raise AssertionError(f"{path} was read")


def part_one(work: Path, runs: int) -> None:
    root = work / "net"
    links = hostile_tree(root)
    snapshots: dict[str, Callable[[], Snapshot]] = {
        "plain folder": lambda: WorktreeSnapshot(root),
        "git work tree": lambda: worktree_snapshot(root),
        "git revision": lambda: GitSnapshot(root, "HEAD")}
    print(f"refused reads: median of {runs}, microseconds (ratio to one good read)")
    print(f"{'link':24} {'kind':18} " + " ".join(f"{name:>20}" for name in snapshots))
    made = {name: make() for name, make in snapshots.items()}
    good = {name: median_seconds(lambda s=s: s.read("configs/good.cfg"), runs)
            for name, s in made.items()}
    print(f"{'configs/good.cfg':24} {'(reference)':18} "
          + " ".join(f"{good[n] * 1e6:14.1f} (1.0x)" for n in snapshots))
    slowest = (0.0, "")
    for link, kind in links.items():
        cells = []
        for name, snapshot in made.items():
            seconds = median_seconds(lambda s=snapshot, p=link: refuse(s, p), runs)
            slowest = max(slowest, (seconds, f"{link} ({kind}) in the {name}"))
            cells.append(f"{seconds * 1e6:12.1f} ({seconds / good[name]:4.1f}x)")
        print(f"{link:24} {kind:18} " + " ".join(cells))
    fifo = work / "fifo"
    (fifo / "configs").mkdir(parents=True)
    os.mkfifo(fifo / "configs" / "r1.cfg")
    plain = WorktreeSnapshot(fifo)

    def read_fifo() -> None:
        try:
            plain.read("configs/r1.cfg")
        except SnapshotReadError:
            return

    seconds = median_seconds(read_fifo, runs)
    slowest = max(slowest, (seconds, "a FIFO in a plain folder"))
    print(f"{'configs/r1.cfg':24} {'a FIFO':18} {seconds * 1e6:12.1f}")
    print(f"slowest refusal: {slowest[1]}, {slowest[0] * 1e6:.0f} µs")


def check(root: Path, cache: Path, *extra: str) -> tuple[float, str, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "unet", "--repo", str(root), "check",
                           "--format", "json", *extra], capture_output=True, text=True,
                          env={**os.environ, "UNET_CACHE_DIR": str(cache)})
    assert done.returncode in (0, 1, 2), done.stderr
    return time.perf_counter() - start, done.stdout, done.stderr


def part_two(work: Path, runs: int) -> None:
    root = work / "examples"
    shutil.copytree(ROOT / "examples", root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, *IDENTITY, "commit", "-qm", "examples")
    cache = work / "cache"
    os.environ["UNET_CACHE_DIR"] = str(cache)  # index_path() here, as in the runs
    _, expected, _ = check(root, cache, "--no-cache")

    def fresh_index() -> Path:
        shutil.rmtree(cache, ignore_errors=True)
        check(root, cache)
        for extra in index_path(root).parent.glob(index_path(root).name + "-*"):
            extra.unlink()
        return index_path(root)

    def garbage() -> None:
        fresh_index().write_bytes(os.urandom(20_000))

    def truncated() -> None:
        path = fresh_index()
        path.write_bytes(path.read_bytes()[:8192])

    def no_table() -> None:
        with sqlite3.connect(fresh_index()) as connection:
            connection.execute("DROP TABLE runs")

    def bad_checksum() -> None:
        with sqlite3.connect(fresh_index()) as connection:
            connection.execute("UPDATE runs SET body = substr(body, 1, 30) || x'00' || "
                               "substr(body, 32)")

    def cache_is_a_file() -> None:
        shutil.rmtree(cache, ignore_errors=True)
        cache.write_text("not a folder\n")

    check(root, cache)  # warm the file system caches before the reference
    cases = {"cold, no index (reference)": lambda: shutil.rmtree(cache, ignore_errors=True),
             "garbage file": garbage, "truncated file": truncated,
             "a missing table": no_table, "a stored run fails its checksum": bad_checksum,
             "UNET_CACHE_DIR is a file": cache_is_a_file}
    print(f"\nunet check on examples/ with a damaged index: median of {runs} whole processes")
    base = None
    for label, damage in cases.items():
        times = []
        for _ in range(runs):
            damage()
            seconds, out, err = check(root, cache)
            assert out == expected, f"{label}: not what --no-cache prints\n{err}"
            times.append(seconds)
            if cache.is_file():
                cache.unlink()
        seconds = statistics.median(times)
        base = base or seconds
        print(f"{label:34} {seconds:6.2f} s  {seconds / base:5.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="unet-bench-refusals-"))
    try:
        part_one(work, max(args.runs, 21))
        part_two(work, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
