#!/usr/bin/env python3
"""Checks across the fleet: evaluation time per device as the fleet grows, with
quantifiers that look elements up against walking every element.

    python benchmarks/bench_fleet.py [--devices N] [--interfaces I] [--runs R]

Builds fleets of N and 4N devices (default 40 and 160) of I interfaces (default 10), in
memory, and evaluates the two fleet rules of examples/policies/fabric.unet on them:
router-ids unique, and no interface address used twice. The reference, measured in the
same run, is the same evaluation walking every element (the lookups turned off), which
takes time in proportion to the fleet on every device. With lookups, the time a device
takes should not grow with the fleet: the goal is a growth (per device, 4N against N)
of at most 1.5, where walking grows about 4x. Medians of R runs (default 3).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import unet.policy._compile as compile_module  # noqa: E402
from unet.inventory import load_inventory  # noqa: E402
from unet.policy import run_check  # noqa: E402
from unet.source import MemorySnapshot  # noqa: E402

GOAL_GROWTH = 1.5
FABRIC = (ROOT / "examples" / "policies" / "fabric.unet").read_text()
RULES = "\n\n".join(block for block in FABRIC.split("\n\n")
                    if "router-id-unique" in block or "address-unique" in block)


def fleet(count: int, interfaces: int) -> MemorySnapshot:
    files = {"unet.yaml": "name: bench\n", "policies/fleet.unet": RULES}
    for n in range(count):
        ports = "".join(f"  Gi0/{i}: {{ipv4: 10.{n // 250}.{n % 250}.{4 * i + 1}/30}}\n"
                        for i in range(interfaces))
        files[f"devices/r{n}.yaml"] = (f"name: r{n}\nplatform: ios\nrole: core\n"
                                       f"vars: {{router_id: 10.255.{n // 250}.{n % 250}}}\n"
                                       f"interfaces:\n{ports}")
    return MemorySnapshot(files)


def per_device_ms(snapshot: MemorySnapshot, count: int, runs: int, *, lookups: bool) -> float:
    inventory = load_inventory(snapshot)
    plan = compile_module.plan
    if not lookups:
        compile_module.plan = lambda *args: None  # type: ignore[assignment]
    try:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            run = run_check(snapshot, inventory, today=date(2026, 1, 1))
            times.append(time.perf_counter() - start)
            assert not run.result.findings and not run.result.diagnostics, "a unique fleet"
    finally:
        compile_module.plan = plan
    return statistics.median(times) / count * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=40)
    parser.add_argument("--interfaces", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    small, large = args.devices, args.devices * 4
    figures = {}
    for count in (small, large):
        snapshot = fleet(count, args.interfaces)
        for lookups in (True, False):
            figures[count, lookups] = per_device_ms(snapshot, count, args.runs, lookups=lookups)
    print(f"fleet rules of examples/policies/fabric.unet, {args.interfaces} interfaces a device, "
          f"medians of {args.runs} runs")
    for count in (small, large):
        print(f"{count:5d} devices: looked up {figures[count, True]:7.2f} ms a device, "
              f"walked {figures[count, False]:7.2f} ms a device "
              f"({figures[count, False] / figures[count, True]:.1f}x)")
    growth = figures[large, True] / figures[small, True]
    print(f"growth per device, {large} against {small} devices: looked up {growth:.2f}x "
          f"(goal ≤ {GOAL_GROWTH}x), walked {figures[large, False] / figures[small, False]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
