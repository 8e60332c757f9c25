"""Text lines for findings next to diagnostics; code frames and the policy line when styled."""

from __future__ import annotations

import io
import re

from tests.report._reports import LEAF01_NTP, WAIVER_WARNING, check_report, validate_report
from unet.core import Diagnostic, Finding, Location, Severity
from unet.report import Report, render
from unet.report.text import code_frame

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


HOSTILE = Finding("NTP001", Severity.ERROR, "leaf01", "bad \x1b[2K\rcheck: no problems\x1b]8;;x\x07",
                  Location("devices/dc1/leaf01.yaml", 14, 7), (), "fp-hostile")


def test_control_characters_from_data_are_shown_not_sent_to_the_terminal() -> None:
    report = check_report()
    report.findings = [HOSTILE]
    report.diagnostics = [Diagnostic(Location("devices/x\x1b[8m.yaml", 1, 1), "U101",
                                     Severity.ERROR, "bad\u202evalue")]
    for styled in (False, True):
        text = output(report, styled=styled, source=source)
        plain = ANSI.sub("", text) if styled else text  # unet's own colours only
        assert "\x1b" not in plain and "\r" not in plain and "\u202e" not in plain
        assert "bad \\x1b[2K\\x0dcheck: no problems\\x1b]8;;x\\x07" in plain
        assert "devices/x\\x1b[8m.yaml:1:1: U101 error: bad\\u202evalue" in plain
    assert "\x1b[8m" not in output(report, styled=True, source=source)


def test_code_frame_caret_stays_under_its_column_after_escapes() -> None:
    finding = Finding("R1", Severity.ERROR, "leaf01", "x", Location("cfg", 1, 4), (), "fp")
    frame = code_frame(finding, {"cfg": "a\x1bbc\n"}.get)
    assert frame.splitlines() == [" 1 | a\\x1bbc", "   |       ^"]  # under the c


def test_code_frame_of_a_long_line_is_a_window_around_the_column() -> None:
    """A 5,000-character policy line printed whole in every diagnostic."""
    finding = Finding("R1", Severity.ERROR, "leaf01", "x", Location("p", 1, 3001), (), "fp")
    frame = code_frame(finding, {"p": "(" * 3000 + "X" + ")" * 2000 + "\n"}.get)
    shown, caret = frame.splitlines()
    assert len(shown) < 140 and shown.startswith(" 1 | …(") and shown.endswith(")…")
    assert shown[caret.index("^")] == "X"
    start = code_frame(Finding("R1", Severity.ERROR, "l", "x", Location("p", 1, 2), (), "f"),
                       {"p": "aB" + "c" * 500}.get).splitlines()
    assert start[0].startswith(" 1 | aBc") and start[0].endswith("c…")
    assert start[0][start[1].index("^")] == "B"


def test_github_annotations_carry_no_control_characters() -> None:
    report = check_report()
    report.findings = [HOSTILE]
    text = output(report, "github")
    assert "\x1b" not in text and "\r" not in text
    assert "bad \\x1b[2K%0Dcheck: no problems" in text


def test_code_frame_counts_lines_as_the_parsers_do() -> None:
    # A form feed or a lone CR is inside a line (the policy lexer skips it as a blank).
    finding = Finding("R1", Severity.ERROR, "leaf01", "x", Location("p.unet", 2, 1), (), "fp")
    frame = code_frame(finding, {"p.unet": "WHEN\x0ctrue\rTHEN\r\nASSERT x\r\n"}.get)
    assert frame.splitlines()[0] == " 2 | ASSERT x"
