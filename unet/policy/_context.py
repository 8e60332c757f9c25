"""What a rule sees while it runs on one device, and what it leaves behind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from unet.core import Location
from unet.inventory import ResolvedDevice
from unet.policy._configs import ConfigView

__all__ = ["ConfigSource", "Context", "DerivedSource", "LinkSource", "Touched"]

# (context, "running" | "intended") -> the configuration, or None when there is none.
# The intended one is rendered from the context's data, so SET and APPLY count.
ConfigSource = Callable[["Context", str], "ConfigView | None"]
# device name -> its links as (element, where the link is written).
LinkSource = Callable[[str], "list[tuple[dict[str, Any], Location]]"]
# device name -> its facts from `unet pull` (an inventory DeviceState), or None.
DerivedSource = Callable[[str], Any]
# What a condition looked at: a data path of the device, or a place in a file.
Touched = tuple[Any, ...] | Location


class Context:
    """One device under evaluation: its data (changed by SET), configs and blame trail."""

    __slots__ = ("_configs", "_derived", "_links", "applied", "choices", "config_source", "data",
                 "deadline", "derived_source", "device", "each", "fleet_source", "layers",
                 "link_source", "members", "reason", "scope", "set_origins", "steps", "touched",
                 "witness")

    def __init__(self, device: ResolvedDevice, *, configs: ConfigSource,
                 links: LinkSource, derived: DerivedSource | None = None,
                 choices: dict[str, list[str]] | None = None,
                 fleet: Callable[[], list[dict[str, Any]]] | None = None,
                 layers: Callable[[ResolvedDevice, str], list[tuple[dict[str, Any], Any]]]
                 | None = None) -> None:
        self.device = device
        self.data: dict[str, Any] = device.data
        self.scope: dict[str, tuple[Any, Touched | None]] = {}
        self.touched: list[Touched] = []
        self.reason: str | None = None  # why the last config test failed, for messages
        self.witness: dict[str, Any] = {}  # quantifier variable -> the element it failed on
        self.set_origins: dict[tuple[Any, ...], Location] = {}
        self.applied: list[tuple[str, Location]] = []
        self.config_source = configs
        self.link_source = links
        self._configs: dict[str, ConfigView | None] = {}
        self._links: list[tuple[dict[str, Any], Location]] | None = None
        self.derived_source = derived
        self._derived: Any = False  # not looked up yet
        self.choices = choices  # allowed roles and lifecycles (unet.yaml), for SET
        self.steps = 0  # quantifier steps of the rule being evaluated (the budget)
        self.deadline = float("inf")  # time.monotonic() the rule must end by (the budget)
        self.fleet_source = fleet
        self.layers = layers  # node.inherited.<layer>: (data, document) sources
        # Set by an ASSERT on ALL/NONE: (touched, reason, witness) of each failing element.
        self.each: list[tuple[Any, str | None, dict[str, Any]]] | None = None
        # Quantifier elements made from mappings, by (id, blame base): see _join._members.
        self.members: dict[tuple[int, Any], tuple[Any, list[Any]]] = {}

    def config(self, which: str) -> ConfigView | None:
        if which not in self._configs:
            self._configs[which] = self.config_source(self, which)
        return self._configs[which]

    def derived(self) -> Any:
        """The device's collected facts (a DeviceState), or None when it has none."""
        if self._derived is False:
            source = self.derived_source
            self._derived = source(self.device.name) if source is not None else None
        return self._derived

    def fleet(self) -> list[dict[str, Any]]:
        """Every device's data (as resolved from the files, before any SET), by name."""
        return self.fleet_source() if self.fleet_source is not None else []

    def links(self) -> list[tuple[dict[str, Any], Location]]:
        if self._links is None:
            self._links = self.link_source(self.device.name)
        return self._links

    def where(self, path: tuple[Any, ...]) -> Location:
        """The file:line:col of a data path: a policy SET, or the device's provenance."""
        for size in range(len(path), 0, -1):
            origin = self.set_origins.get(path[:size])
            if origin is not None:
                return origin
        return self.device.where(path)

    def set(self, path: tuple[Any, ...], value: Any, origin: Location) -> None:
        """Change the in-memory device: copy along the path, never the user's files."""
        data = self.data = dict(self.data)
        for key in path[:-1]:
            child = data.get(key)
            child = dict(child) if isinstance(child, dict) else {}
            data[key] = child
            data = child
        data[path[-1]] = value
        self.set_origins[path] = origin
        self._configs.pop("intended", None)  # render again with the new data

    def apply(self, template: str, origin: Location) -> None:
        if all(name != template for name, _ in self.applied):
            self.applied.append((template, origin))
            self._configs.pop("intended", None)
