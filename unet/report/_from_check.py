"""A `unet check` run as a Report, ready for any format."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from unet.core import Diagnostic

if TYPE_CHECKING:  # unet.policy is heavy; reporting a stored run must not import it
    from unet.index import CheckOutcome
    from unet.policy import CheckRun
from unet.report._model import Report, RuleSummary

__all__ = ["check_report", "outcome_report"]


def check_report(run: CheckRun, diagnostics: Iterable[Diagnostic] = ()) -> Report:
    """The Report of a check run; `diagnostics` adds problems found before it (data)."""
    result = run.result
    rules = [RuleSummary(r.id, r.rule.severity, r.rule.title or r.rule.when_text, r.rule.at)
             for r in run.policies.rules]
    problems = sorted([*diagnostics, *run.policies.diagnostics, *run.diagnostics],
                      key=lambda d: d.sort_key)
    return Report(
        command="check",
        diagnostics=problems,
        findings=result.findings,
        rules=rules,
        evaluated=result.evaluated,
        coverage={
            "devices": len(run.devices),
            "rules": len(rules),
            "checks": result.checks,
            "unmatched_devices": result.unmatched_devices,
            "unmatched_rules": result.unmatched_rules,
        },
    )


def outcome_report(outcome: CheckOutcome) -> Report:
    """The Report of a check answered through the index (fresh or stored)."""
    return Report(
        command="check",
        diagnostics=list(outcome.diagnostics),
        findings=list(outcome.findings),
        rules=[RuleSummary(r.id, r.severity, r.title, r.location) for r in outcome.rules],
        evaluated=dict(sorted(outcome.evaluated.items())),
        coverage={
            "devices": len(outcome.devices),
            "rules": len(outcome.rules),
            "checks": sum(len(ids) for ids in outcome.evaluated.values()),
            "unmatched_devices": sorted(d for d, ids in outcome.evaluated.items() if not ids),
            "unmatched_rules": _unmatched_rules(outcome),
        },
    )


def _unmatched_rules(outcome: CheckOutcome) -> list[str]:
    matched = {rule for ids in outcome.evaluated.values() for rule in ids}
    return [r.id for r in outcome.rules if r.id not in matched]
