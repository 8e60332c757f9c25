#!/usr/bin/env python3
"""`unet deploy` against plain netmiko `send_config_set` of the same commands, on the lab.

For each lab size (default 1, 4 and 12 FRR routers) in the same run, with one change
set (a syslog level, two static routes, a prefix-list entry, an interface description
and a BGP neighbour's description: 7 to 9 lines per router):

- reference: a plain netmiko loop, router after router: connect, `send_config_set` of
  the very lines unet's plan sends, disconnect (no checks, no pulls);
- unet -j1, in-process: plan (render + diff of every device), then per router the
  pre-flight pull, the line-by-line apply with each answer checked, the verification
  pull on a new session, configs/ written and the record kept; one router at a time;
- unet with `--batch-size` 1, 4 and all (16 at once within a batch).

Between runs the routers and configs/ are put back (untimed), so every run deploys
the same change to the same state; the runs take turns in every repetition. Reported:
medians, the ratio unet -j1 / netmiko (goal ≤ 2×, the two extra pulls included) and
the wall time per batch size. Needs root, frr and openssh-server. Usage:

    python benchmarks/bench_deploy.py [--sizes 1,4,12] [--repeat 5]
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_pull import interleaved, lab_main  # noqa: E402

from tests.lab import Lab, down, up  # noqa: E402


def change(repo: Path) -> None:
    """The intended change, in the repository's data."""
    group = repo / "groups/lab.yaml"
    data = yaml.safe_load(group.read_text())
    data["vars"]["syslog_level"] = "warnings"
    data["vars"]["prefix_lists"]["PL-LOOPBACKS"].append(
        {"seq": 10, "action": "permit", "prefix": "198.51.101.0/24", "le": 32})
    group.write_text(yaml.safe_dump(data, sort_keys=False))
    for path in sorted((repo / "devices").glob("lab-r*.yaml")):
        device = yaml.safe_load(path.read_text())
        index = int(device["name"].removeprefix("lab-r"))
        device["vars"]["static_routes"] += [
            {"prefix": f"10.{100 + index}.0.0/16", "nexthop": "blackhole"},
            {"prefix": f"10.{150 + index}.0.0/16", "nexthop": "Null0"}]
        device["interfaces"]["eth0"]["description"] = "lab LAN, deployed"
        for peer in device["vars"]["bgp_neighbors"][:1]:  # a lab of one has no peers
            peer["name"] += "-peer"
        path.write_text(yaml.safe_dump(device, sort_keys=False))


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.email=b@example.invalid", "-c",
                    "user.name=bench", *args], check=True, capture_output=True)


def context_for(repo: Path) -> tuple[Any, list[Any]]:
    from unet.devices import PlanContext, plan_deployment
    from unet.inventory import load_inventory
    from unet.policy import select
    from unet.source import worktree_snapshot

    snapshot = worktree_snapshot(repo)
    inventory = load_inventory(snapshot)
    context = PlanContext(snapshot, inventory)
    return context, plan_deployment(context, select(inventory))


def unet_deploy(repo: Path, *, jobs: int, batch_size: int | None) -> Callable[[], None]:
    from unet.devices import DeployOptions, deploy

    def run() -> None:
        context, plans = context_for(repo)  # planning is part of the cost
        result = deploy(repo, context, plans,
                        options=DeployOptions(jobs=jobs, batch_size=batch_size))
        bad = [d for d in result.devices if d.result != "verified"]
        assert not bad, bad

    return run


def push(lab: Lab, lines: dict[str, list[str]]) -> None:
    """The reference: netmiko's own configuration push, router after router."""
    from netmiko import ConnectHandler

    for router in lab.routers:
        connection = ConnectHandler(device_type="cisco_ios", host=router.address,
                                    username=lab.username, password=lab.password)
        connection.send_config_set(lines[router.name], exit_config_mode=True)
        connection.disconnect()


def measure(size: int, repeat: int, work: Path) -> dict[str, Any]:
    name = f"bdep-{os.getpid()}-{size}"
    repo = work / f"net-{size}"
    lab = up(size, repo=repo, name=name, owner=os.getpid())
    try:
        for key, value in lab.env().items():
            os.environ[key] = value
        with lab.inside():
            from unet.devices import pull
            from unet.inventory import load_inventory
            from unet.policy import select
            from unet.source import worktree_snapshot

            snapshot = worktree_snapshot(repo)
            inventory = load_inventory(snapshot)
            pull(repo, snapshot, inventory, select(inventory))
            _git(repo, "add", "-A")
            _git(repo, "commit", "-qm", "pulled")
            saved = {p.name: p.read_text() for p in (repo / "configs").glob("*.cfg")}
            change(repo)
            _, plans = context_for(repo)
            forward = {p.device: p.lines for p in plans}
            back = {}
            for plan in plans:  # the same lines backwards: what restores the router
                from unet.devices import rollback_for

                assert plan.base is not None and plan.platform is not None
                undo = rollback_for(plan.base, plan.platform, plan.trees, len(plan.commands))
                back[plan.device] = [c.text for c in undo.commands if c.held is None]
            lines = sum(len(v) for v in forward.values())

            def restore() -> None:
                if "log syslog warnings" in lab.running_config(lab.routers[0].name):
                    push(lab, back)
                for file, text in saved.items():
                    (repo / "configs" / file).write_text(text)
                for record in (repo / "state/deployments").glob("*.jsonl"):
                    record.unlink()

            restore()
            push(lab, forward)  # warm-up: imports, first connections
            restore()
            unet_deploy(repo, jobs=1, batch_size=None)()
            runs: dict[str, Callable[[], object]] = {
                "netmiko": lambda: push(lab, forward),
                "unet_j1": unet_deploy(repo, jobs=1, batch_size=None)}
            sizes = sorted({1, min(4, size), size})
            for batch in sizes:
                runs[f"unet_batch_{batch}"] = unet_deploy(repo, jobs=16, batch_size=batch)
            t = interleaved(runs, repeat, restore)
            restore()
    finally:
        down(name)
    return {"devices": size, "lines": lines, "netmiko_s": t["netmiko"],
            "unet_j1_s": t["unet_j1"], "ratio": t["unet_j1"] / t["netmiko"],
            "per_device_netmiko_s": t["netmiko"] / size,
            "per_device_unet_s": t["unet_j1"] / size,
            "batch_size_s": {str(b): t[f"unet_batch_{b}"] for b in sizes}}


def _line(size: int, row: dict[str, Any]) -> str:
    batches = ", ".join(f"{b}: {s:.2f} s" for b, s in row["batch_size_s"].items())
    return (f"{size:>3} routers ({row['lines']} lines): netmiko send_config_set "
            f"{row['netmiko_s']:.2f} s ({row['per_device_netmiko_s'] * 1000:.0f} "
            f"ms/device), unet deploy -j1 {row['unet_j1_s']:.2f} s "
            f"({row['per_device_unet_s'] * 1000:.0f} ms/device), ratio "
            f"{row['ratio']:.2f}x; --batch-size {batches}")


if __name__ == "__main__":
    sys.exit(lab_main("deploy", measure, _line))
