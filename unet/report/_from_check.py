"""A `unet check` outcome (fresh or from the index) as a Report, ready for any format."""

from __future__ import annotations

from typing import TYPE_CHECKING

from unet.report._model import Baseline, Report, RuleSummary

if TYPE_CHECKING:
    from unet.index import CheckOutcome

__all__ = ["outcome_report"]


def outcome_report(outcome: CheckOutcome, *, show_existing: bool = False,
                   shard: tuple[int, int] | None = None) -> Report:
    """The Report of a check answered through the index (fresh or stored); against a
    baseline, the findings that existed there only with `show_existing`; `shard` (K, N)
    is recorded for `unet report merge`."""
    findings = list(outcome.findings)
    baseline = None
    if outcome.baseline is not None:
        existing = [f for f in findings if f.baseline == "unchanged"]
        if not show_existing:
            findings = [f for f in findings if f.baseline != "unchanged"]
        baseline = Baseline(outcome.baseline[0], outcome.baseline[1], len(existing),
                            list(outcome.fixed), show_existing)
    report = Report(
        command="check",
        diagnostics=list(outcome.diagnostics),
        findings=findings,
        baseline=baseline,
        rules=[RuleSummary(r.id, r.severity, r.title, r.location) for r in outcome.rules],
        evaluated=dict(sorted(outcome.evaluated.items())),
        not_evaluated=dict(sorted(outcome.not_evaluated.items())),
        coverage={
            "devices": len(outcome.devices),
            "rules": len(outcome.rules),
            "checks": sum(len(ids) for ids in outcome.evaluated.values()),
            "unmatched_devices": sorted(d for d, ids in outcome.evaluated.items() if not ids),
            "unmatched_rules": _unmatched_rules(outcome),
        },
    )
    if outcome.unused_waivers is not None:  # a shard: `unet report merge` decides W103
        from unet.report.json import diagnostic_to_dict

        report.coverage["unused_waivers"] = [diagnostic_to_dict(d)
                                             for d in outcome.unused_waivers]
    if shard is not None:
        report.coverage["shard"] = list(shard)
    return report


def _unmatched_rules(outcome: CheckOutcome) -> list[str]:
    """Rules no checked device matched; none when no device was checked (a policy error
    stops the run before any is), since then no rule was tried."""
    if not outcome.evaluated:
        return []
    matched = {rule for ids in outcome.evaluated.values() for rule in ids}
    return [r.id for r in outcome.rules if r.id not in matched]
