#!/usr/bin/env python3
"""`unet check` on a generated fleet: wall time and the cost of one rule evaluation.

    python benchmarks/bench_check.py [N] [--runs R]

Generates (or reuses) `benchmarks/.fleet-N-configs` (gen_fleet.py N --configs: devices
with running configs of 300-500 lines), writes 40 rules there (25 on data, 15 on the
running configs), then measures in one process, medians of R runs (default 3):

- `unet check` as a user runs it: a whole process, cold (`--no-cache`), `--format json`,
  with the default of one process per CPU and with `-j 1`;
- inside one process: loading the inventory (the reference: the work every command
  does before any rule runs), loading the policies, and evaluating them, with the
  evaluation cost per device × rule (config parsing included, as it is lazy).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from unet.inventory import RunningConfigs, load_inventory  # noqa: E402
from unet.policy import config_source, evaluate, load_policies  # noqa: E402
from unet.source import WorktreeSnapshot  # noqa: E402

DATA_RULES = [
    ('mgmt-ip', 'node.lifecycle == "live"', "node.management_ip IS NOT NULL"),
    ('serial', 'node.lifecycle == "live"', "node.serial IS NOT NULL"),
    ('ntp-a', "true", 'node.vars.ntp_servers IS NOT NULL'),
    ('ntp-b', 'node.role IN ["core", "distribution"]', 'len(node.vars.ntp_servers) >= 2'),
    ('platform', "true", 'node.platform IN ["ios", "iosxe", "nxos", "eos", "junos"]'),
    ('role', "true", "node.role IS NOT NULL"),
    ('model', "true", "node.model IS NOT NULL"),
    ('location', "true", "node.location IS NOT NULL"),
    ('os-ios', 'node.platform == "ios"', 'version(node.os_version) >= "15.2(4)E1"'),
    ('os-iosxe', 'node.platform == "iosxe"', 'version(node.os_version) >= "16.9"'),
    ('os-nxos', 'node.platform == "nxos"', 'version(node.os_version) >= "9.3"'),
    ('os-eos', 'node.platform == "eos"', 'version(node.os_version) >= "4.20"'),
    ('os-junos', 'node.platform == "junos"', 'version(node.os_version) >= "20.4R1"'),
    ('descriptions', "true", "ALL i IN node.interfaces SATISFIES i.description IS NOT NULL"),
    ('unused-down', 'node.role == "access"',
     'ALL i IN node.interfaces WHERE i.description == "unused" SATISFIES i.enabled == false'),
    ('trunk-vlans', "true",
     'ALL i IN node.interfaces WHERE i.mode == "trunk" SATISFIES i.allowed_vlans IS NOT NULL'),
    ('access-vlan', "true",
     'ALL i IN node.interfaces WHERE i.mode == "access" SATISFIES i.access_vlan IS NOT NULL'),
    ('mtu', 'node.role IN ["spine", "leaf"]',
     'ALL i IN node.interfaces WHERE i.mode == "routed" SATISFIES i.mtu >= 9000'),
    ('links', 'node.role IN ["core", "spine"]', "ANY l IN node.links SATISFIES l.peer IS NOT NULL"),
    ('tags', "true", 'NOT node.tags CONTAINS "forbidden"'),
    ('name', "true", 'node.name MATCHES /^[a-z0-9-]+$/'),
    ('asn', 'node.vars.bgp_asn IS NOT NULL', "node.vars.bgp_asn >= 64512"),
    ('vendor', "true", 'node.vendor IN ["cisco", "arista", "juniper"]'),
    ('planned', 'node.lifecycle == "planned"', "node.management_ip IS NOT NULL"),
    ('groups', "true", "len(node.groups) >= 1"),
]
CONFIG_RULES = [
    ('cfg-hostname', "true", "running.value(\"hostname (.*)\") == node.name"),
    ('cfg-ssh', 'node.platform IN ["ios", "iosxe"]', 'running HAS "ip ssh version 2"'),
    ('cfg-http', 'node.platform IN ["ios", "iosxe"]', 'running HAS "no ip http server"'),
    ('cfg-pwenc', 'node.platform IN ["ios", "iosxe"]', 'running HAS "service password-encryption"'),
    ('cfg-public', "true", 'running NOT HAS "snmp-server community public.*"'),
    ('cfg-vty', 'node.platform IN ["ios", "iosxe"]',
     'ALL s IN running.sections("line vty .*") SATISFIES s HAS "transport input ssh"'),
    ('cfg-ntp', 'node.platform IN ["ios", "iosxe", "nxos", "eos"]',
     'ANY l IN running.lines("ntp server .*") SATISFIES l ENDSWITH "10.0.0.1"'),
    ('cfg-desc', 'node.platform IN ["ios", "iosxe"]',
     'ALL s IN running.sections("interface (Ten)?GigabitEthernet.*") SATISFIES s HAS "description .*"'),
    ('cfg-logging', 'node.platform IN ["ios", "iosxe"]', 'running HAS "logging buffered .*"'),
    ('cfg-aaa', 'node.platform IN ["ios", "iosxe"]', 'running HAS "aaa new-model"'),
    ('cfg-domain', 'node.platform IN ["ios", "iosxe"]', 'running HAS "ip domain name .*"'),
    ('cfg-stp', 'node.role == "access"', 'running HAS "spanning-tree mode rapid-pvst"'),
    ('cfg-banner', "true", 'running IS NOT NULL'),
    ('cfg-junos-ssh', 'node.platform == "junos"', 'running HAS "system||services||ssh"'),
    ('cfg-nxos-feature', 'node.platform == "nxos"', 'running HAS "feature .*"'),
]


def fleet(n: int) -> Path:
    out = HERE / f".fleet-{n}-configs"
    # The groups name templates, and check renders them: a fleet without them is broken.
    if not (out / "unet.yaml").exists() or not (out / "templates").is_dir():
        subprocess.run([sys.executable, str(HERE / "gen_fleet.py"), str(n), "--configs",
                        "--templates", "--out", str(out)], check=True,
                       stdout=subprocess.DEVNULL)
    policy = "".join(f'RULE {rid} WHEN {when} THEN ASSERT {then}\n'
                     for rid, when, then in DATA_RULES + CONFIG_RULES)
    (out / "policies").mkdir(exist_ok=True)
    (out / "policies" / "bench.unet").write_text(policy)
    return out


def whole_process(root: Path, *extra: str) -> float:
    """One cold `unet check` process: --no-cache, so the index answers nothing."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "unet", "--repo", str(root), "check", "--format",
                    "json", "--exit-zero", "--no-cache", *extra], stdout=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - start


