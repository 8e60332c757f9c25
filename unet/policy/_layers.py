"""`node.inherited.<layer>`: what one inheritance layer alone says, beside the merged value.

    node.vars.ntp_servers                       the device's value, after inheritance
    node.inherited.location.vars.ntp_servers    what its locations (site, building...) give
    node.inherited.groups.vars.ntp_servers      what its groups give
    node.inherited.defaults / .device           defaults.yaml / the device file alone

so a rule can say "the device's list equals its site's".
"""

from __future__ import annotations

from typing import Any

from unet.core import Location
from unet.inventory import Inventory, ResolvedDevice

__all__ = ["LAYERS", "Layers", "layer_value"]

LAYERS = ("defaults", "location", "groups", "device")
_GROUP_OWN = frozenset({"name", "description", "parents"})  # a group's own, not inherited


class Layers:
    """Each device's layers, merged per layer (later sources win, mappings merge)."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory

    def __call__(self, device: ResolvedDevice, layer: str) -> list[tuple[dict[str, Any], Any]]:
        """The (data, document) sources of one layer, lowest precedence first."""
        inventory = self.inventory
        if layer == "defaults":
            defaults = inventory.defaults
            return [(defaults.data, defaults)] if defaults is not None else []
        if layer == "location":
            places = [inventory.locations[n] for n in device.locations if n in inventory.locations]
            return [({"vars": p.data["vars"]}, p.document) for p in places
                    if isinstance(p.data.get("vars"), dict)]
        if layer == "groups":
            groups = [inventory.groups[n] for n in device.applied_groups if n in inventory.groups]
            return [({k: v for k, v in g.data.items() if k not in _GROUP_OWN}, g.document)
                    for g in groups]
        return [(device.document.data, device.document)]


def layer_value(sources: list[tuple[dict[str, Any], Any]], path: tuple[Any, ...],
                ) -> tuple[Any, Location | None]:
    """The merged value at `path` in one layer, and where its last source wrote it."""
    value: Any = None
    where: Location | None = None
    for data, document in sources:
        found, present = _walk(data, path)
        if not present:
            continue
        where = document.location(tuple(path))
        value = _merge(value, found) if isinstance(value, dict) and isinstance(found, dict) \
            else found
    return value, where


def _walk(data: Any, path: tuple[Any, ...]) -> tuple[Any, bool]:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None, False
        data = data[part]
    return data, True


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        old = merged.get(key)
        merged[key] = _merge(old, value) if isinstance(old, dict) and isinstance(value, dict) \
            else value
    return merged
