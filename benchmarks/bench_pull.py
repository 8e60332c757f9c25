#!/usr/bin/env python3
"""`unet pull` against plain netmiko doing the same collection, on the router lab.

For each lab size (default 1, 4 and 12 FRR routers) in the same run:

- reference: a plain netmiko loop, device after device: connect, `show version`,
  `show running-config`, write both outputs to files, disconnect;
- unet, in-process: `unet.devices.pull` with -j 1 (same work: configs/ and state/ are
  emptied before each repetition so every file is written), and with -j N;
- whole processes: `unet pull -j 1` against `python ref.py` (interpreter start and
  imports included), both run in the lab namespace.

Reported: medians, per-device cost, the ratio unet / netmiko (goal ≤ 1.2× for one
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


def median_time(run: Callable[[], object], repeat: int, before: Callable[[], None] | None = None,
                ) -> float:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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


def unet_pull(repo: Path, jobs: int) -> Callable[[], None]:
    from unet.devices import pull
    from unet.inventory import load_inventory
    from unet.policy import select
    from unet.source import worktree_snapshot

    def run() -> None:
        snapshot = worktree_snapshot(repo)
        inventory = load_inventory(snapshot)
        result = pull(repo, snapshot, inventory, select(inventory), jobs=jobs)
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
        with lab.inside():
            reference_loop(lab, out)  # warm-up: imports, first connections
            unet_pull(repo, 1)()
            ref = median_time(lambda: reference_loop(lab, out), repeat)
            serial = median_time(unet_pull(repo, 1), repeat, empty(repo))
            jobs = min(size, 16)
            parallel = median_time(unet_pull(repo, jobs), repeat, empty(repo))
        script = work / "ref.py"
        script.write_text(REFERENCE)
        hosts = [r.address for r in lab.routers]
        ref_cli = median_time(lambda: lab.run([sys.executable, str(script), str(out),
                                               lab.username, lab.password, *hosts], check=True),
                              repeat)
        unet = str(Path(sys.executable).with_name("unet"))
        cli = median_time(lambda: lab.run([unet, "--repo", str(repo), "pull", "-j", "1"],
                                          check=True), repeat, empty(repo))
    finally:
        down(name)
    return {"devices": size, "netmiko_s": ref, "unet_j1_s": serial, "unet_jN_s": parallel,
            "jobs": jobs, "ratio": serial / ref, "per_device_netmiko_s": ref / size,
            "per_device_unet_s": serial / size, "speedup": serial / parallel,
            "netmiko_process_s": ref_cli, "unet_process_s": cli, "process_ratio": cli / ref_cli}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,4,12")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    missing = prerequisites()
    if missing:
        print("bench_pull needs the router lab: " + "; ".join(missing), file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-pull-"))
    rows = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(size, args.repeat, work))
            row = rows[-1]
            print(f"{size:>3} routers: netmiko {row['netmiko_s']:.2f} s "
                  f"({row['per_device_netmiko_s'] * 1000:.0f} ms/device), unet -j1 "
                  f"{row['unet_j1_s']:.2f} s ({row['per_device_unet_s'] * 1000:.0f} ms/device), "
                  f"ratio {row['ratio']:.2f}x; -j{row['jobs']} {row['unet_jN_s']:.2f} s "
                  f"(speed-up {row['speedup']:.1f}x); whole process: netmiko "
                  f"{row['netmiko_process_s']:.2f} s, unet {row['unet_process_s']:.2f} s "
                  f"({row['process_ratio']:.2f}x)", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"benchmark": "pull", "cpus": os.cpu_count(), "repeat": args.repeat,
                      "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
