"""Whose stored running configuration a file is: its device's platform, for commands that
read a config file by path (`slice`, `config convert`) and would otherwise guess it."""

from __future__ import annotations

from pathlib import Path

from unet.inventory._load import load_inventory
from unet.inventory._running import RunningConfigs
from unet.source import worktree_snapshot

__all__ = ["platform_of_config"]


def platform_of_config(root: Path, file: Path) -> str | None:
    """The platform of the device whose running configuration `file` is, in the repository
    at `root`; None when it is no device's (or the device has no platform)."""
    try:
        relative = file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    snapshot = worktree_snapshot(root)
    inventory = load_inventory(snapshot)
    running = RunningConfigs(snapshot)
    for name, device in inventory.devices.items():
        if running.path(name) == relative:
            platform = device.data.get("platform")
            return platform if isinstance(platform, str) else None
    return None
