#!/usr/bin/env python3
"""`unet check` with the index on a generated fleet: cold, warm, one device, one group, -j 2.

    python benchmarks/bench_index.py [N] [--runs R]

Uses the fleet of bench_check.py (`benchmarks/.fleet-N-configs`, 40 rules) turned
into a git repository, and a private cache directory. Every figure is a whole
`unet check --format json` process, as pre-commit and CI run it, median of R runs
(default 3):

- cold in one process (`-j 1`), the index deleted before each run: the reference;
- cold as users run it (`-j` defaults to one process per CPU);
- warm: nothing changed since the last run;
- one device file changed (a comment appended; the edit is undone afterwards);
- one group file changed (a group inherited by about 10% of the devices);
- cold with `-j 2`;
- `check --new-since HEAD~1` after a one-device commit, cold (index deleted) and warm,
  against a warm plain `check` of the same commit (goal: warm ≤ 2× that);
- `validate` (data plus every device's templates), cold and warm (goal: warm < 1 s).

The JSON of every run is compared with the cold one: the findings must be the same.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_check import fleet  # noqa: E402


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def as_git(root: Path) -> None:
    if not (root / ".git").exists():
        git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.email=bench@unet", "-c", "user.name=bench", "commit", "-qm", "fleet",
        "--allow-empty")


def check(root: Path, env: dict[str, str], *extra: str) -> tuple[float, dict[str, object]]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "unet", "--repo", str(root), "check",
                             "--format", "json", "--exit-zero", *extra],
                            capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - start, json.loads(result.stdout)


def timed(root: Path, env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "unet", "--repo", str(root), *args],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def baseline_rows(root: Path, env: dict[str, str], cache: Path, runs: int,
                  ) -> list[tuple[str, float, float | None]]:
    """--new-since HEAD~1 after committing a one-device edit; validate cold and warm."""
    device = next((root / "devices").rglob("*.yaml"))
    original = device.read_text()
    device.write_text(original + "# one-device commit\n")
    git(root, "-c", "user.email=bench@unet", "-c", "user.name=bench", "commit", "-qam",
        "one device")
    since = ("check", "--format", "json", "--exit-zero", "--new-since", "HEAD~1")
    try:
        cold_since, cold_validate = [], []
        for _ in range(runs):
            shutil.rmtree(cache, ignore_errors=True)
            cold_since.append(timed(root, env, *since))
            shutil.rmtree(cache, ignore_errors=True)
            cold_validate.append(timed(root, env, "validate"))
        timed(root, env, *since)
        warm_since = [timed(root, env, *since) for _ in range(runs)]
        warm_plain = [check(root, env)[0] for _ in range(runs)]
        warm_validate = [timed(root, env, "validate") for _ in range(runs)]
    finally:
        git(root, "reset", "-q", "--hard", "HEAD~1")
    median = statistics.median
    plain = median(warm_plain)
    print(f"new-since warm / plain check warm: {median(warm_since) / plain:.2f}x (goal <= 2x)")
    return [("warm check, one-device commit", plain, None),
            ("--new-since HEAD~1, cold index", median(cold_since), None),
            ("--new-since HEAD~1, warm index", median(warm_since), 2 * plain),
            ("validate + templates, cold", median(cold_validate), None),
            ("validate + templates, warm", median(warm_validate), 1.0)]


def findings(document: dict[str, object]) -> list[object]:
    return document["findings"]  # type: ignore[return-value]


def biggest_group(root: Path, fraction: float, devices: int) -> Path:
    """The group file whose membership is closest to `fraction` of the devices."""
    counts: Counter[str] = Counter()
    for path in (root / "devices").rglob("*.yaml"):
        for line in path.read_text().splitlines():
            if line.startswith("groups:"):
                counts.update(g.strip() for g in line[7:].strip(" []").split(","))
    name = min(counts, key=lambda g: abs(counts[g] - fraction * devices))
    print(f"group edited: {name} ({counts[name]} direct members)")
    return root / "groups" / f"{name}.yaml"


def edited(path: Path, env: dict[str, str], root: Path, runs: int) -> list[float]:
    original = path.read_text()
    times = []
    try:
        for i in range(runs):
            path.write_text(original + f"# edit {i}\n" if i % 2 else original + "# edit\n")
            times.append(check(root, env)[0])
    finally:
        path.write_text(original)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = fleet(args.n)
    as_git(root)
    cache = Path(tempfile.mkdtemp(prefix="unet-bench-cache-"))
    env = {**os.environ, "UNET_CACHE_DIR": str(cache)}
    try:
        cold, default, reference = [], [], None
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            seconds, document = check(root, env, "-j", "1")
            cold.append(seconds)
            reference = reference or document
            shutil.rmtree(cache, ignore_errors=True)
            default.append(check(root, env)[0])
        warm = [check(root, env)[0] for _ in range(args.runs)]
        device = next((root / "devices").rglob("*.yaml"))
        one_device = edited(device, env, root, args.runs)
        group = biggest_group(root, 0.10, args.n)
        one_group = edited(group, env, root, args.runs)
        parallel = []
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            seconds, document = check(root, env, "-j", "2")
            parallel.append(seconds)
            assert findings(document) == findings(reference), "-j 2 differs"
        _, again = check(root, env)
        assert findings(again) == findings(reference), "warm run differs"
        extra = baseline_rows(root, env, cache, args.runs)
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    median = statistics.median
    base = median(cold)
    rows = [("cold, -j 1 (reference)", base, None),
            ("cold, default -j (one per CPU)", median(default), 10.0),
            ("warm, nothing changed", median(warm), 0.5),
            ("one device file changed", median(one_device), 1.5),
            ("one group file changed (~10%)", median(one_group), None),
            ("cold, -j 2", median(parallel), None), *extra]
    print(f"fleet: {args.n} devices, 40 rules, {len(findings(reference))} findings; "
          f"medians of {args.runs} whole-process runs")
    for label, seconds, budget in rows:
        verdict = "" if budget is None else (" met" if seconds <= budget else " MISSED")
        limit = f"budget {budget:.3g} s{verdict}" if budget else ""
        print(f"{label:34} {seconds:7.2f} s  {seconds / base:6.3f}x cold  {limit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
