"""The stderr summary line: coverage for check, today's shape for validate."""

from __future__ import annotations

from tests.report._reports import WAIVER_WARNING, check_report, validate_report
from unet.core import Diagnostic, Location, Severity
from unet.report import Report, summary_line


def test_check_summary_counts_findings_waivers_and_coverage() -> None:
    report = check_report(diagnostics=[WAIVER_WARNING])
    report.coverage["unmatched_rules"] = ["BGP009", "SYS010"]
    assert summary_line(report) == (
        "2 errors, 1 warning, 1 info, 1 waived; 4 devices, 3 rules, 6 checks; "
        "1 device matched no rule; 2 rules matched no device")


def test_check_summary_without_findings_still_shows_coverage() -> None:
    report = Report("check", coverage={"devices": 1, "rules": 0, "checks": 0,
                                       "unmatched_devices": ["r1"], "unmatched_rules": []})
    assert summary_line(report) == "no findings; 1 device, 0 rules, 0 checks; 1 device matched no rule"


def test_validate_summary_keeps_its_shape() -> None:
    assert summary_line(Report("validate", [], {"devices": 2, "files": 6})) == \
        "no problems (2 devices, 6 files)"
    errors = [Diagnostic(Location("d.yaml", n, 1), "U101", Severity.ERROR, "bad") for n in range(4)]
    assert summary_line(Report("validate", errors, {"devices": 2, "files": 6})) == \
        "4 errors (2 devices, 6 files)"
    assert summary_line(validate_report()) == "1 error, 1 warning (2 devices, 6 files)"
