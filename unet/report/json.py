"""A stable JSON document; `from_json` reads it back (sharded runs merge these).

Every report::

    {"version": 1, "command": "validate", "diagnostics": [...], "summary": {...}}

- `diagnostics[]`: path, line, col, code, severity, message, related[] ({path, line, col}).
- `summary`: errors, warnings, infos (diagnostics by severity), then the command's stats
  (devices, files, ...).

Reports of commands that evaluate policies (check) add, between `diagnostics` and
`summary`:

- `findings[]` sorted by path, line, col, rule, device: rule, severity, device, message,
  path, line, col (the value to fix), policy_path, policy_line (the rule, null if
  unknown), related[] (all related locations), fingerprint, waived (reason or null),
  pending (why it waits for a deploy, or null), baseline ("new", "unchanged" or null).
- `rules[]`: id, severity, title, path, line, col, description.
- `evaluated`: {device: [rule ids whose WHEN matched it]}.
- `not_evaluated`: {device: {rule id: why}}, the rules of `evaluated` that have no
  verdict on the device (P310: its intended configuration cannot be rendered).
- `coverage`: devices, rules, checks, unmatched_devices[], unmatched_rules[]; a shard
  (`--shard K/N`) adds shard [K, N] and unused_waivers[] (diagnostics: the W103 of waivers
  that suppressed nothing in it), from which `unet report merge` reports those unused in
  every shard; the merge refuses a shard given twice or missing.
- `summary.findings`: {errors, warnings, infos} neither waived, pending nor existing;
  `summary.waived`, `summary.pending`.
- `baseline` (`check --new-since REF`): ref, commit (the merge base compared with), new,
  existing (counts), fixed[] (findings of the baseline that are gone, `baseline: "absent"`).

Line and column are 1-based, 0 when unknown. Keys are only ever added within a version.
"""

from __future__ import annotations

import json
from typing import IO, Any

from unet.core import Diagnostic, Finding, Location, Severity
from unet.report._model import Baseline, Report, RuleSummary, SourceLookup
from unet.report._sort import by_location

__all__ = ["SCHEMA_VERSION", "diagnostic_from_dict", "diagnostic_to_dict", "finding_to_dict",
           "from_json",
           "location_to_dict", "render", "to_json"]

SCHEMA_VERSION = 1
# summary keys computed from the report; every other summary key is a stat.
_COMPUTED = frozenset({"errors", "warnings", "infos", "findings", "waived", "pending"})


def location_to_dict(location: Location) -> dict[str, Any]:
    return {"path": location.path, "line": location.line, "col": location.col}


def diagnostic_to_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        **location_to_dict(diagnostic.location),
        "code": diagnostic.code,
        "severity": diagnostic.severity.label,
        "message": diagnostic.message,
        "related": [location_to_dict(r) for r in diagnostic.related],
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    policy = finding.related[0] if finding.related else None
    return {
        "rule": finding.rule,
        "severity": finding.severity.label,
        "device": finding.device,
        "message": finding.message,
        **location_to_dict(finding.location),
        "policy_path": policy.path if policy else None,
        "policy_line": policy.line if policy else None,
        "related": [location_to_dict(r) for r in finding.related],
        "fingerprint": finding.fingerprint,
        "waived": finding.waived,
        "pending": finding.pending,
        "baseline": finding.baseline,
    }


def _rule_to_dict(rule: RuleSummary) -> dict[str, Any]:
    return {"id": rule.id, "severity": rule.severity.label, "title": rule.title,
            **location_to_dict(rule.location), "description": rule.description}


def _by_severity(counts: dict[Severity, int]) -> dict[str, int]:
    return {s.label + "s": n for s, n in counts.items()}


def to_json(report: Report) -> dict[str, Any]:
    """The document as plain data (what `render` writes)."""
    document: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "command": report.command,
        "diagnostics": [diagnostic_to_dict(d) for d in report.diagnostics],
    }
    summary = {**_by_severity(report.counts), **report.stats}
    if report.has_policy_results:
        document["findings"] = [finding_to_dict(f) for f in by_location(report.findings)]
        document["rules"] = [_rule_to_dict(r) for r in report.rules]
        document["evaluated"] = {d: list(ids) for d, ids in report.evaluated.items()}
        document["not_evaluated"] = {d: dict(why) for d, why in report.not_evaluated.items()}
        document["coverage"] = dict(report.coverage)
        summary["findings"] = _by_severity(report.finding_counts)
        summary["waived"] = report.waived
        summary["pending"] = report.pending
    if report.baseline is not None:
        base = report.baseline
        document["baseline"] = {"ref": base.ref, "commit": base.commit,
                                "new": sum(f.baseline == "new" for f in report.findings),
                                "existing": base.existing,
                                "fixed": [finding_to_dict(f) for f in by_location(base.fixed)]}
    document["summary"] = summary
    return document


def render(report: Report, stream: IO[str], *, styled: bool = False,
           source: SourceLookup | None = None) -> None:
    # One line: Python's encoder is C only without indentation, and a 5,000-device report
    # took half a second to pretty-print. `jq .` prints it for people.
    stream.write(json.dumps(to_json(report)))
    stream.write("\n")


def _location(data: dict[str, Any]) -> Location:
    return Location(data["path"], data["line"], data["col"])


def diagnostic_from_dict(data: dict[str, Any]) -> Diagnostic:
    """The inverse of `diagnostic_to_dict`."""
    return _diagnostic(data)


def _diagnostic(data: dict[str, Any]) -> Diagnostic:
    return Diagnostic(_location(data), data["code"], Severity.parse(data["severity"]),
                      data["message"], tuple(_location(r) for r in data["related"]))


def _finding(data: dict[str, Any]) -> Finding:
    return Finding(data["rule"], Severity.parse(data["severity"]), data["device"],
                   data["message"], _location(data),
                   tuple(_location(r) for r in data["related"]),
                   data["fingerprint"], data["waived"], data.get("pending"),
                   data.get("baseline"))


def _rule(data: dict[str, Any]) -> RuleSummary:
    return RuleSummary(data["id"], Severity.parse(data["severity"]), data["title"],
                       _location(data), data["description"])


def from_json(document: dict[str, Any]) -> Report:
    """Rebuild the Report a document was written from (findings come back sorted).

    Raises ValueError for a document of another schema version or a malformed one.
    """
    if document.get("version") != SCHEMA_VERSION:
        raise ValueError(f"unsupported unet JSON version {document.get('version')!r} "
                         f"(expected {SCHEMA_VERSION})")
    try:
        base = document.get("baseline")
        baseline = None if base is None else Baseline(
            base["ref"], base["commit"], base["existing"], [_finding(f) for f in base["fixed"]],
            any(f.get("baseline") == "unchanged" for f in document.get("findings", [])))
        return Report(
            command=document["command"],
            diagnostics=[_diagnostic(d) for d in document["diagnostics"]],
            stats={k: v for k, v in document["summary"].items() if k not in _COMPUTED},
            findings=[_finding(f) for f in document.get("findings", [])],
            rules=[_rule(r) for r in document.get("rules", [])],
            evaluated={d: list(ids) for d, ids in document.get("evaluated", {}).items()},
            not_evaluated={d: {str(r): str(w) for r, w in why.items()}
                           for d, why in document.get("not_evaluated", {}).items()},
            coverage=dict(document.get("coverage", {})),
            baseline=baseline,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed unet JSON report: {exc!r}") from None
