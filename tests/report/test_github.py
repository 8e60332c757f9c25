"""GitHub workflow commands: escaping, worst first, the per-level cap and the job summary."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.report._reports import WAIVER_WARNING, check_report, finding
from unet.core import Diagnostic, Finding, Location, Severity
from unet.report import Report, render


@pytest.fixture(autouse=True)
def no_step_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def github(report: Report) -> list[str]:
    stream = io.StringIO()
    render(report, "github", stream)
    return stream.getvalue().splitlines()


def test_annotations_worst_first_and_waived_left_out() -> None:
    assert github(check_report(diagnostics=[WAIVER_WARNING])) == [
        "::error file=devices/dc1/leaf01.yaml,line=14,col=7,title=NTP001::"
        "leaf01: ntp.servers lacks 10.0.0.1 (policy policies/ntp.unet:3:1)",
        "::error file=groups/dc1.yaml,line=8,col=3,title=NTP001::"
        "leaf02: ntp.servers lacks 10.0.0.1 (policy policies/ntp.unet:3:1)",
        "::warning file=waivers.yaml,line=4,col=3,title=U411::"
        "waiver for SNMP002 on leaf02 expires in 5 days",
        "::notice file=devices/dc1/spine01.yaml,line=20,col=5,title=IF003::"
        "spine01: Gi1 has no description (policy policies/interfaces.unet:2:1)",
    ]


def test_message_and_property_escaping() -> None:
    report = Report("check", findings=[Finding(
        "A:1,b", Severity.WARNING, "r1", "100% bad\r\nsee: a, b", Location("dir,x/a:b%.yaml", 2, 0))])
    assert github(report) == [
        "::warning file=dir%2Cx/a%3Ab%25.yaml,line=2,title=A%3A1%2Cb::r1: 100%25 bad%0D%0Asee: a, b"]


def test_whole_file_problem_has_no_line() -> None:
    report = Report("validate", [Diagnostic(Location("devices/r1.yaml"), "U104", Severity.ERROR, "file is empty")])
    assert github(report) == ["::error file=devices/r1.yaml,title=U104::file is empty"]


def test_at_most_ten_per_level_then_one_notice() -> None:
    findings = [finding(n) for n in range(12)] + [finding(n, Severity.WARNING) for n in range(20, 23)]
    lines = github(Report("check", findings=findings))
    assert [line.split(" ")[0] for line in lines] == ["::error"] * 10 + ["::warning"] * 3 + [
        "::notice::2"]
    assert lines[0].startswith("::error file=devices/leaf000.yaml")
    assert lines[-1] == ("::notice::2 more problems not annotated (GitHub shows 10 per level); "
                         "see the text or SARIF report")


def test_step_summary_gets_the_markdown_table_appended(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    lines = github(Report("check", findings=[finding(n) for n in range(11)]))
    assert lines[-1].endswith("see the job summary")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## ")
    assert text.count("| ❌ error | NTP001 |") == 11


def test_closing_notice_keeps_within_the_notice_cap() -> None:
    findings = [finding(n, Severity.INFO) for n in range(10)] + [finding(n) for n in range(20, 31)]
    lines = github(Report("check", findings=findings))
    notices = [line for line in lines if line.startswith("::notice")]
    assert len(notices) == 10
    assert notices[-1].startswith("::notice::2 more problems")
