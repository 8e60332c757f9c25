"""Run compiled rules over devices: findings, coverage, and what SET/APPLY changed."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from unet.core import Diagnostic, Finding, Location, Severity, record
from unet.inventory import Inventory, ResolvedDevice
from unet.patterns import PatternTimeout
from unet.policy._compile import MAX_RULE_SECONDS, CompiledRule
from unet.policy._context import ConfigSource, Context, DerivedSource
from unet.policy._layers import Layers
from unet.policy._setcheck import CHOICES
from unet.policy._values import PolicyEvaluationError

__all__ = ["CheckResult", "DeviceOutcome", "LazyLinks", "context_for", "derived_source",
           "evaluate", "link_index"]


@record
class DeviceOutcome:
    """A device after its rules ran: data changed by SET, templates added by APPLY."""

    data: dict[str, Any]
    applied: tuple[tuple[str, Location], ...]


@dataclass(slots=True)
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # device -> ids of the rules whose WHEN matched it, in order
    evaluated: dict[str, list[str]] = field(default_factory=dict)
    outcomes: dict[str, DeviceOutcome] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)
    # device -> the problems met evaluating it (also in `diagnostics`)
    device_diagnostics: dict[str, list[Diagnostic]] = field(default_factory=dict)

    @property
    def checks(self) -> int:
        return sum(len(ids) for ids in self.evaluated.values())

    @property
    def unmatched_devices(self) -> list[str]:
        return sorted(name for name, ids in self.evaluated.items() if not ids)

    @property
    def unmatched_rules(self) -> list[str]:
        matched = {rule for ids in self.evaluated.values() for rule in ids}
        return [rule for rule in self.rules if rule not in matched]


def link_index(inventory: Inventory) -> dict[str, list[tuple[dict[str, Any], Location]]]:
    """Each device's links as policy elements: interface, peer, peer_interface, peer_node
    (the peer's data), ..."""
    index: dict[str, list[tuple[dict[str, Any], Location]]] = {}
    devices = inventory.devices
    for link in inventory.links:
        shared = {k: v for k, v in link.data.items() if k != "endpoints"}
        where = link.location()
        for (device, interface), (peer, peer_interface) in (link.endpoints,
                                                            link.endpoints[::-1]):
            other = devices.get(peer)
            element = {**shared, "interface": interface, "peer": peer,
                       "peer_interface": peer_interface,
                       "peer_node": other.data if other is not None else None}
            index.setdefault(device, []).append((element, where))
    return index


class LazyLinks:
    """`link_index(inventory)`, built the first time a rule (or waiver) looks at links."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self._index: dict[str, list[tuple[dict[str, Any], Location]]] | None = None

    def get(self, device: str, default: list[tuple[dict[str, Any], Location]],
            ) -> list[tuple[dict[str, Any], Location]]:
        if self._index is None:
            self._index = link_index(self.inventory)
        return self._index.get(device, default)


class Fleet:
    """`fleet`: every device's data in name order, listed the first time a rule asks."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self._devices: list[dict[str, Any]] | None = None

    def __call__(self) -> list[dict[str, Any]]:
        if self._devices is None:
            devices = self.inventory.devices
            self._devices = [devices[name].data for name in sorted(devices)]
        return self._devices


_last_fleet: list[tuple[Inventory, Fleet]] = []


def _fleet_of(inventory: Inventory) -> Fleet:
    """One `Fleet` per inventory: callers evaluate one device at a time, and listing
    every device for each of them would make a fleet rule quadratic twice over."""
    if not _last_fleet or _last_fleet[0][0] is not inventory:
        _last_fleet[:] = [(inventory, Fleet(inventory))]
    return _last_fleet[0][1]


def derived_source(inventory: Inventory) -> DerivedSource | None:
    """Where `derived.*` comes from: the repository's state/ files."""
    state = inventory.state
    return state.get if state is not None else None


def context_for(device: ResolvedDevice, inventory: Inventory, *, configs: ConfigSource,
                links: LazyLinks | dict[str, list[tuple[dict[str, Any], Location]]],
                choices: dict[str, list[str]] | None = None,
                layers: Layers | None = None) -> Context:
    """What a condition on `device` reads: its data and configs, links, state, the fleet and
    the inheritance layers, as in a rule (a waiver's `where:`, `--where` too)."""
    return Context(device, configs=configs, links=lambda name: links.get(name, []),
                   derived=derived_source(inventory), choices=choices,
                   fleet=_fleet_of(inventory), layers=layers or Layers(inventory))


def evaluate(rules: list[CompiledRule], devices: Iterable[ResolvedDevice], inventory: Inventory,
             *, configs: ConfigSource,
             links: LazyLinks | dict[str, list[tuple[dict[str, Any], Location]]] | None = None,
             ) -> CheckResult:
    """Every rule on every device, in order; SET and APPLY affect the rules after them.

    `links` is `link_index(inventory)` (or a LazyLinks), when the caller already has it.
    """
    links = LazyLinks(inventory) if links is None else links
    result = CheckResult(rules=[r.id for r in rules])
    choices = {key: list(inventory.settings.get(setting) or [])
               for key, setting in CHOICES.items() if setting in inventory.settings}
    layers = Layers(inventory)
    for device in devices:
        ctx = context_for(device, inventory, configs=configs, links=links, choices=choices,
                          layers=layers)
        matched = result.evaluated.setdefault(device.name, [])
        problems = result.device_diagnostics.setdefault(device.name, [])
        for rule in rules:
            if _stops(rule) >= MAX_STOPS:  # not even its WHEN: that may be what is slow
                problems.append(Diagnostic(
                    rule.rule.at, STOPPED, Severity.ERROR,
                    f"rule '{rule.id}' not evaluated on {device.name}: it was stopped by "
                    f"its budget on {MAX_STOPS} other devices", (device.source,)))
                continue
            # Each device on its own: what a rule does on one never depends on the others.
            mark = len(result.findings)
            try:
                _run(rule, ctx, matched, result.findings)
            except (PolicyEvaluationError, PatternTimeout) as exc:
                del result.findings[mark:]  # a rule stopped half-way says nothing
                ctx.scope.clear()
                code = exc.code if isinstance(exc, PolicyEvaluationError) else "P301"
                costly = code == STOPPED or isinstance(exc, PatternTimeout)
                if costly:  # not a value of this device's that the rule cannot read
                    _stopped(rule)
                at = getattr(exc, "at", None) or rule.rule.at
                problems.append(Diagnostic(
                    at, code, Severity.ERROR,
                    f"rule '{rule.id}' could not be evaluated on {device.name}: {exc}; "
                    + ("the other rules were checked" if costly else
                       "its other devices and the other rules were checked"),
                    (device.source,)))
        result.diagnostics.extend(problems)
        result.outcomes[device.name] = DeviceOutcome(ctx.data, tuple(ctx.applied))
    return result


# A rule its budget stopped (P305) or whose pattern timed out (P301) on this many devices is
# not evaluated on the others: on 2,000 devices it would take hours, and say nothing new.
MAX_STOPS = 3
STOPPED = "P305"
_STOPS: dict[int, tuple[CompiledRule, int]] = {}  # id(rule) -> (the rule, times stopped)


def _stops(rule: CompiledRule) -> int:
    found = _STOPS.get(id(rule))
    return found[1] if found is not None and found[0] is rule else 0


def _stopped(rule: CompiledRule) -> None:
    if len(_STOPS) > 10_000:  # rules of policies loaded long ago (a server's reloads)
        _STOPS.clear()
    _STOPS[id(rule)] = (rule, _stops(rule) + 1)


def _run(rule: CompiledRule, ctx: Context, matched: list[str], findings: list[Finding]) -> None:
    ctx.touched.clear()
    ctx.steps = 0
    ctx.deadline = time.monotonic() + MAX_RULE_SECONDS
    if not rule.when(ctx):
        return
    matched.append(rule.id)
    for action in rule.actions:
        outcome = action(ctx)
        if outcome is None:
            continue
        for failure in outcome if isinstance(outcome, list) else (outcome,):
            findings.append(Finding(
                rule=rule.id, severity=rule.rule.severity, device=ctx.device.name,
                message=failure.message, location=failure.location, related=(failure.related,),
                fingerprint=rule.fingerprint(ctx.device.name, failure.key)))
