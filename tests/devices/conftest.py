"""Pulling from the lab in-process: a private copy of the lab's repository per test, and
the pull run from inside the lab namespace with the lab's credentials."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.lab import Lab, write_repository
from unet.devices import PullResult, pull
from unet.inventory import load_inventory
from unet.policy import select
from unet.source import worktree_snapshot

PullLab = Callable[..., PullResult]


@pytest.fixture
def net(lab: Lab, tmp_path: Path) -> Path:
    """The lab's repository, freshly written and committed, for this test alone."""
    return write_repository(lab, tmp_path / "net")


@pytest.fixture
def pull_lab(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> PullLab:
    for key, value in lab.env().items():
        monkeypatch.setenv(key, value)

    def run(root: Path, *names: str, **options: Any) -> PullResult:
        snapshot = worktree_snapshot(root)
        inventory = load_inventory(snapshot)
        devices = select(inventory, names=names)
        scrub = inventory.settings["backup"]["scrub"]
        with lab.inside():
            return pull(root, snapshot, inventory, devices, scrub=scrub, **options)

    return run


def by_device(result: PullResult) -> dict[str, Any]:
    return {r.device: r for r in result.results}
