"""Cross-file checks, after every file has parsed: each reported at the referring line."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from unet.core import Diagnostic, Location, Severity
from unet.inventory._models import DIALECT_NAMES
from unet.inventory._schema import did_you_mean
from unet.inventory._types import Entity, Inventory, Link, ResolvedDevice
from unet.source import stem

__all__ = ["check_integrity", "device_problems"]


def check_integrity(inventory: Inventory,
                    unreadable: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """Cross-file checks; `unreadable`: names of device files that failed to load, whose
    own errors are reported (a link to such a device is not a second error)."""
    checks = (
        _file_names,
        _location_references,
        _group_references,
        _device_references,
        _required_values,
        _enumerations,
        _management_ips,
        lambda inventory: _links(inventory, unreadable),
    )
    return [diagnostic for check in checks for diagnostic in check(inventory)]


def _error(location: Location, code: str, message: str,
           related: tuple[Location, ...] = ()) -> Diagnostic:
    return Diagnostic(location, code, Severity.ERROR, message, related)


def _file_names(inventory: Inventory) -> Iterator[Diagnostic]:
    kinds = {"location": inventory.locations, "group": inventory.groups,
             "device": inventory.device_files}
    for kind, entities in kinds.items():
        for entity in entities.values():
            name = stem(entity.path)
            if name != entity.name:
                yield _error(entity.location("name"), "U307",
                             f"{kind} name '{entity.name}' differs from its file name '{name}'; "
                             "rename one so they match")


def _location_references(inventory: Inventory) -> Iterator[Diagnostic]:
    places = inventory.locations
    types = inventory.settings["location_types"]
    for entity in places.values():
        parent = entity.data.get("parent")
        if parent is not None and parent not in places:
            yield _error(entity.location("parent"), "U301",
                         f"unknown parent location '{parent}'{did_you_mean(parent, places)}")
        kind = entity.data.get("type")
        if kind is not None and kind not in types:
            yield _error(entity.location("type"), "U308",
                         f"unknown location type '{kind}'{did_you_mean(kind, types)}; "
                         f"allowed in unet.yaml location_types: {', '.join(types)}")
    yield from _cycles(places, lambda e: [e.data["parent"]] if e.data.get("parent") else [],
                       "parent", "location")


def _group_references(inventory: Inventory) -> Iterator[Diagnostic]:
    groups = inventory.groups
    for entity in groups.values():
        for index, parent in enumerate(entity.data.get("parents") or ()):
            if parent not in groups:
                yield _error(entity.location("parents", index), "U302",
                             f"unknown parent group '{parent}'{did_you_mean(parent, groups)}")
    yield from _cycles(groups, lambda e: list(e.data.get("parents") or ()), "parents", "group")


def _cycles(entities: dict[str, Entity], edges: Callable[[Entity], list[str]], key: str,
            kind: str) -> Iterator[Diagnostic]:
    """Report each cycle once, at the reference that closes it."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    path: list[str] = []

    def visit(name: str) -> Iterator[Diagnostic]:
        state[name] = 1
        path.append(name)
        for index, parent in enumerate(edges(entities[name])):
            if parent not in entities:
                continue
            if state.get(parent) == 1:
                loop = [*path[path.index(parent):], parent]
                where = entities[name].location(key) if key == "parent" else \
                    entities[name].location(key, index)
                yield _error(where, "U309", f"{kind} cycle: {' -> '.join(loop)}")
            elif parent not in state:
                yield from visit(parent)
        path.pop()
        state[name] = 2

    for name in sorted(entities):
        if name not in state:
            yield from visit(name)


def _device_references(inventory: Inventory) -> Iterator[Diagnostic]:
    for entity in inventory.device_files.values():
        yield from _references(inventory, entity)


