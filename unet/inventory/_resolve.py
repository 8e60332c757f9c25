"""Inheritance: defaults -> location chain -> groups -> device, with provenance.

Mappings merge deeply, scalars and lists replace, an explicit null removes an
inherited key, and `templates` accumulate (each once, in precedence order).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from unet.core import Location
from unet.inventory._types import Entity, Inventory, ProvTree, ResolvedDevice
from unet.inventory._yaml import Document, Path_

__all__ = [
    "BUILTIN",
    "BUILTIN_DOCUMENT",
    "group_order",
    "location_chain",
    "resolve_devices",
    "resolve_document",
]

_GROUP_OWN = frozenset({"name", "description", "parents"})
BUILTIN = Location("(built-in default)")
BUILTIN_DOCUMENT = Document(BUILTIN.path, None)  # the origin of values unet fills in
_DEFAULT_LIFECYCLE = "live"

# The order a reader expects in `devices show`, whatever order the layers set them in.
_KEY_ORDER = ("name", "description", "platform", "vendor", "model", "role", "lifecycle",
              "location", "management_ip", "os_version", "serial", "tags", "groups", "templates",
              "interfaces", "vars")

Layer = tuple[Document, dict[str, Any]]


def resolve_devices(inventory: Inventory) -> dict[str, ResolvedDevice]:
    orders: dict[tuple[str, ...], list[Entity]] = {}
    chains: dict[str | None, list[Entity]] = {}
    # Devices at one location in the same groups share everything but their own file:
    # that part is merged once.
    bases: dict[tuple[int, ...], _Merged] = {}
    resolved = {}
    for name, entity in inventory.device_files.items():
        groups = tuple(entity.data.get("groups") or ())
        if groups not in orders:
            orders[groups] = group_order(groups, inventory.groups)
        place = entity.data.get("location")
        if place not in chains:
            chains[place] = location_chain(place, inventory.locations)
        layers = _layers(inventory.defaults, chains[place], orders[groups], entity)
        key = tuple(id(document) for document, _ in layers[:-1])
        if key not in bases:
            bases[key] = _merged(layers[:-1])
        device = resolve(name, layers, base=bases[key])
        device.applied_groups = tuple(g.name for g in orders[groups])
        device.locations = tuple(p.name for p in chains[place])
        resolved[name] = device
    return resolved


def resolve_document(inventory: Inventory, document: Document) -> ResolvedDevice:
    """Resolve a device that is not in the repository (a test fixture) against its data."""
    entity = Entity(document.data["name"], document)
    groups = tuple(document.data.get("groups") or ())
    chain = location_chain(document.data.get("location"), inventory.locations)
    order = group_order(groups, inventory.groups)
    device = resolve(entity.name, _layers(inventory.defaults, chain, order, entity))
    device.applied_groups = tuple(g.name for g in order)
    device.locations = tuple(p.name for p in chain)
    return device


class _Merged(NamedTuple):
    data: dict[str, Any]
    provenance: ProvTree
    templates: list[str]
    template_prov: ProvTree


def _merged(layers: list[Layer], base: _Merged | None = None) -> _Merged:
    """`layers` merged on top of `base` (which is never changed: shared dicts are copied)."""
    if base is None:
        base = _Merged({}, {}, [], {})
    data, provenance = dict(base.data), dict(base.provenance)
    templates, template_prov = list(base.templates), dict(base.template_prov)
    owned: set[int] = set()
    for document, layer in layers:
        _merge(data, provenance, layer, document, (), owned)
        for index, template in enumerate(layer.get("templates") or ()):
            if template not in templates:
                template_prov[len(templates)] = (document, ("templates", index), None)
                templates.append(template)
    return _Merged(data, provenance, templates, template_prov)


def resolve(name: str, layers: list[Layer], *, base: _Merged | None = None) -> ResolvedDevice:
    """Merge `layers` (lowest precedence first) into one device.

    With `base`, the merge of all layers but the last, only the last is merged.
    """
    data, provenance, templates, template_prov = _merged(
        layers[-1:] if base is not None else layers, base)
    device_document = layers[-1][0]
    data.pop("templates", None)
    provenance.pop("templates", None)
    if templates:
        last = template_prov[len(templates) - 1]
        data["templates"] = templates
        provenance["templates"] = (last[0], last[1], template_prov)
    if data.get("lifecycle") is None:
        data["lifecycle"] = _DEFAULT_LIFECYCLE
        provenance["lifecycle"] = (BUILTIN_DOCUMENT, (), None)
    ordered = {key: data[key] for key in _KEY_ORDER if key in data}
    ordered.update(data)  # anything else keeps its place after the known keys
    return ResolvedDevice(name, ordered, provenance, device_document,
                          tuple(d.path for d, _ in layers))


def _merge(target: dict[str, Any], prov: ProvTree, layer: dict[str, Any], document: Document,
           path: Path_, owned: set[int]) -> None:
    """Merge one layer into `target` in place.

    Values are shared with the documents, not copied (resolution is the hot path of a cold
    run); a dict is copied only when a later layer merges into it (`owned` tracks copies).
    Provenance is lazy the same way: `(document, path, None)` covers a whole subtree.
    """
    for key, value in layer.items():
        if value is None:
            target.pop(key, None)
            prov.pop(key, None)
            continue
        here = (*path, key)
        existing = target.get(key)
        if isinstance(value, dict) and isinstance(existing, dict):
            copied = id(existing) not in owned
            if copied:
                existing = target[key] = dict(existing)
                owned.add(id(existing))
            origin_document, origin_path, sub = prov[key]
            if sub is None:  # expand one level of a lazily recorded subtree
                sub = {k: (origin_document, (*origin_path, k), None) for k in existing}
            elif copied:  # a shared merge's provenance: copy it with its data
                sub = dict(sub)
            prov[key] = (document, here, sub)
            _merge(existing, sub, value, document, here, owned)
        else:
            target[key] = value
            prov[key] = (document, here, None)


def _layers(defaults: Document | None, chain: list[Entity], groups: list[Entity],
            device: Entity) -> list[Layer]:
    layers: list[Layer] = []
    if defaults is not None:
        layers.append((defaults, defaults.data))
    for place in chain:
        if place.data.get("vars"):
            layers.append((place.document, {"vars": place.data["vars"]}))
    for group in groups:
        shared = {k: v for k, v in group.data.items() if k not in _GROUP_OWN}
        layers.append((group.document, shared))
    layers.append((device.document, device.data))
    return layers


def group_order(names: tuple[str, ...] | list[str], groups: dict[str, Entity]) -> list[Entity]:
    """Groups in application order: each after its parents; each once, at its first place.

    Unknown names and cycles are skipped here; `_integrity` reports them.
    """
    order: list[Entity] = []
    done: set[str] = set()
    active: set[str] = set()

    def visit(name: str) -> None:
        if name in done or name in active or name not in groups:
            return
        active.add(name)
        for parent in groups[name].data.get("parents") or ():
            visit(parent)
        active.discard(name)
        done.add(name)
        order.append(groups[name])

    for name in names:
        visit(name)
    return order


def location_chain(name: str | None, locations: dict[str, Entity]) -> list[Entity]:
    """The location and its ancestors, root first (stops at an unknown name or a cycle)."""
    chain: list[Entity] = []
    seen: set[str] = set()
    while name is not None and name in locations and name not in seen:
        seen.add(name)
        chain.append(locations[name])
        name = locations[name].data.get("parent")
    chain.reverse()
    return chain
