"""`unet check` as one call: policies, device selection, evaluation, waivers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from unet.core import Diagnostic, Location, Severity, UnetError
from unet.inventory import Inventory, ResolvedDevice, RunningConfigs, unknown_device
from unet.patterns import PatternTimeout
from unet.policy._compile import Compiler
from unet.policy._configs import ConfigView
from unet.policy._context import ConfigSource, Context
from unet.policy._evaluate import CheckResult, LazyLinks, context_for, evaluate
from unet.policy._load import PolicySet, load_policies
from unet.policy._parser import parse_condition
from unet.policy._values import PolicyEvaluationError
from unet.policy._waivers import apply_waivers, load_waivers, waiver_device_names
from unet.source import Snapshot

__all__ = ["CheckRun", "config_source", "run_check", "select"]

# Renders a device's intended configuration from a context (wired by the template layer).
IntendedSource = Callable[[Context], "ConfigView | None"]


@dataclass(slots=True)
class CheckRun:
    policies: PolicySet
    result: CheckResult = field(default_factory=CheckResult)
    devices: list[ResolvedDevice] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def config_source(running: RunningConfigs, intended: IntendedSource | None = None,
                  ) -> ConfigSource:
    def source(ctx: Context, which: str) -> ConfigView | None:
        if which == "intended":
            return intended(ctx) if intended is not None else None
        tree = running.tree(ctx.device.name, ctx.data.get("platform"))
        return ConfigView.of(tree) if tree is not None else None

    return source


def select(inventory: Inventory, *, names: Sequence[str] = (), where: str | None = None,
           configs: ConfigSource | None = None,
           snapshot: Snapshot | None = None) -> list[ResolvedDevice]:
    """Devices by name and/or `--where` condition; a bad name or condition is a UnetError.

    Conditions on `running` need `configs`, or a `snapshot` to read configs/ from.
    """
    unknown = [n for n in names if n not in inventory.devices]
    if unknown:
        raise unknown_device(inventory, unknown[0])
    chosen = [inventory.devices[n] for n in (names or sorted(inventory.devices))]
    if where is None:
        return chosen
    test = _where(where)
    links = LazyLinks(inventory)
    if configs is None and snapshot is not None:
        configs = config_source(RunningConfigs(snapshot))
    source = configs or (lambda ctx, which: None)
    try:
        return [d for d in chosen
                if test(context_for(d, inventory, configs=source, links=links))]
    except (PolicyEvaluationError, PatternTimeout) as exc:
        raise UnetError(f"--where could not be evaluated: {exc}", [Diagnostic(
            Location("<--where>", 1, 1), "P302", Severity.ERROR, str(exc))]) from None


def _where(text: str) -> Callable[[Context], bool]:
    condition, problems = parse_condition(text, "--where")
    compiler = Compiler()
    test = compiler.lone_condition(condition) if condition is not None else None
    problems = [*problems, *compiler.diagnostics]
    if test is None or any(p.severity is Severity.ERROR for p in problems):
        raise UnetError(f"invalid --where condition: {text}", problems)
    return test


def run_check(snapshot: Snapshot, inventory: Inventory, *, names: Sequence[str] = (),
              where: str | None = None, intended: IntendedSource | None = None,
              today: date | None = None) -> CheckRun:
    """Load policies (stopping at any error in them), evaluate, apply waivers."""
    run = CheckRun(load_policies(snapshot))
    if not run.policies.ok:
        return run
    running = RunningConfigs(snapshot)
    source = config_source(running, intended)
    run.devices = select(inventory, names=names, where=where, configs=source)
    run.result = evaluate(run.policies.rules, run.devices, inventory, configs=source)
    waivers, problems = load_waivers(snapshot)
    links = LazyLinks(inventory)

    def context(name: str) -> Context | None:
        device = inventory.devices.get(name)
        if device is None:
            return None
        return context_for(device, inventory, configs=source, links=links)

    findings, notes = apply_waivers(run.result.findings, waivers,
                                    rules=[r.id for r in run.policies.rules], context=context,
                                    today=today or date.today(),
                                    devices=waiver_device_names(inventory, snapshot))
    run.result.findings = sorted(findings, key=lambda f: f.sort_key)
    state = inventory.state.diagnostics if inventory.state is not None else []
    run.diagnostics = [*problems, *notes, *running.diagnostics, *state,
                       *run.result.diagnostics]
    return run


