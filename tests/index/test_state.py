"""Facts in state/ are inputs of a device's evaluation: a changed state file is never
answered from a stale index, and only its device is evaluated again."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import MINIMAL
from unet.index import CheckOptions, affected_devices, indexed_check
from unet.index._deps import Dependencies
from unet.inventory import load_inventory
from unet.source import worktree_snapshot

RULE = ('RULE software WHEN derived.os_version IS NOT NULL '
        'THEN ASSERT derived.os_version == "17.9.4"\n')


def state(version: str) -> str:
    return f"device: r1\nplatform: ios\nos_version: {version}\n"


@pytest.fixture
def repo(make_repo) -> Path:
    root = make_repo({**MINIMAL, "policies/p.unet": RULE, "state/r1.yaml": state("17.9.4"),
                      "state/r2.yaml": state("17.9.4")})
    for args in (("init", "-q"), ("add", "-A"),
                 ("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "init")):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    return root


def run(root: Path):
    return indexed_check(root, worktree_snapshot(root), CheckOptions(jobs=1))


def test_a_changed_state_file_is_evaluated_again(repo: Path) -> None:
    assert run(repo).findings == []
    assert run(repo).stats["warm"] == 1
    (repo / "state/r1.yaml").write_text(state("16.12.4"))
    changed = run(repo)
    assert [f.device for f in changed.findings] == ["r1"]
    assert changed.stats == {**changed.stats, "warm": 0, "devices_evaluated": 1,
                             "devices_reused": 1}
    (repo / "state/r1.yaml").unlink()  # no facts: the rule no longer applies
    assert run(repo).findings == []


def test_a_state_file_affects_exactly_its_device(repo: Path) -> None:
    snapshot = worktree_snapshot(repo)
    dependencies = Dependencies(load_inventory(snapshot), snapshot)
    assert "state/r1.yaml" in dependencies.inputs(load_inventory(snapshot).devices["r1"])
    assert affected_devices(dependencies, ["state/r2.yaml"]) == {"r2"}
