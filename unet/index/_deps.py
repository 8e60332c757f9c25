"""Which files each device's evaluation reads, and so which devices a change affects."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from unet.source import stem

if TYPE_CHECKING:  # the inventory is heavy to import; a warm run never needs it
    from unet.inventory import Inventory, ResolvedDevice
    from unet.source import Snapshot

__all__ = ["GLOBAL_PREFIXES", "Dependencies", "affected_devices", "shard_of"]

# A change under these affects every device (unet.yaml is inventory.SETTINGS_FILE).
GLOBAL_PREFIXES = ("policies/", "waivers.yaml", "unet.yaml")
TEMPLATES = "templates/"
CONFIG_DIR = "configs/"  # inventory.CONFIG_DIR
STATE_DIR = "state/"  # facts from `unet pull` (derived.* in policies)


class Dependencies:
    """The inputs of every device's evaluation, as repository paths."""

    def __init__(self, inventory: Inventory, snapshot: Snapshot) -> None:
        self.inventory = inventory
        self.snapshot = snapshot
        self.links: dict[str, set[str]] = {}
        for link in inventory.links:
            for device in link.devices:
                self.links.setdefault(device, set()).add(link.path)
        from unet.inventory import RunningConfigs

        self.running = RunningConfigs(snapshot)  # configs/, or where running_configs says
        self.config_problems = list(self.running.diagnostics)  # C300, C310: found on listing
        self.states = {stem(p): p for p in snapshot.files(STATE_DIR) if p.endswith(".yaml")}

    def inputs(self, device: ResolvedDevice) -> list[str]:
        """Files this device's findings depend on (templates and policies aside)."""
        paths = set(device.layers) | self.links.get(device.name, set())
        config = None if self.running.external else self.running.path(device.name)
        for extra in (config, self.states.get(device.name)):
            if extra is not None:
                paths.add(extra)
        return sorted(paths)

    def key(self, device: ResolvedDevice, shared: str) -> str:
        """Content id of the device's inputs plus `shared` (policies, templates, settings)."""
        digest = hashlib.sha256(shared.encode())
        for path in self.inputs(device):
            digest.update(f"\0{path}\0{self.snapshot.blob_id(path)}".encode())
        if self.running.external:  # read from outside the repository: its content counts
            digest.update(f"\0running\0{self.running.content_id(device.name)}".encode())
        return digest.hexdigest()


def affected_devices(dependencies: Dependencies, changed: Iterable[str]) -> set[str]:
    """Devices whose findings a change to `changed` paths can alter.

    A changed policy, waiver file or unet.yaml affects every device; a changed template
    every device that has templates; a data file or running config the devices that
    read it. A device file that was removed or renamed maps to its name.
    """
    inventory = dependencies.inventory
    changed = set(changed)
    if any(path.startswith(GLOBAL_PREFIXES) for path in changed):
        return set(inventory.devices)
    found: set[str] = set()
    if any(path.startswith(TEMPLATES) for path in changed):
        found |= {name for name, d in inventory.devices.items() if d.data.get("templates")}
    for name, device in inventory.devices.items():
        if changed.intersection(dependencies.inputs(device)):
            found.add(name)
    for path in changed:
        if path.startswith(("devices/", CONFIG_DIR, STATE_DIR)):
            name = stem(path)
            if name in inventory.devices:
                found.add(name)
    return found


def shard_of(name: str, shards: int) -> int:
    """A device's shard, 1-based: stable across runs, machines and Python versions."""
    return int(hashlib.sha256(name.encode()).hexdigest(), 16) % shards + 1
