"""Choosing devices by attribute, the way `devices list` filters and policies select."""

from __future__ import annotations

from collections.abc import Iterable

from unet.core import UnetError
from unet.inventory._models import DIALECT_NAMES
from unet.inventory._schema import did_you_mean
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
    _refuse_unknown(inventory, wanted)

    def keep(device: ResolvedDevice) -> bool:
        return (
            (not wanted["names"] or device.name in wanted["names"])
            and (not wanted["role"] or device.data.get("role") in wanted["role"])
            and (not wanted["platform"] or device.data.get("platform") in wanted["platform"])
            and (not wanted["location"] or bool(wanted["location"] & set(device.locations)))
            and (not wanted["group"] or bool(wanted["group"] & set(device.applied_groups)))
        )

    return [inventory.devices[n] for n in sorted(inventory.devices) if keep(inventory.devices[n])]


def _refuse_unknown(inventory: Inventory, wanted: dict[str, set[str]]) -> None:
    """A value no device could have (`--role edg`) is a typo, not an empty answer."""
    used = {key: {d.data.get(key) for d in inventory.devices.values()}
            for key in ("role", "platform")}
    known = {
        "role": {*inventory.settings.get("roles", ()), *used["role"]},
        "platform": {*DIALECT_NAMES, *used["platform"]},
        "location": set(inventory.locations),
        "group": set(inventory.groups),
    }
    for key, choices in known.items():
        names = sorted(str(c) for c in choices if c is not None)
        for value in sorted(wanted[key] - choices):
            same = [n for n in names if n.lower() == value.lower()]  # names are case-sensitive
            hint = f" (did you mean '{same[0]}'?)" if same else did_you_mean(value, names)
            raise UnetError(f"--{key} {value}: no {key} of that name{hint}; known: "
                            f"{', '.join(names)}")
