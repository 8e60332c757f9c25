"""Choosing devices by attribute, the way `devices list` filters and policies select."""

from __future__ import annotations

from collections.abc import Iterable

from unet.inventory._types import Inventory, ResolvedDevice

__all__ = ["select_devices"]


def select_devices(
    inventory: Inventory,
    *,
    names: Iterable[str] = (),
    role: Iterable[str] = (),
    platform: Iterable[str] = (),
    location: Iterable[str] = (),
    group: Iterable[str] = (),
) -> list[ResolvedDevice]:
    """Devices matching every given filter (values within one filter are alternatives).

    `location` matches a device's location or any location above it; `group` matches
    groups applied directly or through a parent. Sorted by name.
    """
    wanted = {
        "names": set(names), "role": set(role), "platform": set(platform),
        "location": set(location), "group": set(group),
    }

    def keep(device: ResolvedDevice) -> bool:
        return (
            (not wanted["names"] or device.name in wanted["names"])
            and (not wanted["role"] or device.data.get("role") in wanted["role"])
            and (not wanted["platform"] or device.data.get("platform") in wanted["platform"])
            and (not wanted["location"] or bool(wanted["location"] & set(device.locations)))
            and (not wanted["group"] or bool(wanted["group"] & set(device.applied_groups)))
        )

    return [inventory.devices[n] for n in sorted(inventory.devices) if keep(inventory.devices[n])]
