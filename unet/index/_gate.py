"""What a check adds to the policies' verdict on a device, so a change is judged by what it does:

- every template error of the device (T1xx), at the template's line and naming the
  device line that chose the template;
- a rule that reads `intended` on a device whose templates failed is not evaluated
  (P310), never a failed assertion about a configuration that does not exist;
- a finding on the running configuration that the configuration after a deploy would
  not have is `pending` (the intended data already fixes it; a deploy is what is left).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from unet.core import Diagnostic, Finding, Severity
from unet.index._collapse import NOT_EVALUATED, collapse, not_evaluated
from unet.inventory import Inventory, ResolvedDevice, RunningConfigs
from unet.policy import CompiledRule, ConfigView, Context, evaluate

if TYPE_CHECKING:
    from unet.source import Snapshot
    from unet.templates import RenderResult, TemplateSet

__all__ = ["NOT_EVALUATED", "PENDING", "Gate", "Renders", "collapse", "not_evaluated",
           "reads", "template_problems"]

PENDING = "the intended configuration already satisfies this rule; it is waiting for a deploy"
# How many devices a template problem shared by many devices names before "and N more".
_NAMED = 3

DeviceResult = tuple[list[Finding], list[str], list[Diagnostic]]


def reads(rule: CompiledRule, root: str) -> bool:
    """Whether the rule looks at `running` or `intended` anywhere (condition or actions)."""
    def walk(node: Any) -> bool:
        parts = getattr(node, "parts", None)
        if isinstance(parts, tuple):  # a path in the syntax tree: its root name first
            return bool(parts) and parts[0] == root
        if isinstance(node, tuple | list):
            return any(walk(item) for item in node)
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            return any(walk(getattr(node, f.name)) for f in dataclasses.fields(node))
        return False

    return walk(rule.rule.when) or walk(rule.rule.actions)


class Renders:
    """The intended configurations of one run: each device rendered once with its own data
    (a policy's SET or APPLY renders it again), failures remembered for P310."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._templates: TemplateSet | None = None
        self._plain: dict[str, RenderResult] = {}
        self.failed: dict[str, Diagnostic] = {}  # device -> first error a policy met

    @property
    def templates(self) -> TemplateSet:
        if self._templates is None:
            from unet.templates import load_templates

            self._templates = load_templates(self.snapshot)
        return self._templates

    def plain(self, device: ResolvedDevice) -> RenderResult:
        found = self._plain.get(device.name)
        if found is None:
            from unet.templates import render_device

            found = self._plain[device.name] = render_device(device, self.snapshot,
                                                             templates=self.templates)
        return found

    def intended(self, ctx: Context) -> ConfigView | None:
        """What a policy's `intended` is: rendered from the context's data."""
        if ctx.data is ctx.device.data and not ctx.applied:
            result = self.plain(ctx.device)
        else:
            from unet.templates import render_device

            result = render_device(ctx.device, self.snapshot, applied=ctx.applied,
                                   data=ctx.data, templates=self.templates)
        error = _first_error(result.diagnostics)
        if error is not None:
            self.failed.setdefault(ctx.device.name, error)
        return ConfigView.of(result.tree) if result.tree is not None else None

    def broken(self, device: ResolvedDevice) -> Diagnostic | None:
        """The first error of the device's templates (its own data, or a policy's)."""
        return _first_error(self.plain(device).diagnostics) or self.failed.get(device.name)


def _first_error(diagnostics: Iterable[Diagnostic]) -> Diagnostic | None:
    return next((d for d in diagnostics if d.severity is Severity.ERROR), None)


def template_problems(result: RenderResult, device: ResolvedDevice) -> list[Diagnostic]:
    """The device's template diagnostics (each names the device line that chose it), and
    those of templates it names that do not exist."""
    prefix = f"device {device.name}: "
    found = [problem for item in result.templates for problem in item.diagnostics]
    chosen = {d for item in result.templates for d in item.diagnostics}
    for problem in result.diagnostics:  # a template the device names that does not exist
        if problem not in chosen:
            message = problem.message if problem.message.startswith(prefix) else \
                prefix + problem.message
            found.append(dataclasses.replace(problem, message=message))
    return found


class Gate:
    """Applies the three additions above to one device's policy result."""

    def __init__(self, rules: Sequence[CompiledRule], renders: Renders, running: RunningConfigs,
                 inventory: Inventory, links: Any) -> None:
        self.rules = list(rules)
        self.renders = renders
        self.running = running
        self.inventory = inventory
        self.links = links
        self.on_intended = {r.id for r in rules if reads(r, "intended")}
        self.on_running = {r.id for r in rules if reads(r, "running")} - self.on_intended
        self.unclaimed = str(inventory.settings.get("unclaimed") or "ignore")
        self.changes = {r.id for r in rules
                        if any(type(a).__name__ in ("Set", "Apply") for a in r.rule.actions)}

    def apply(self, device: ResolvedDevice, result: DeviceResult) -> DeviceResult:
        findings, evaluated, problems = result
        problems = [*problems, *template_problems(self.renders.plain(device), device)]
        broken = self.renders.broken(device)
        if broken is not None:
            findings, evaluated, skipped = self._not_evaluated(device, broken, findings,
                                                               evaluated)
            problems += skipped
        pending = self._pending(device, findings)
        findings = [dataclasses.replace(f, pending=PENDING) if f.rule in pending else f
                    for f in findings]
        return findings, evaluated, problems

    def _not_evaluated(self, device: ResolvedDevice, broken: Diagnostic,
                       findings: list[Finding], evaluated: list[str],
                       ) -> tuple[list[Finding], list[str], list[Diagnostic]]:
        skipped = [r for r in self.rules if r.id in self.on_intended and r.id in evaluated]
        why = f"{broken.location}: {broken.code}"
        notes = [Diagnostic(r.rule.at, NOT_EVALUATED, Severity.WARNING,
                            f"rule '{r.id}' not evaluated on {device.name}: its intended "
                            f"configuration cannot be rendered ({why})") for r in skipped]
        ids = {r.id for r in skipped}
        # They stay in `evaluated`: their WHEN did match (coverage says so); P310 says why
        # there is no verdict.
        return [f for f in findings if f.rule not in ids], evaluated, notes

    def _pending(self, device: ResolvedDevice, findings: list[Finding]) -> set[str]:
        """Rules failing on running that hold on the intended configuration and on the
        configuration after a deploy (intended plus the running lines no template claims:
        a deploy leaves those alone)."""
        candidates = {f.rule for f in findings if f.rule in self.on_running}
        if not candidates:
            return set()
        rendered = self.renders.plain(device)
        if rendered.tree is None or not rendered.templates or not rendered.ok:
            return set()
        # The candidates, and the rules whose SET or APPLY change what later rules see.
        rules = [r for r in self.rules if r.id in candidates or r.id in self.changes]
        holding = self._holding(device, rules, candidates, ConfigView.of(rendered.tree))
        if not holding:
            return set()
        from unet.templates import after_deploy

        platform = device.data.get("platform")
        tree = self.running.tree(device.name, platform if isinstance(platform, str) else None)
        if tree is None:
            return set()
        mode = str(device.data.get("unclaimed") or self.unclaimed)
        after = after_deploy(rendered, tree, keep_unclaimed=mode != "remove")
        if after is None:
            return set()
        return self._holding(device, rules, holding, ConfigView(after, tree.path))

    def _holding(self, device: ResolvedDevice, rules: list[CompiledRule], candidates: set[str],
                 view: ConfigView) -> set[str]:
        """The candidates whose WHEN matches and whose assertions hold with `view` as the
        running configuration."""

        def source(ctx: Context, which: str) -> ConfigView | None:
            return view if which == "running" else self.renders.intended(ctx)

        again = evaluate(rules, [device], self.inventory, configs=source, links=self.links)
        matched = set(again.evaluated.get(device.name, ()))
        failing = {f.rule for f in again.findings}
        return {r for r in candidates if r in matched and r not in failing}
