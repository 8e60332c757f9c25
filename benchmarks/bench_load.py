#!/usr/bin/env python3
"""Load, validate and resolve a generated fleet; report time per device and peak memory.

    python benchmarks/bench_load.py [N] [--runs R]

Generates (or reuses) `benchmarks/.fleet-N` with gen_fleet.py, then in one process:

- reference: parse every YAML data file with PyYAML's C loader (`yaml.load(CSafeLoader)`),
  the fastest plain YAML read there is, with no positions, schema or resolution;
- unet: `load_inventory` (YAML 1.2 with positions and duplicate-key checks, schema
  validation, resolution with provenance, referential integrity).

Each is run R times (default 5); medians are reported, with unet's cost as a ratio of
the reference. Peak memory is the growth of the process's peak RSS during one unet load.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from unet.inventory import load_inventory  # noqa: E402
from unet.source import WorktreeSnapshot  # noqa: E402

DATA = ("unet.yaml", "defaults.yaml", "locations/", "groups/", "devices/", "links/")


def fleet(n: int) -> Path:
    out = HERE / f".fleet-{n}"
    if not (out / "unet.yaml").exists():
        subprocess.run([sys.executable, str(HERE / "gen_fleet.py"), str(n), "--out", str(out)],
                       check=True, stdout=subprocess.DEVNULL)
    return out


def reference(root: Path) -> float:
    import yaml

    snapshot = WorktreeSnapshot(root)
    paths = [p for p in snapshot.files() if p.startswith(DATA) and p.endswith(".yaml")]
    start = time.perf_counter()
    for path in paths:
        yaml.load(snapshot.read(path), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def unet_load(root: Path) -> tuple[float, int, int]:
    start = time.perf_counter()
    inventory = load_inventory(WorktreeSnapshot(root))
    elapsed = time.perf_counter() - start
    return elapsed, len(inventory.devices), len(inventory.diagnostics)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    gc.set_threshold(100_000, 50, 1000)  # as the CLI does (unet/cli/__init__.py)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = fleet(args.n)

    before = peak_rss_mib()
    _, devices, problems = unet_load(root)  # warm-up, and the memory figure
    peak = peak_rss_mib() - before
    gc.collect()
    if devices != args.n or problems:
        print(f"unexpected: {devices} devices, {problems} diagnostics", file=sys.stderr)
        return 1

    ref_times, unet_times = [], []
    for _ in range(args.runs):
        ref_times.append(reference(root))
        unet_times.append(unet_load(root)[0])
        gc.collect()
    ref, uni = statistics.median(ref_times), statistics.median(unet_times)
    print(f"fleet: {args.n} devices ({root})")
    print(f"reference  PyYAML CSafeLoader, parse only : {ref * 1000:8.0f} ms "
          f"({ref / args.n * 1e6:6.0f} µs/device)")
    print(f"unet       load + validate + resolve      : {uni * 1000:8.0f} ms "
          f"({uni / args.n * 1e6:6.0f} µs/device)")
    print(f"ratio unet / reference                    : {uni / ref:8.2f}x")
    print(f"peak memory growth during one unet load   : {peak:8.0f} MiB")
    print(f"medians of {args.runs} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
