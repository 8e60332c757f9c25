"""Markdown for PR comments and job summaries: verdict, counts, a capped, escaped table."""

from __future__ import annotations

import io

from tests.report._reports import WAIVER_WARNING, check_report, finding, validate_report
from unet.core import Finding, Location, Severity
from unet.report import Report, render
from unet.report.markdown import MAX_ROWS


def markdown(report: Report) -> str:
    stream = io.StringIO()
    render(report, "markdown", stream)
    return stream.getvalue()


def test_heading_counts_and_findings_table() -> None:
    lines = markdown(check_report(diagnostics=[WAIVER_WARNING])).splitlines()
    assert lines[0] == "## ❌ unet check: 2 errors, 1 warning, 1 info, 1 waived"
    assert "| waived | 1 |" in lines
    assert "| checks | 6 |" in lines
    assert "| devices matched no rule | 1 |" in lines
    table = lines[lines.index("| Severity | Rule | Device | Location | Message |") + 2:]
    assert table == [
        "| ❌ error | NTP001 | leaf01 | devices/dc1/leaf01.yaml:14 | ntp.servers lacks 10.0.0.1 |",
        "| ❌ error | NTP001 | leaf02 | groups/dc1.yaml:8 | ntp.servers lacks 10.0.0.1 |",
        "| ⚠️ warning | U411 |  | waivers.yaml:4 | waiver for SNMP002 on leaf02 expires in 5 days |",
        "| ℹ️ info | IF003 | spine01 | devices/dc1/spine01.yaml:20 | Gi1 has no description |",
        "| ⚠️ warning (waived) | SNMP002 | leaf02 | devices/dc1/leaf02.yaml:5 | "
        "community is 'public' — waived: lab device until the move |",
    ]


def test_clean_run_has_a_green_heading_and_no_table() -> None:
    text = markdown(Report("check", coverage={"devices": 3, "rules": 2, "checks": 6}))
    assert text.startswith("## ✅ unet check: no findings\n")
    assert "| Severity |" not in text


def test_cells_escape_pipes_newlines_and_html() -> None:
    report = Report("check", findings=[Finding(
        "R1", Severity.ERROR, "r|1", "a | b\nc <script> & d", Location("x.yaml", 1, 1))])
    row = markdown(report).splitlines()[-1]
    assert row == "| ❌ error | R1 | r\\|1 | x.yaml:1 | a \\| b<br>c &lt;script&gt; &amp; d |"


def test_table_is_capped_with_a_note() -> None:
    report = Report("check", findings=[finding(n) for n in range(MAX_ROWS + 5)])
    lines = markdown(report).splitlines()
    assert sum(line.startswith("| ❌ error |") for line in lines) == MAX_ROWS
    assert lines[-1] == f"_5 more not shown; the text, JSON or SARIF report has all {MAX_ROWS + 5}._"


def test_validate_report_renders_its_counts() -> None:
    text = markdown(validate_report())
    assert text.startswith("## ❌ unet validate: 1 error, 1 warning (2 devices, 6 files)\n")
    assert "| files | 6 |" in text
    assert "| ❌ error | U301 |  | devices/hq/r2.yaml:2 | unknown location 'moon' |" in text
