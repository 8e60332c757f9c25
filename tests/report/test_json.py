"""The JSON document: unchanged for validate, complete for check, and readable back."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from tests.report._reports import WAIVER_WARNING, check_report, validate_report
from unet.core import Finding, Location, Severity
from unet.report import Report, render
from unet.report.json import from_json


def document(report: Report) -> dict[str, Any]:
    stream = io.StringIO()
    render(report, "json", stream)
    return json.loads(stream.getvalue())


def test_validate_document_keeps_todays_keys() -> None:
    doc = document(validate_report())
    assert list(doc) == ["version", "command", "diagnostics", "summary"]
    assert doc["summary"] == {"errors": 1, "warnings": 1, "infos": 0, "devices": 2, "files": 6}
    assert doc["diagnostics"][0] == {"path": "devices/hq/r2.yaml", "line": 2, "col": 11,
                                     "code": "U301", "severity": "error",
                                     "message": "unknown location 'moon'", "related": []}


def test_check_document_has_findings_rules_evaluated_and_coverage() -> None:
    doc = document(check_report(diagnostics=[WAIVER_WARNING]))
    assert list(doc) == ["version", "command", "diagnostics", "findings", "rules", "evaluated",
                         "not_evaluated", "coverage", "summary"]
    assert [(f["path"], f["device"]) for f in doc["findings"]] == [
        ("devices/dc1/leaf01.yaml", "leaf01"), ("devices/dc1/leaf02.yaml", "leaf02"),
        ("devices/dc1/spine01.yaml", "spine01"), ("groups/dc1.yaml", "leaf02")]
    assert doc["findings"][1] == {
        "rule": "SNMP002", "severity": "warning", "device": "leaf02",
        "message": "community is 'public'", "path": "devices/dc1/leaf02.yaml", "line": 5,
        "col": 14, "policy_path": "policies/snmp.unet", "policy_line": 7,
        "related": [{"path": "policies/snmp.unet", "line": 7, "col": 1}],
        "fingerprint": "fp-snmp-leaf02", "waived": "lab device until the move",
        "pending": None, "baseline": None}
    assert doc["rules"][0]["id"] == "NTP001"
    assert doc["evaluated"]["spine01"] == ["NTP001", "IF003"]
    assert doc["coverage"]["unmatched_devices"] == ["oob01"]
    assert doc["summary"] == {"errors": 0, "warnings": 1, "infos": 0, "files": 9,
                              "findings": {"errors": 2, "warnings": 0, "infos": 1},
                              "waived": 1, "pending": 0}


def test_finding_without_policy_location_has_null_policy() -> None:
    report = Report("check", findings=[Finding("X1", Severity.INFO, "r1", "m", Location("a.yaml", 1, 1))])
    [finding] = document(report)["findings"]
    assert finding["policy_path"] is None and finding["policy_line"] is None


@pytest.mark.parametrize("report", [
    check_report(diagnostics=[WAIVER_WARNING]), validate_report(), Report("check", coverage={"devices": 0}),
    Report("check", evaluated={"r1": ["A"]}, not_evaluated={"r1": {"A": "its intended ..."}})],
    ids=["check", "validate", "empty-check", "not-evaluated"])
def test_round_trip_rebuilds_the_report(report: Report) -> None:
    report.findings.sort(key=lambda f: f.sort_key)  # the document lists them sorted
    rebuilt = from_json(document(report))
    assert rebuilt == report
    assert [d.related for d in rebuilt.diagnostics] == [d.related for d in report.diagnostics]


def test_from_json_rejects_other_versions_and_garbage() -> None:
    with pytest.raises(ValueError, match="version 2"):
        from_json({"version": 2})
    with pytest.raises(ValueError, match="malformed"):
        from_json({"version": 1, "command": "check", "diagnostics": [{"path": "x"}], "summary": {}})
