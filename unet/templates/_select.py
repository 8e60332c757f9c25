"""Which templates a device renders, in which order.

Order: the resolved `templates` list (groups' first — parents before children, in the
device's `groups:` order — then the device's own), then templates applied by policy `APPLY`
in rule order. A template named twice renders once, at its first place.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any, NamedTuple

from unet.core import Diagnostic, Location, Severity
from unet.inventory import ResolvedDevice, did_you_mean

__all__ = ["NOT_FOUND_CODE", "Applied", "Selected", "select_templates"]

NOT_FOUND_CODE = "T101"

# An APPLY from the policy layer: the template name and where the rule is written.
Applied = str | tuple[str, Location]


class Selected(NamedTuple):
    """A template chosen for a device and where it was named (data or an APPLY rule)."""

    name: str
    source: Location
    applied: bool = False


def _named(device: ResolvedDevice, data: Mapping[str, Any]) -> Iterable[Selected]:
    names = data.get("templates") or []
    if not isinstance(names, list):
        return
    for index, name in enumerate(names):
        yield Selected(str(name), device.where(("templates", index)))


def _applied(device: ResolvedDevice, applied: Iterable[Applied]) -> Iterable[Selected]:
    for item in applied:
        if isinstance(item, str):
            yield Selected(item, device.source, True)
        else:
            yield Selected(str(item[0]), item[1], True)


def select_templates(device: ResolvedDevice, available: Collection[str], *,
                     applied: Iterable[Applied] = (), data: Mapping[str, Any] | None = None,
                     ) -> tuple[list[Selected], list[Diagnostic]]:
    """The device's templates in render order, and a T101 for each name not in `available`."""
    chosen: list[Selected] = []
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for item in (*_named(device, data if data is not None else device.data),
                 *_applied(device, applied)):
        if item.name in seen:
            continue
        seen.add(item.name)
        if item.name in available:
            chosen.append(item)
            continue
        hint = did_you_mean(item.name, available)
        problems.append(Diagnostic(item.source, NOT_FOUND_CODE, Severity.ERROR,
                                   f"template {item.name!r} not found under templates/{hint}"))
    return chosen, problems
