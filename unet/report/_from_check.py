"""A `unet check` run as a Report, ready for any format."""

from __future__ import annotations

from collections.abc import Iterable

from unet.core import Diagnostic
from unet.policy import CheckRun
from unet.report._model import Report, RuleSummary

__all__ = ["check_report"]


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