def _references(inventory: Inventory, entity: Entity) -> Iterator[Diagnostic]:
    place = entity.data.get("location")
    if place is not None and place not in inventory.locations:
        yield _error(entity.location("location"), "U301",
                     f"unknown location '{place}'{did_you_mean(place, inventory.locations)}")
    for index, group in enumerate(entity.data.get("groups") or ()):
        if group not in inventory.groups:
            yield _error(entity.location("groups", index), "U302",
                         f"unknown group '{group}'{did_you_mean(group, inventory.groups)}")


def _required_values(inventory: Inventory) -> Iterator[Diagnostic]:
    for device in inventory.devices.values():
        entity = inventory.device_files.get(device.name)
        if entity is not None and _unresolved(inventory, entity):
            continue  # the group that may hold the platform is missing: that error says why
        yield from _platform(device)


def _unresolved(inventory: Inventory, entity: Entity) -> bool:
    return next(_references(inventory, entity), None) is not None


def _platform(device: ResolvedDevice) -> Iterator[Diagnostic]:
    if device.data.get("platform") is None:
        yield _error(device.source, "U203",
                     f"device '{device.name}' has no platform; set it in the device file or "
                     f"in one of its groups ({', '.join(DIALECT_NAMES)})")


def _enumerations(inventory: Inventory) -> Iterator[Diagnostic]:
    for device in inventory.devices.values():
        yield from _enumerated(inventory, device)


def _enumerated(inventory: Inventory, device: ResolvedDevice) -> Iterator[Diagnostic]:
    for key, allowed_key in (("role", "roles"), ("lifecycle", "lifecycles")):
        allowed = inventory.settings[allowed_key]
        value = device.data.get(key)
        if value is not None and value not in allowed:
            yield _error(device.where((key,)), "U308",
                         f"unknown {key} '{value}'{did_you_mean(value, allowed)}; "
                         f"allowed in unet.yaml {allowed_key}: {', '.join(allowed)}")


def device_problems(inventory: Inventory, entity: Entity,
                    device: ResolvedDevice) -> list[Diagnostic]:
    """The checks above for one device that is not in the inventory (a policy test's
    fixture): its location and groups exist, it has a platform, its role and lifecycle."""
    unknown = list(_references(inventory, entity))  # a missing group may hold the platform
    return unknown or [*_platform(device), *_enumerated(inventory, device)]


def _management_ips(inventory: Inventory) -> Iterator[Diagnostic]:
    first_seen: dict[str, str] = {}
    for name in sorted(inventory.devices):
        device = inventory.devices[name]
        address = device.data.get("management_ip")
        if address is None:
            continue
        owner = first_seen.setdefault(address, name)
        if owner != name:
            other = inventory.devices[owner].where(("management_ip",))
            yield _error(device.where(("management_ip",)), "U305",
                         f"management_ip {address} is also used by device '{owner}' ({other})",
                         (other,))


def _links(inventory: Inventory, unreadable: frozenset[str]) -> Iterator[Diagnostic]:
    devices = inventory.devices
    used: dict[tuple[str, str], tuple[Link, int]] = {}  # locations are made only for problems
    for link in inventory.links:
        for index, (device, interface) in enumerate(link.endpoints):
            if device in unreadable and device not in devices:
                continue
            if device not in devices:
                yield _error(link.location("endpoints", index), "U303",
                             f"link endpoint '{device}:{interface}' is on unknown "
                             f"device '{device}'{did_you_mean(device, devices)}")
                continue
            declared = devices[device].data.get("interfaces") or {}
            if declared and interface not in declared:
                yield Diagnostic(link.location("endpoints", index), "U310", Severity.WARNING,
                                 f"interface '{interface}' is not among device '{device}''s "
                                 f"interfaces{did_you_mean(interface, declared)}")
            first = used.setdefault((device, interface), (link, index))
            if first != (link, index):
                earlier = first[0].location("endpoints", first[1])
                yield _error(link.location("endpoints", index), "U304",
                             f"interface '{device}:{interface}' is already in a link at "
                             f"{earlier}", (earlier,))
