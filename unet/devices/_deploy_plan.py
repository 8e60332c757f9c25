"""What `unet deploy` would send, and how to undo what it sent (no network here).

    plans = plan_deployment(snapshot, inventory, devices, features=("frr/bgp.j2",))
    plans[0].lines            # the commands, in send order (held-back ones left out)
    undo = rollback_for(base_text, "frr", plans[0].trees, applied=3)

A plan is exactly the remediation `unet diff --remediation` shows for the device (the
same protected lines, normalisers and policy outcomes), for the whole device or the
features asked for. The rollback is computed from the commands that reached the
device: they are run against the configuration the device had before (as the config
engine's `apply` predicts a device does), and the remediation from that prediction
back to the original is what undoes them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from unet.config import (
    DEVICE_CONTROL,
    Command,
    ConfigTree,
    Node,
    Remediation,
    apply,
    detect_profile,
    diff,
    get_dialect,
    parse,
    remediate,
)
from unet.core import Diagnostic, Severity, printable, record
from unet.devices._platforms import PLATFORMS, Platform
from unet.inventory import SETTINGS_FILE, Inventory, ResolvedDevice
from unet.source import Snapshot
from unet.templates import DeviceCompliance, compare_device

__all__ = [
    "DevicePlan",
    "PlanContext",
    "feature_names",
    "plan_deployment",
    "rollback_for",
    "select_features",
    "sent_prefix",
]


@record
class DevicePlan:
    """One device's deployment plan, or why it gets none.

    `base` is the stored running configuration the plan was made from (what pre-flight
    compares the device with); `trees` the remediation(s) in send order (one per
    feature with `--feature`, else the whole device's); `refused` a (code, reason) for
    a device that is not deployed at all; `skipped` why there is nothing to compare.
    """

    device: str
    platform: str | None
    base: str | None = None
    base_path: str | None = None
    trees: tuple[Remediation, ...] = ()
    features: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    refused: tuple[str, str] | None = None
    skipped: str | None = None
    scope: frozenset[str] | None = None  # the features deployed (None: the whole device)

    @property
    def commands(self) -> list[Command]:
        """Every command with its marks, held-back ones included (for showing the plan)."""
        return [c for tree in self.trees for c in tree.commands]

    @property
    def sendable(self) -> list[Command]:
        return [c for c in self.commands if c.held is None]

    @property
    def lines(self) -> list[str]:
        """What is sent, line by line, in send order."""
        return [c.text for c in self.sendable]

    @property
    def text(self) -> str:
        """The plan as `unet diff --remediation` prints it (risk marks, held-back lines)."""
        return "".join(tree.as_text() for tree in self.trees)


class PlanContext:
    """What planning needs once per run: templates loaded, settings read, policy outcomes."""

    def __init__(self, snapshot: Snapshot, inventory: Inventory, *,
                 outcomes: Mapping[str, Any] | None = None,
                 allow_protected: bool = False) -> None:
        from unet.inventory import RunningConfigs
        from unet.templates import RemediationOptions, compile_normalizers, load_templates

        self.snapshot = snapshot
        self.inventory = inventory
        self.outcomes = outcomes
        self.templates = load_templates(snapshot)
        self.running = RunningConfigs(snapshot)
        self.normalizers = compile_normalizers(inventory.settings)
        self.options = RemediationOptions.from_settings(inventory.settings, enabled=True,
                                                        allow_protected=allow_protected)

    def compare(self, device: ResolvedDevice, snapshot: Snapshot | None = None,
                ) -> DeviceCompliance:
        """The device compared, with remediation (against `snapshot`'s running config:
        the verification reads a fresh one through an overlay)."""
        outcome = self.outcomes.get(device.name) if self.outcomes is not None else None
        return compare_device(device, snapshot or self.snapshot, self.templates, self.running,
                              normalizers=self.normalizers, outcome=outcome,
                              options=self.options)


def feature_names(compared: Iterable[DeviceCompliance]) -> list[str]:
    """Every feature name the devices have, in first-seen order."""
    seen: dict[str, None] = {}
    for device in compared:
        for feature in device.features:
            seen.setdefault(feature.name, None)
    return list(seen)


def _stem(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base[:-3] if base.endswith(".j2") else base


def select_features(wanted: Sequence[str], known: Sequence[str]) -> frozenset[str]:
    """The features `--feature` names (a template path, or its name without folder and
    `.j2`); a ValueError with a did-you-mean for one no device has."""
    chosen: set[str] = set()
    for name in wanted:
        found = [k for k in known if name in (k, _stem(k))]
        if not found:
            close = difflib.get_close_matches(name, [*known, *map(_stem, known)], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"no feature {name!r} on the selected devices "
                             f"(known: {', '.join(known) or 'none'}){hint}")
        chosen.update(found)
    return frozenset(chosen)


def scope_trees(compared: DeviceCompliance, features: frozenset[str] | None,
                ) -> tuple[tuple[Remediation, ...], tuple[str, ...]]:
    """The remediation trees for the deployed scope, and the features with changes."""
    changed = tuple(f.name for f in compared.features if f.plan is not None and f.plan.commands
                    and (features is None or f.name in features))
    if features is None:
        plan = compared.plan
        return ((plan,) if plan is not None and plan.commands else ()), changed
    trees = tuple(f.plan for f in compared.features
                  if f.name in features and f.plan is not None and f.plan.commands)
    return trees, changed


def plan_deployment(context: PlanContext, devices: Sequence[ResolvedDevice], *,
                    features: Sequence[str] = (),
                    platforms: Mapping[str, Platform] = PLATFORMS) -> list[DevicePlan]:
    """Each device's plan, in the devices' order; a ValueError for an unknown feature."""
    compared = [context.compare(device) for device in devices]
    scope = select_features(features, feature_names(compared)) if features else None
    broken = _files_with_errors(context.inventory)
    return [_plan(c, context.snapshot, scope, platforms,
                  next((broken[f] for f in (SETTINGS_FILE, *d.layers) if f in broken), None))
            for c, d in zip(compared, devices, strict=True)]


def _files_with_errors(inventory: Inventory) -> dict[str, Diagnostic]:
    """The first error in each data file: what was invalid in it was dropped when it was
    read, so a plan built from it could remove what the file meant to keep."""
    found: dict[str, Diagnostic] = {}
    for diagnostic in inventory.diagnostics:
        if diagnostic.severity is Severity.ERROR:
            found.setdefault(diagnostic.location.path, diagnostic)
    return found


def _plan(compared: DeviceCompliance, snapshot: Snapshot, scope: frozenset[str] | None,
          platforms: Mapping[str, Platform], data_error: Diagnostic | None = None) -> DevicePlan:
    name, platform = compared.device, compared.platform
    diagnostics = compared.diagnostics
    base = DevicePlan(name, platform, base_path=compared.running, diagnostics=diagnostics)
    if data_error is not None:
        return _replace(base, refused=("D202", f"cannot plan from invalid data: {data_error} "
                                                "(see `unet validate`)"))
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        first = errors[0]  # where it is matters: T116 says "the value printed here"
        where = f"{first.location}: " if first.location.path else ""
        return _replace(base, refused=("D201", printable(f"cannot plan: {where}{first.code} "
                                                          f"{first.message}")))
    if compared.skipped:
        return _replace(base, skipped=compared.skipped)
    row = platforms.get(platform or "")
    if row is None or not row.deploy_tested:
        title = row.title if row is not None else (platform or "no platform")
        net = f" (its safety net would be: {row.safety_net.description})" if row else ""
        return _replace(base, refused=(
            "D200", f"{title} has no tested apply path in unet deploy{net}; apply "
                    "`unet diff --remediation` by hand"))
    trees, changed = scope_trees(compared, scope)
    unsafe = next((c.text for tree in trees for c in tree.commands
                   if DEVICE_CONTROL.search(c.text)), None)
    if unsafe is not None:  # the parser and the renderer refuse these; never send one
        return _replace(base, refused=("D203", f"the command '{printable(unsafe)}' has a "
                                                "control character a device would act on; "
                                                "nothing sent"))
    text = None
    if compared.running is not None:
        from unet.config import decode_config

        text = decode_config(snapshot.read(compared.running))
    return DevicePlan(name, platform, text, compared.running, trees, changed, diagnostics,
                      scope=scope)


def _replace(plan: DevicePlan, **changes: object) -> DevicePlan:
    from dataclasses import replace

    return replace(plan, **changes)  # type: ignore[arg-type]


# --- rollback ------------------------------------------------------------------------------


def sent_prefix(trees: Sequence[Remediation], applied: int) -> list[Remediation]:
    """Copies of `trees` holding only their first `applied` commands in send order
    (section exits not counted): what reached the device before it stopped."""
    budget = [applied]
    out = []
    for tree in trees:
        if budget[0] <= 0:
            break
        copy = Remediation(tree.rules, tree.path)
        _copy_prefix(tree, copy, budget)
        out.append(copy)
    return out


def _copy_prefix(node: Node, out: Node, budget: list[int]) -> None:
    # Commands are made by a pre-order walk of the tree (one per node, exits aside),
    # so the first N commands are the first N nodes of the same walk.
    for child in node.children:
        if budget[0] <= 0:
            return
        budget[0] -= 1
        copy = Node(child.text, child.line)
        copy.tag = child.tag
        out.adopt(copy)
        _copy_prefix(child, copy, budget)


def rollback_for(base_text: str, platform: str, trees: Sequence[Remediation],
                 applied: int) -> Remediation:
    """The commands that undo the first `applied` commands of `trees` on a device whose
    configuration was `base_text` (protected lines included: it undoes only unet's own
    commands)."""
    rules = get_dialect(platform)
    base: ConfigTree = parse(base_text, rules)
    profile = detect_profile(base)
    after = base
    for part in sent_prefix(trees, applied):
        after = apply(after, part, rules, profile=profile)
    return remediate(diff(after, base, profile=profile), allow_protected=True)


def applied_count(commands: Sequence[Command], lines_done: int) -> int:
    """How many of the tree's commands the first `lines_done` sent lines are (exits are
    sent lines but not tree commands)."""
    return sum(1 for c in commands[:lines_done] if c.kind != "exit")
