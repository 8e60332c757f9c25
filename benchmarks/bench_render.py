#!/usr/bin/env python3
"""Wall time of `unet render` and `unet diff` on a generated fleet, against references.

    python benchmarks/gen_fleet.py 5000 --configs --templates
    python benchmarks/bench_render.py [benchmarks/.fleet-5000] [--repeat 3]

References measured in the same run: plain Jinja2 rendering of the same templates with the
same resolved data (no sandbox, no unet), and reading every config and template file.
Reports medians, per-device cost and ratios.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli(root: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "unet", "--repo", str(root), *args],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def plain_jinja(root: Path) -> None:
    """The reference: load + resolve the inventory (as unet does), then plain Jinja2."""
    import jinja2

    from unet.inventory import load_inventory
    from unet.source import WorktreeSnapshot

    inventory = load_inventory(WorktreeSnapshot(root))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(root / "templates"),
                             trim_blocks=True, lstrip_blocks=True)
    for name, device in inventory.devices.items():
        data = device.data
        context = {**data, "name": name, "node": data, "device": data}
        "".join(env.get_template(t).render(context) for t in data.get("templates") or ())


def read_files(root: Path) -> None:
    for path in [*root.glob("configs/*"), *root.rglob("devices/**/*.yaml")]:
        path.read_bytes()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", nargs="?", type=Path, default=HERE / ".fleet-5000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    root = args.root
    if not (root / "templates").is_dir():
        ap.error(f"{root} has no templates/: run gen_fleet.py N --configs --templates")
    devices = sum(1 for _ in root.rglob("devices/**/*.yaml"))
    sys.path.insert(0, str(HERE.parent))
    results = {
        "read files (reference)": timed(lambda: read_files(root), args.repeat),
        "plain jinja2 + inventory (reference)": timed(lambda: plain_jinja(root), args.repeat),
        "unet render": timed(lambda: cli(root, "render"), args.repeat),
        "unet diff": timed(lambda: cli(root, "diff"), args.repeat),
        "unet diff --remediation": timed(lambda: cli(root, "diff", "--remediation"), 1),
    }
    jinja = results["plain jinja2 + inventory (reference)"]
    print(f"{devices} devices, median of {args.repeat} runs")
    for name, seconds in results.items():
        print(f"  {name:<38} {seconds:7.2f} s  {1000 * seconds / devices:6.2f} ms/device  "
              f"{seconds / jinja:5.1f}x jinja2")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