def in_process(root: Path) -> tuple[float, float, float, int, int]:
    start = time.perf_counter()
    snapshot = WorktreeSnapshot(root)
    inventory = load_inventory(snapshot)
    loaded = time.perf_counter()
    policies = load_policies(snapshot)
    compiled = time.perf_counter()
    devices = [inventory.devices[name] for name in sorted(inventory.devices)]
    result = evaluate(policies.rules, devices, inventory,
                      configs=config_source(RunningConfigs(snapshot)))
    done = time.perf_counter()
    return loaded - start, compiled - loaded, done - compiled, len(devices), len(result.findings)


def main() -> int:
    gc.set_threshold(100_000, 50, 1000)  # as the CLI does (unet/cli/__init__.py)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = fleet(args.n)
    rules = len(DATA_RULES) + len(CONFIG_RULES)

    walls = [whole_process(root) for _ in range(args.runs)]
    single = [whole_process(root, "-j", "1") for _ in range(args.runs)]
    phases = [in_process(root) for _ in range(args.runs)]
    load, policies, evaluation = (statistics.median(p[i] for p in phases) for i in range(3))
    devices, findings = phases[0][3], phases[0][4]
    wall = statistics.median(walls)
    per_eval = evaluation / (devices * rules) * 1e6
    print(f"fleet: {devices} devices with running configs, {rules} rules "
          f"({len(DATA_RULES)} data, {len(CONFIG_RULES)} config); {findings} findings; "
          f"{date.today()}")
    print(f"unet check (whole process, cold, --format json) : {wall:7.2f} s  (one process per CPU)")
    print(f"unet check -j 1 (whole process, cold)           : {statistics.median(single):7.2f} s")
    print(f"  load inventory (reference)                    : {load:7.2f} s")
    print(f"  load + compile policies                       : {policies * 1000:7.1f} ms")
    print(f"  evaluate (incl. lazy config parsing)          : {evaluation:7.2f} s "
          f"= {evaluation / load:.2f}x the inventory load")
    print(f"  per rule evaluation (device x rule)           : {per_eval:7.1f} µs")
    print(f"budget (DESIGN.md §6, cold): 10 s -> {'met' if wall <= 10 else 'MISSED'}")
    print(f"medians of {args.runs} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
