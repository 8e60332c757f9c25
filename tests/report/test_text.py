"""Text lines for findings next to diagnostics; code frames and the policy line when styled."""

from __future__ import annotations

import io
import re

from tests.report._reports import LEAF01_NTP, WAIVER_WARNING, check_report, validate_report
from unet.core import Finding, Location, Severity
from unet.report import Report, render

ANSI = re.compile(r"\x1b\[[0-9;]*m")

CHECK_LINES = [
    "waivers.yaml:4:3: U411 warning: waiver for SNMP002 on leaf02 expires in 5 days",
    "devices/dc1/leaf01.yaml:14:7: NTP001 error: leaf01: ntp.servers lacks 10.0.0.1",
    "devices/dc1/leaf02.yaml:5:14: SNMP002 warning (waived: lab device until the move): "
    "leaf02: community is 'public'",
    "devices/dc1/spine01.yaml:20:5: IF003 info: spine01: Gi1 has no description",
    "groups/dc1.yaml:8:3: NTP001 error: leaf02: ntp.servers lacks 10.0.0.1",
]


def output(report: Report, fmt: str = "text", **kwargs: object) -> str:
    stream = io.StringIO()
    render(report, fmt, stream, **kwargs)  # type: ignore[arg-type]
    return stream.getvalue()


def source(path: str) -> str | None:
    return {"devices/dc1/leaf01.yaml": "name: leaf01\n" * 13 + "ntp:\n  servers: [10.0.0.2]\n"}.get(path)


def test_diagnostics_then_findings_sorted_by_location() -> None:
    assert output(check_report(diagnostics=[WAIVER_WARNING])).splitlines() == CHECK_LINES


def test_validate_output_is_unchanged() -> None:
    assert output(validate_report()) == (
        "devices/hq/r2.yaml:2:11: U301 error: unknown location 'moon'\n"
        "waivers.yaml:4:3: U411 warning: waiver for SNMP002 on leaf02 expires in 5 days\n")


def test_unknown_line_and_column_still_print_three_fields() -> None:
    report = Report("check", findings=[
        Finding("NTP001", Severity.ERROR, "r1", "missing", Location("devices/r1.yaml"))])
    assert output(report) == "devices/r1.yaml:1:1: NTP001 error: r1: missing\n"


def test_styled_output_has_code_frame_and_policy_line() -> None:
    report = Report("check", findings=[LEAF01_NTP])
    text = output(report, styled=True, source=source)
    assert "\x1b[" in text
    assert ANSI.sub("", text).splitlines() == [
        "devices/dc1/leaf01.yaml:14:7: NTP001 error: leaf01: ntp.servers lacks 10.0.0.1",
        " 14 | ntp:",
        "    |       ^",
        "  = policy: policies/ntp.unet:3:1",
    ]


def test_frames_need_both_style_and_source() -> None:
    report = Report("check", findings=[LEAF01_NTP])
    assert output(report, source=source) == CHECK_LINES[1] + "\n"
    assert ANSI.sub("", output(report, styled=True)) == CHECK_LINES[1] + "\n"
