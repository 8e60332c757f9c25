"""Every format says the same about a check against a baseline and about pending deploys."""

from __future__ import annotations

import dataclasses
import io
import json

from tests.report._reports import LEAF01_NTP, LEAF02_NTP, SPINE01_IF, check_report
from unet.report import Baseline, Report, render
from unet.report.json import from_json, to_json
from unet.report.sarif import to_sarif

PENDING = "the intended configuration already satisfies this rule"


def baseline_report(*, show_existing: bool = False) -> Report:
    """LEAF01_NTP new, LEAF02_NTP existing (pending deploy), SPINE01_IF fixed."""
    report = check_report()
    new = dataclasses.replace(LEAF01_NTP, baseline="new")
    existing = dataclasses.replace(LEAF02_NTP, baseline="unchanged", pending=PENDING)
    report.findings = [new, existing] if show_existing else [new]
    report.baseline = Baseline("origin/main", "c0ffee", 1,
                               [dataclasses.replace(SPINE01_IF, baseline="absent")],
                               show_existing)
    return report


def rendered(report: Report, fmt: str) -> str:
    out = io.StringIO()
    render(report, fmt, out)
    return out.getvalue()


def test_sarif_sets_baseline_state_and_closes_what_was_fixed() -> None:
    results = to_sarif(baseline_report(show_existing=True))["runs"][0]["results"]
    states = [(r["ruleId"], r["properties"]["device"], r["baselineState"]) for r in results]
    assert states == [("NTP001", "leaf01", "new"), ("NTP001", "leaf02", "unchanged"),
                      ("IF003", "spine01", "absent")]
    fixed = results[-1]
    assert (fixed["kind"], fixed["level"]) == ("pass", "none")
    pending = results[1]
    assert pending["level"] == "note" and pending["properties"]["pending"] == PENDING


def test_json_counts_and_round_trips() -> None:
    document = to_json(baseline_report())
    assert document["baseline"]["ref"] == "origin/main"
    assert (document["baseline"]["new"], document["baseline"]["existing"]) == (1, 1)
    assert [f["device"] for f in document["baseline"]["fixed"]] == ["spine01"]
    again = from_json(json.loads(json.dumps(document)))
    assert again.baseline is not None and again.baseline.fixed[0].baseline == "absent"
    assert to_json(again) == document


def test_text_github_and_markdown_mark_the_same_findings() -> None:
    report = baseline_report(show_existing=True)
    text = rendered(report, "text")
    assert "NTP001 error (new): leaf01" in text
    assert "NTP001 error (existing; pending deploy): leaf02" in text
    assert "IF003 fixed: spine01" in text
    github = rendered(report, "github")
    assert github.count("::error ") == 1 and "leaf02" not in github.split("::notice::")[0]
    assert "::notice::unet: 1 new since origin/main, 1 existing (not annotated), 1 fixed" in github
    markdown = rendered(report, "markdown")
    assert "(new)" in markdown and "(existing) (pending deploy)" in markdown
    assert "### Fixed since origin/main" in markdown


def test_a_pending_finding_is_a_notice_unless_pending_fails() -> None:
    report = check_report()
    report.findings = [dataclasses.replace(LEAF01_NTP, pending=PENDING)]
    assert rendered(report, "github").startswith("::notice file=devices/dc1/leaf01.yaml")
    report.pending_fails = True
    assert rendered(report, "github").startswith("::error file=devices/dc1/leaf01.yaml")
