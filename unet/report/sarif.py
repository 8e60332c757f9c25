"""SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer).

One run. Policy rules and the codes of unet's own diagnostics are the driver's rules;
findings and diagnostics are results, worst first. Waived findings stay in the log with
an external suppression so they show as dismissed rather than vanish. Against a baseline
(`check --new-since`) every finding has `baselineState` new or unchanged, and the fixed
ones are results of kind `pass` with `baselineState: absent`; a finding waiting for a
deploy is a `note` with `properties.pending`.
"""

from __future__ import annotations

import hashlib
import json
from typing import IO, Any

from unet import __version__
from unet.core import Diagnostic, Finding, Location, Severity
from unet.report._model import Report, RuleSummary, SourceLookup
from unet.report._sort import Item, ident, worst_first

__all__ = ["MAX_RESULTS", "render", "to_sarif"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/unet-project/unet"
FINGERPRINT_KEY = "unet/v1"
# GitHub rejects runs with more results than this; we keep the worst ones.
MAX_RESULTS = 25_000
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(report: Report, stream: IO[str], *, styled: bool = False,
           source: SourceLookup | None = None) -> None:
    json.dump(to_sarif(report), stream, indent=2)
    stream.write("\n")


def to_sarif(report: Report) -> dict[str, Any]:
    rules = _driver_rules(report)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    items = worst_first([*report.diagnostics, *report.findings])
    results = [_result(item, index) for item in items[:MAX_RESULTS]]
    if report.baseline is not None:  # what the change fixed: gone since the baseline
        results += [_absent(f, index) for f in report.baseline.fixed]
    invocation: dict[str, Any] = {
        # Errors in policies, waivers or data mean some checks could not run.
        "executionSuccessful": not any(d.severity is Severity.ERROR for d in report.diagnostics),
    }
    if report.coverage:
        invocation["properties"] = {"coverage": report.coverage}
    if len(items) > MAX_RESULTS:
        invocation["toolExecutionNotifications"] = [{
            "level": "warning",
            "message": {"text": f"{len(items) - MAX_RESULTS} less severe results left out "
                                f"(SARIF consumers accept at most {MAX_RESULTS} per run)"},
        }]
    run = {
        "tool": {"driver": {"name": "unet", "version": __version__,
                            "informationUri": INFORMATION_URI, "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "invocations": [invocation],
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _absent(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    """A finding of the baseline that is gone: kind pass, so viewers close it."""
    result = _result(finding, index)
    result.update(kind="pass", level="none", baselineState="absent")
    return result


def _driver_rules(report: Report) -> list[dict[str, Any]]:
    rules: dict[str, dict[str, Any]] = {}
    for rule in report.rules:
        rules.setdefault(rule.id, _policy_rule(rule))
    fixed = report.baseline.fixed if report.baseline is not None else []
    # A finding whose rule summary is missing still needs a rule to point at.
    for finding in [*report.findings, *fixed]:
        if finding.rule not in rules:
            rules[finding.rule] = _policy_rule(
                RuleSummary(finding.rule, finding.severity, finding.rule, Location("")))
    worst: dict[str, Severity] = {}
    for diagnostic in report.diagnostics:
        worst[diagnostic.code] = max(worst.get(diagnostic.code, Severity.INFO),
                                     diagnostic.severity)
    for code in sorted(worst):
        rules.setdefault(code, _diagnostic_rule(code, worst[code]))
    return list(rules.values())


def _descriptor(id_: str, name: str, short: str, full: str, severity: Severity,
                tags: list[str]) -> dict[str, Any]:
    return {
        "id": id_,
        "name": name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "defaultConfiguration": {"level": _LEVELS[severity]},
        "properties": {"tags": tags},
    }


def _policy_rule(rule: RuleSummary) -> dict[str, Any]:
    title = rule.title or rule.id
    return _descriptor(rule.id, title, title, rule.description or title, rule.severity,
                       ["unet", "policy"])


def _diagnostic_rule(code: str, severity: Severity) -> dict[str, Any]:
    return _descriptor(code, code, f"unet input problem {code}",
                       f"unet could not use a policy, waiver or data file as written ({code}).",
                       severity, ["unet", "input"])


def _physical(location: Location) -> dict[str, Any]:
    # GitHub places results only with a startLine, so a whole-file problem points at line 1.
    region: dict[str, int] = {"startLine": location.line or 1}
    if location.col:
        region["startColumn"] = location.col
    return {"artifactLocation": {"uri": location.path, "uriBaseId": "%SRCROOT%"},
            "region": region}


def _result(item: Item, index: dict[str, int]) -> dict[str, Any]:
    rule_id = ident(item)
    result: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": index[rule_id],
        "level": _LEVELS[item.severity],
        "message": {"text": _message(item)},
        "locations": [{"physicalLocation": _physical(item.location)}],
    }
    if isinstance(item, Finding):
        _add_finding_details(result, item)
    else:
        result["partialFingerprints"] = {FINGERPRINT_KEY: _diagnostic_fingerprint(item)}
    return result


def _message(item: Item) -> str:
    if isinstance(item, Finding):
        return f"{item.device}: {item.message}"
    return item.message


def _add_finding_details(result: dict[str, Any], finding: Finding) -> None:
    if finding.related:
        result["relatedLocations"] = [
            {"id": i, "physicalLocation": _physical(loc),
             "message": {"text": f"policy rule {finding.rule}"}}
            for i, loc in enumerate(finding.related)
        ]
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    if finding.waived is not None:
        result["suppressions"] = [{"kind": "external", "justification": finding.waived}]
    if finding.baseline is not None:
        result["baselineState"] = finding.baseline
    result["properties"] = {"device": finding.device}
    if finding.pending is not None:  # not a violation of the change: a deploy to do
        result["level"] = "note"
        result["properties"]["pending"] = finding.pending


def _diagnostic_fingerprint(diagnostic: Diagnostic) -> str:
    # Without line numbers, so an alert survives edits above it (as finding fingerprints do).
    key = "\0".join((diagnostic.code, diagnostic.location.path, diagnostic.message))
    return hashlib.sha256(key.encode()).hexdigest()[:32]
