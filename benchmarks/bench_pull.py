#!/usr/bin/env python3
"""`unet pull` against plain netmiko doing the same collection, on the router lab.

For each lab size (default 1, 4 and 12 FRR routers) in the same run:

- reference: a plain netmiko loop, device after device: connect, `show version`,
  `show running-config`, write both outputs to files, disconnect;
- unet, in-process: `unet.devices.pull` with -j 1 (same work: configs/ and state/ are
  emptied before each repetition so every file is written), also counting the reading
  of the repository, and with -j N;
- whole processes: `unet pull -j 1` against `python ref.py` (interpreter start and
  imports included), both run in the lab namespace.

The runs take turns in every repetition, so a change in the machine's load affects
them alike. Reported: medians, per-device cost, the ratio unet / netmiko (goal ≤ 1.2× for one
device) and the speed-up of -j N over -j 1. Needs root, frr and openssh-server (as
the lab does). Usage:

    python benchmarks/bench_pull.py [--sizes 1,4,12] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.lab import Lab, down, prerequisites, up  # noqa: E402

REFERENCE = """\
import sys
from pathlib import Path
from netmiko import ConnectHandler
out = Path(sys.argv[1]); username, password = sys.argv[2], sys.argv[3]
for host in sys.argv[4:]:
    connection = ConnectHandler(device_type="cisco_ios", host=host, username=username,
                                password=password)
    version = connection.send_command("show version")
    config = connection.send_command("show running-config")
    connection.disconnect()
    (out / f"{host}.version").write_text(version)
    (out / f"{host}.cfg").write_text(config)
"""


def interleaved(runs: dict[str, Callable[[], object]], repeat: int,
                before: Callable[[], None]) -> dict[str, float]:
    """Median seconds of each run, the runs taking turns in every repetition (so a change
    in the machine's load affects them alike); `before` runs untimed before each."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            before()
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def reference_loop(lab: Lab, out: Path) -> None:
    from netmiko import ConnectHandler

    for router in lab.routers:
        connection = ConnectHandler(device_type="cisco_ios", host=router.address,
                                    username=lab.username, password=lab.password)
        version = connection.send_command("show version")
        config = connection.send_command("show running-config")
        connection.disconnect()
        (out / f"{router.name}.version").write_text(version)
        (out / f"{router.name}.cfg").write_text(config)


def unet_pull(repo: Path, jobs: int, *, load: bool) -> Callable[[], None]:
    """`unet.devices.pull` on every device; with `load`, reading the repository counts."""
    from unet.devices import pull
    from unet.inventory import load_inventory
    from unet.policy import select
    from unet.source import worktree_snapshot

    def loaded() -> tuple[object, object, list[object]]:
        snapshot = worktree_snapshot(repo)
        inventory = load_inventory(snapshot)
        return snapshot, inventory, select(inventory)

    ready = loaded()

    def run() -> None:
        snapshot, inventory, devices = loaded() if load else ready
        result = pull(repo, snapshot, inventory, devices, jobs=jobs)  # type: ignore[arg-type]
        failed = [r for r in result.results if r.status != "changed"]
        assert not failed, failed

    return run


def empty(repo: Path) -> Callable[[], None]:
    def clear() -> None:
        for folder in ("configs", "state"):
            for path in (repo / folder).glob("lab-*"):
                path.unlink()

    return clear


def measure(size: int, repeat: int, work: Path) -> dict[str, float]:
    name = f"bench-{os.getpid()}-{size}"
    repo = work / f"net-{size}"
    lab = up(size, repo=repo, name=name, owner=os.getpid())
    try:
        out = work / f"ref-{size}"
        out.mkdir()
        for key, value in lab.env().items():
            os.environ[key] = value
        jobs = min(size, 16)
        with lab.inside():
            reference_loop(lab, out)  # warm-up: imports, first connections
            unet_pull(repo, 1, load=False)()
            t = interleaved({"netmiko": lambda: reference_loop(lab, out),
                             "unet": unet_pull(repo, 1, load=False),
                             "unet_load": unet_pull(repo, 1, load=True),
                             "unet_jobs": unet_pull(repo, jobs, load=False)},
                            repeat, empty(repo))
        script = work / "ref.py"
        script.write_text(REFERENCE)
        hosts = [r.address for r in lab.routers]
        unet = str(Path(sys.executable).with_name("unet"))
        p = interleaved({
            "netmiko": lambda: lab.run([sys.executable, str(script), str(out), lab.username,
                                        lab.password, *hosts], check=True),
            "unet": lambda: lab.run([unet, "--repo", str(repo), "pull", "-j", "1"], check=True),
        }, repeat, empty(repo))
    finally:
        down(name)
    return {"devices": size, "jobs": jobs, "netmiko_s": t["netmiko"], "unet_j1_s": t["unet"],
            "unet_j1_with_load_s": t["unet_load"], "unet_jN_s": t["unet_jobs"],
            "ratio": t["unet"] / t["netmiko"], "ratio_with_load": t["unet_load"] / t["netmiko"],
            "per_device_netmiko_s": t["netmiko"] / size, "per_device_unet_s": t["unet"] / size,
            "speedup": t["unet"] / t["unet_jobs"], "netmiko_process_s": p["netmiko"],
            "unet_process_s": p["unet"], "process_ratio": p["unet"] / p["netmiko"]}


def lab_main(benchmark: str, measure: Callable[[int, int, Path], dict[str, Any]],
             line: Callable[[int, dict[str, Any]], str]) -> int:
    """The command line of a lab benchmark: each --sizes lab measured, a line per size on
    stderr, the rows as one JSON document on stdout."""
    parser = argparse.ArgumentParser(description=f"unet {benchmark} on the router lab")
    parser.add_argument("--sizes", default="1,4,12")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    missing = prerequisites()
    if missing:
        print(f"bench_{benchmark} needs the router lab: " + "; ".join(missing), file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix=f"bench-{benchmark}-"))
    rows = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(size, args.repeat, work))
            print(line(size, rows[-1]), file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"benchmark": benchmark, "cpus": os.cpu_count(), "repeat": args.repeat,
                      "rows": rows}))
    return 0


def _line(size: int, row: dict[str, Any]) -> str:
    return (f"{size:>3} routers: netmiko {row['netmiko_s']:.2f} s "
            f"({row['per_device_netmiko_s'] * 1000:.0f} ms/device), unet -j1 "
            f"{row['unet_j1_s']:.2f} s ({row['per_device_unet_s'] * 1000:.0f} ms/device), "
            f"ratio {row['ratio']:.2f}x ({row['ratio_with_load']:.2f}x with reading the "
            f"repository); -j{row['jobs']} {row['unet_jN_s']:.2f} s "
            f"(speed-up {row['speedup']:.1f}x); whole process: netmiko "
            f"{row['netmiko_process_s']:.2f} s, unet {row['unet_process_s']:.2f} s "
            f"({row['process_ratio']:.2f}x)")


if __name__ == "__main__":
    sys.exit(lab_main("pull", measure, _line))
