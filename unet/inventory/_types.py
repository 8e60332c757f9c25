"""What the inventory holds after loading: entities, resolved devices, the whole inventory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from unet.core import Diagnostic, Location, record
from unet.inventory._yaml import Document, Path_

__all__ = ["Entity", "Inventory", "Link", "ProvTree", "ResolvedDevice"]

# Provenance mirrors the data: key -> (document, path in it, provenance of the children).
# Children None means the whole subtree came from that document, under that path.
ProvTree = dict[Any, "tuple[Document, Path_, ProvTree | None]"]


@dataclass(slots=True)
class Entity:
    """A named object read from one file: a location, group or (unresolved) device."""

    name: str
    document: Document

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.document.data
        return data

    @property
    def path(self) -> str:
        return self.document.path

    def location(self, *path: Any, key: bool = False) -> Location:
        return self.document.location(tuple(path), key=key)


@record
class Link:
    """A link between two interfaces, as `(device, interface)` pairs."""

    endpoints: tuple[tuple[str, str], tuple[str, str]]
    data: dict[str, Any]
    document: Document
    index: int

    @property
    def path(self) -> str:
        return self.document.path

    def location(self, *path: Any, key: bool = False) -> Location:
        """Where a part of this link (e.g. `"endpoints", 1`) is written."""
        return self.document.location(("links", self.index, *path), key=key)

    @property
    def devices(self) -> tuple[str, str]:
        return self.endpoints[0][0], self.endpoints[1][0]


@dataclass(slots=True)
class ResolvedDevice:
    """A device after inheritance: its data and where every value came from.

    `data` shares unchanged values with the parsed files: treat it as read-only and
    copy along the path before changing anything (policy SET does).
    """

    name: str
    data: dict[str, Any]
    provenance: ProvTree
    document: Document  # the device file
    # Files this device's data was built from, lowest precedence first.
    layers: tuple[str, ...] = ()
    # Groups applied (parents included, in application order) and the location chain, root first.
    applied_groups: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()

    def get(self, dotted: str, default: Any = None) -> Any:
        """A value by dotted path (`vars.ntp_servers`); `default` when any level is missing."""
        value: Any = self.data
        for part in dotted.split("."):
            if isinstance(value, dict) and part in value:
                value = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                return default
        return value

    @property
    def source(self) -> Location:
        """The device file, at its `name:` line."""
        return self.document.location(("name",))

    def where(self, path: Path_ | str) -> Location:
        """Where the value at `path` was written; for a missing value, the key of its
        nearest defined parent (the mapping to add it to)."""
        parts = tuple(path.split(".")) if isinstance(path, str) else path
        document, origin = self.document, ("name",)
        tree: ProvTree | None = self.provenance
        for depth, part in enumerate(parts):
            if tree is None:  # a subtree from one file: the rest of the path is in it too
                return document.location((*origin, *parts[depth:]),
                                         key=(*origin, *parts[depth:]) not in document.marks)
            if part not in tree:
                return document.location(origin, key=depth > 0)
            document, origin, tree = tree[part]
        return document.location(origin)

    def explain(self) -> Iterator[tuple[Path_, Any, Location]]:
        """Each leaf value (scalars and whole lists) with its path and origin."""
        yield from _leaves(self.data, self.provenance, (), (self.document, ()))


def _leaves(data: Any, prov: ProvTree | None, path: Path_, origin: tuple[Document, Path_],
            ) -> Iterator[tuple[Path_, Any, Location]]:
    document, origin_path = origin
    if isinstance(data, dict) and data:
        for key, value in data.items():
            if prov is not None and key in prov:
                child_document, child_path, sub = prov[key]
                yield from _leaves(value, sub, (*path, key), (child_document, child_path))
            else:
                yield from _leaves(value, None, (*path, key), (document, (*origin_path, key)))
    elif isinstance(data, list) and prov:  # per-item origins (accumulated templates)
        for index, item in enumerate(data):
            item_document, item_path, _ = prov[index]
            yield (*path, index), item, item_document.location(item_path)
    else:
        yield path, data, document.location(origin_path)


@dataclass(slots=True)
class Inventory:
    """Everything read from a repository: settings, entities, resolved devices, problems."""

    settings: dict[str, Any]
    locations: dict[str, Entity] = field(default_factory=dict)
    groups: dict[str, Entity] = field(default_factory=dict)
    device_files: dict[str, Entity] = field(default_factory=dict)
    devices: dict[str, ResolvedDevice] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    defaults: Document | None = None
    # Facts from `unet pull` (a StateFiles), read on first use: `derived.*` in policies.
    state: Any = None

    def device(self, name: str) -> ResolvedDevice | None:
        return self.devices.get(name)
