#!/usr/bin/env python3
"""Whole-process start-up time of `unet --help` and `unet --version`.

    python benchmarks/bench_startup.py [--runs R]

Runs each command R times (default 21) as a fresh process and prints the medians,
next to two references measured in the same run: a bare interpreter
(`python -c pass`) and `python -c "import click"` (the floor for any click CLI).
The budget (DESIGN.md §6) is `unet --help` ≤ 80 ms.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def median_ms(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    unet = shutil.which("unet", path=str(Path(sys.executable).parent)) or "unet"
    rows = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ('python -c "import click"', [sys.executable, "-c", "import click"]),
        ("unet --version", [unet, "--version"]),
        ("unet --help", [unet, "--help"]),
    ]
    results = {label: median_ms(command, args.runs) for label, command in rows}
    floor = results['python -c "import click"']
    for label, ms in results.items():
        print(f"{label:28} {ms:7.1f} ms   {ms / floor:5.2f}x import click")
    print(f"medians of {args.runs} runs each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
