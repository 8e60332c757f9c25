"""What a change does to every device: the intended config at one revision against another,
beside what changed in each device's resolved data (the cause next to the effect).

    run = compare_revisions(GitSnapshot(root, "main"), WorktreeSnapshot(root))
    for device in run.devices:
        device.status, device.config, device.data    # ConfigDiff, ["vars.x: 1 → 2", …]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from unet.config import ConfigDiff, ConfigTree, diff, remediate
from unet.core import Diagnostic, Severity, UnetError, has_errors, record
from unet.inventory import (
    Inventory,
    ResolvedDevice,
    device_file_errors,
    did_you_mean,
    load_inventory,
)
from unet.source import Snapshot
from unet.templates._compliance import Outcomes, render_intended
from unet.templates._render import RenderResult, TemplateSet, load_templates

__all__ = ["DeviceChange", "RevisionRun", "compare_revisions", "data_changes"]


@record
class DeviceChange:
    """One device between two revisions. status: changed, unchanged, added, removed, error."""

    device: str
    status: str
    config: ConfigDiff | None = field(default=None, compare=False, repr=False)
    data: tuple[str, ...] = ()
    remediation: str = ""
    diagnostics: tuple[Diagnostic, ...] = ()
    note: str = ""  # e.g. "platform ios → eos: configs not compared"


@dataclass(slots=True)
class RevisionRun:
    base: str  # labels of the two snapshots
    head: str
    devices: list[DeviceChange] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(d.status in ("changed", "added", "removed") for d in self.devices)

    @property
    def affected(self) -> list[DeviceChange]:
        return [d for d in self.devices if d.status != "unchanged"]


class _Side:
    """One revision: its inventory and templates, rendering on demand."""

    def __init__(self, snapshot: Snapshot, inventory: Inventory | None,
                 outcomes: Outcomes | None) -> None:
        self.snapshot = snapshot
        self.inventory = inventory if inventory is not None else load_inventory(snapshot)
        self.templates: TemplateSet = load_templates(snapshot)
        self.outcomes = outcomes or {}

    def device(self, name: str) -> ResolvedDevice | None:
        return self.inventory.devices.get(name)

    def render(self, device: ResolvedDevice) -> RenderResult:
        return render_intended(device, self.snapshot, self.templates,
                               outcome=self.outcomes.get(device.name))

    def data(self, device: ResolvedDevice) -> Mapping[str, Any]:
        found = self.outcomes.get(device.name)
        return found[0] if found is not None else device.data


def compare_revisions(base: Snapshot, head: Snapshot, *, names: Sequence[str] = (),
                      base_inventory: Inventory | None = None,
                      head_inventory: Inventory | None = None,
                      base_outcomes: Outcomes | None = None,
                      head_outcomes: Outcomes | None = None,
                      remediation: bool = False, allow_protected: bool = False) -> RevisionRun:
    """Every device of either revision (or `names`), intended at `base` against `head`."""
    old, new = _Side(base, base_inventory, base_outcomes), _Side(head, head_inventory,
                                                                 head_outcomes)
    every = sorted({*old.inventory.devices, *new.inventory.devices})
    run = RevisionRun(base.label, head.label)
    unknown = [n for n in names if n not in every]
    if unknown:
        raise UnetError(f"no device named '{unknown[0]}' at either revision"
                        f"{did_you_mean(unknown[0], every)}")
    for name in names or every:
        change = _compare(name, old, new, remediation, allow_protected)
        run.devices.append(change)
        run.diagnostics.extend(d for d in change.diagnostics if d not in run.diagnostics)
    run.diagnostics.sort(key=lambda d: d.sort_key)
    return run


def _compare(name: str, old: _Side, new: _Side, remediation: bool,
             allow_protected: bool = False) -> DeviceChange:
    before, after = old.device(name), new.device(name)
    if after is None:
        broken = tuple(device_file_errors(new.inventory.diagnostics, name))
        if broken:  # its file did not load: not a removal, an error to fix
            return DeviceChange(name, "error", diagnostics=broken,
                                note=f"its file has errors in {new.snapshot.label}")
        return DeviceChange(name, "removed", note=f"was in {old.snapshot.label}")
    result = new.render(after)
    problems = tuple(result.diagnostics)
    if before is None:
        empty = ConfigTree(result.tree.dialect) if result.tree is not None else None
        config = diff(empty, result.tree) if empty is not None and result.tree else None
        status = "error" if has_errors(problems) else "added"
        return DeviceChange(name, status, config, diagnostics=problems, note="new device")
    previous = old.render(before)
    problems += tuple(_at(d, old.snapshot.label) for d in previous.diagnostics
                      if d.severity is Severity.ERROR)
    data = data_changes(old.data(before), new.data(after))
    config, note = _config_diff(previous, result)
    commands = _remediation(config, allow_protected) if remediation and config else ""
    changed = bool(config) or bool(data) or bool(note)
    status = "error" if has_errors(problems) else ("changed" if changed else "unchanged")
    return DeviceChange(name, status, config, tuple(data), commands, problems, note)


def _at(problem: Diagnostic, label: str) -> Diagnostic:
    # Errors at the old revision are context, not something to fix now.
    return replace(problem, severity=Severity.WARNING, message=f"at {label}: {problem.message}")


def _config_diff(before: RenderResult, after: RenderResult) -> tuple[ConfigDiff | None, str]:
    if before.tree is None or after.tree is None:
        return None, ""
    if before.tree.dialect != after.tree.dialect:
        return None, (f"platform {before.tree.dialect} → {after.tree.dialect}: "
                      "configurations not compared line by line")
    return diff(before.tree, after.tree), ""


def _remediation(result: ConfigDiff, allow_protected: bool) -> str:
    """The commands with risk marks, held-back lines and the summary as comments."""
    return remediate(result, allow_protected=allow_protected).as_text()


_ROOT_PART = re.compile(r"\[('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\d+)\]")


def data_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """What changed in a device's resolved data, one line per change (via deepdiff)."""
    if before == after:
        return []
    from deepdiff import DeepDiff

    found = DeepDiff(before, after, verbose_level=2, ignore_order=False).to_dict()
    lines: list[str] = []
    for kind, entries in sorted(found.items()):
        lines += _describe(kind, entries)
    return sorted(lines)


def _describe(kind: str, entries: Any) -> Iterable[str]:
    # A mapping of path -> value, or a set of paths (items added to a set).
    items = entries.items() if isinstance(entries, Mapping) else ((p, None) for p in entries)
    for path, value in items:
        where = _dotted(str(path))
        if kind in ("values_changed", "type_changes") and isinstance(value, Mapping):
            yield f"{where}: {_show(value['old_value'])} → {_show(value['new_value'])}"
        elif kind.endswith("_added"):
            yield f"{where}: added {_show(value)}"
        elif kind.endswith("_removed"):
            yield f"{where}: removed (was {_show(value)})"
        else:
            yield f"{where}: {kind.replace('_', ' ')}"


def _dotted(path: str) -> str:
    """`root['vars']['ntp'][1]` → `vars.ntp[1]`, as users write paths."""
    out = ""
    for match in _ROOT_PART.finditer(path):
        part = match.group(1)
        if part.isdigit():
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part[1:-1]
    return out or "(all)"


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "…"
