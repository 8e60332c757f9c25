"""Evaluate policy text against small in-memory repositories."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from unet.core import Finding
from unet.index import CheckOptions, indexed_check, intended_configs
from unet.inventory import load_inventory
from unet.policy import CheckRun, run_check
from unet.report import outcome_report
from unet.report.json import to_json
from unet.source import MemorySnapshot, worktree_snapshot

BASE = {
    "unet.yaml": "name: t\n",
    "groups/ios.yaml": "name: ios\nplatform: ios\nvendor: cisco\n",
    "devices/r1.yaml": (
        "name: r1\ngroups: [ios]\nrole: core\nmodel: C9300-48P\nos_version: '16.12.4'\n"
        "management_ip: 10.0.0.1\n"
        "interfaces:\n"
        "  Gi1: {description: uplink, mode: trunk, native_vlan: 999, mtu: 9000}\n"
        "  Gi2: {description: users, mode: access, access_vlan: 10}\n"
        "vars:\n  ntp_servers: [10.0.0.1, 10.0.0.2]\n  asn: 65001\n  site_code: '010'\n"
    ),
    "devices/r2.yaml": (
        "name: r2\ngroups: [ios]\nrole: access\nos_version: '15.2(7)E9'\n"
        "interfaces:\n  Gi1: {description: uplink, mode: trunk, mtu: 1500}\n"
        "vars:\n  ntp_servers: [10.9.9.9]\n"
    ),
    "links/l.yaml": "links:\n  - endpoints: [\"r1:Gi1\", \"r2:Gi1\"]\n    type: fabric\n",
    "configs/r1.cfg": (
        "hostname r1\n!\ninterface Gi1\n description uplink\n switchport mode trunk\n!\n"
        "line vty 0 4\n transport input ssh\n!\nsnmp-server location HQ B1\n"
    ),
    "configs/r2.cfg": "hostname r2\n!\nline vty 0 4\n transport input telnet\n",
}


def check(policy: str, files: dict[str, str] | None = None, *, today: date | None = None,
          **kwargs: object) -> CheckRun:
    snapshot = MemorySnapshot({**BASE, "policies/p.unet": policy, **(files or {})})
    inventory = load_inventory(snapshot)
    assert [str(d) for d in inventory.diagnostics] == []
    return run_check(snapshot, inventory, today=today or date(2026, 1, 1), **kwargs)  # type: ignore[arg-type]


def findings(policy: str, files: dict[str, str] | None = None) -> list[Finding]:
    run = check(policy, files)
    assert [str(d) for d in run.policies.diagnostics] == []
    return run.result.findings


def failing(condition: str, files: dict[str, str] | None = None) -> list[str]:
    """Devices on which `ASSERT condition` fails."""
    return sorted(f.device for f in findings(f"RULE t WHEN true THEN ASSERT {condition}", files))


def matching(condition: str) -> list[str]:
    """Devices whose WHEN condition holds."""
    run = check(f"RULE t WHEN {condition} THEN ASSERT true")
    assert [str(d) for d in run.policies.diagnostics] == []
    return sorted(d for d, ids in run.result.evaluated.items() if ids)


def report(root: Path, *, cache: bool) -> str:
    """`unet check` on a repository on disk as its JSON report, with or without the index."""
    outcome = indexed_check(root, worktree_snapshot(root),
                            CheckOptions(today=date(2026, 11, 27)), use_index=cache,
                            intended=intended_configs)
    return json.dumps(to_json(outcome_report(outcome)), indent=1)
