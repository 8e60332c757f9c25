"""Combine the JSON reports of sharded `unet check` runs into one report."""

from __future__ import annotations

from collections.abc import Sequence

from unet.core import Diagnostic
from unet.report._model import Baseline, Report
from unet.report._sort import by_location

__all__ = ["merge_reports"]


def merge_reports(reports: Sequence[Report]) -> Report:
    """One report as if the union of the shards' devices had been checked at once.

    Findings and evaluations are disjoint across shards and simply joined; problems
    with the data or policies are reported by every shard and kept once; a rule
    matched no device only if it matched none in every shard that checked a device.
    Shards checked against a baseline (`--new-since`) must share it: their existing
    findings are added up and their fixed ones joined.
    """
    if not reports:
        raise ValueError("nothing to merge")
    commands = {r.command for r in reports}
    if len(commands) > 1:
        raise ValueError(f"cannot merge reports of different commands: {sorted(commands)}")
    rules = {rule.id: rule for report in reports for rule in report.rules}
    evaluated = {device: ids for report in reports for device, ids in report.evaluated.items()}
    diagnostics = {(d.location, d.code, d.message): d for r in reports for d in r.diagnostics}
    for unused in _unused_everywhere(reports):
        diagnostics[(unused.location, unused.code, unused.message)] = unused
    # A shard that checked no device tried no rule, so it says nothing about them.
    tried = [r for r in reports if r.evaluated]
    unmatched = set.intersection(*(set(r.coverage.get("unmatched_rules", ())) | (
        set(rules) - {rule.id for rule in r.rules}) for r in tried)) if tried else set()
    matched_devices = sum(r.coverage.get("devices", 0) for r in reports)
    baseline = _merged_baseline(reports)
    _check_shards(reports)
    return Report(
        command=reports[0].command,
        diagnostics=sorted(diagnostics.values(), key=lambda d: d.sort_key),
        stats=dict(reports[0].stats),
        findings=list(by_location([f for r in reports for f in r.findings])),
        rules=list(rules.values()),
        evaluated=dict(sorted(evaluated.items())),
        not_evaluated=dict(sorted((d, why) for r in reports for d, why in r.not_evaluated.items())),
        coverage={
            "devices": matched_devices,
            "rules": len(rules),
            "checks": sum(r.coverage.get("checks", 0) for r in reports),
            "unmatched_devices": sorted(d for r in reports
                                        for d in r.coverage.get("unmatched_devices", ())),
            "unmatched_rules": [rule for rule in rules if rule in unmatched],
        },
        baseline=baseline,
    )


def _check_shards(reports: Sequence[Report]) -> None:
    """Each device once, and every shard of one partition, so the merge is the whole run:
    the same shard twice counted its findings twice, and a missing one made every waiver
    used only there look unused (W103 "remove it")."""
    seen: dict[str, int] = {}
    for number, report in enumerate(reports, 1):
        for device in report.evaluated:
            first = seen.setdefault(device, number)
            if first != number:
                raise ValueError(f"device '{device}' is in report {first} and report {number} "
                                 "(the same shard given twice?)")
    shards = [tuple(s) for r in reports if isinstance(s := r.coverage.get("shard"), list)]
    if len(shards) < len(reports) or any(len(s) != 2 for s in shards):
        return  # not every report says which shard it is: nothing to compare
    counts = {s[1] for s in shards}
    if len(counts) > 1:
        raise ValueError(f"the reports come from different partitions (--shard K/N with N = "
                         f"{', '.join(map(str, sorted(counts)))})")
    [count] = counts
    parts = [s[0] for s in shards]
    missing = sorted(set(range(1, count + 1)) - set(parts))
    if missing:
        raise ValueError(f"shard {', '.join(f'{k}/{count}' for k in missing)} is missing; "
                         f"give all {count} reports")


def _merged_baseline(reports: Sequence[Report]) -> Baseline | None:
    bases = [r.baseline for r in reports if r.baseline is not None]
    if not bases:
        return None
    compared = sorted({f"{b.ref} ({b.commit[:12]})" for b in bases})
    if len(bases) < len(reports) or len(compared) > 1:
        found = ", ".join(compared) + (" and none" if len(bases) < len(reports) else "")
        raise ValueError(f"cannot merge shards checked against different baselines: {found}")
    return Baseline(bases[0].ref, bases[0].commit, sum(b.existing for b in bases),
                    list(by_location([f for b in bases for f in b.fixed])),
                    any(b.shows_existing for b in bases))


def _unused_everywhere(reports: Sequence[Report]) -> list[Diagnostic]:
    """W103 for the waivers that suppressed nothing in any shard (each shard lists those
    unused in it); none when a report does not say (not a shard)."""
    from unet.report.json import diagnostic_from_dict

    lists = [r.coverage.get("unused_waivers") for r in reports]
    if not lists or any(not isinstance(found, list) for found in lists):
        return []
    shards = [{diagnostic_from_dict(d) for d in found}
              for found in lists if isinstance(found, list)]
    return sorted(set.intersection(*shards), key=lambda d: d.sort_key)
