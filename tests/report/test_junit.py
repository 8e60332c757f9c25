"""JUnit XML: a testsuite per device, a unique testcase per device × rule, valid XML."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from tests.report._reports import LEAF01_NTP, WAIVER_WARNING, check_report, validate_report
from unet.core import Diagnostic, Finding, Location, Severity
from unet.report import Report, render


def junit(report: Report) -> ET.Element:
    stream = io.StringIO()
    render(report, "junit", stream)
    return ET.fromstring(stream.getvalue().encode())


def case(root: ET.Element, classname: str, name: str) -> ET.Element:
    [found] = [c for c in root.iter("testcase")
               if c.get("classname") == classname and c.get("name") == name]
    return found


def test_suites_per_device_and_totals() -> None:
    root = junit(check_report(diagnostics=[WAIVER_WARNING]))
    assert root.tag == "testsuites" and root.get("name") == "unet"
    assert [s.get("name") for s in root] == ["unet", "leaf01", "leaf02", "spine01"]
    assert {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")} == \
        {"tests": "7", "failures": "3", "errors": "0", "skipped": "1"}
    leaf02 = root[2]
    assert {k: leaf02.get(k) for k in ("tests", "failures", "skipped")} == \
        {"tests": "2", "failures": "1", "skipped": "1"}


def test_testcase_names_are_unique() -> None:
    root = junit(check_report(diagnostics=[WAIVER_WARNING, WAIVER_WARNING]))
    pairs = [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]
    assert len(pairs) == len(set(pairs)) == 8


def test_failure_skipped_and_passing_cases() -> None:
    root = junit(check_report())
    failing = case(root, "leaf01", "NTP001: NTP servers are configured")
    [failure] = failing
    assert failure.tag == "failure" and failure.get("type") == "NTP001"
    assert failure.get("message") == "error: ntp.servers lacks 10.0.0.1"
    assert failure.text == "devices/dc1/leaf01.yaml:14:7: NTP001 error: leaf01: ntp.servers lacks 10.0.0.1"
    assert (failing.get("file"), failing.get("line")) == ("devices/dc1/leaf01.yaml", "14")
    [skipped] = case(root, "leaf02", "SNMP002: No public SNMP community")
    assert skipped.tag == "skipped" and skipped.get("message") == "waived: lab device until the move"
    assert len(case(root, "leaf01", "SNMP002: No public SNMP community")) == 0


def test_finding_for_a_rule_not_in_evaluated_still_gets_a_testcase() -> None:
    report = Report("check", findings=[LEAF01_NTP], evaluated={"leaf01": ["SNMP002"]})
    root = junit(report)
    assert [c.get("name") for c in root.iter("testcase")] == ["SNMP002", "NTP001"]
    assert root.get("failures") == "1"


def test_a_rule_not_evaluated_on_a_device_is_skipped_there_not_passed() -> None:
    report = Report("check", evaluated={"r1": ["A", "B"], "r2": ["A"]},
                    not_evaluated={"r1": {"A": "its intended configuration cannot be rendered"}})
    root = junit(report)
    [skipped] = case(root, "r1", "A")
    assert skipped.tag == "skipped"
    assert skipped.get("message") == "not evaluated: its intended configuration cannot be rendered"
    assert len(case(root, "r1", "B")) == 0 and len(case(root, "r2", "A")) == 0
    assert root.get("skipped") == "1" and root.get("tests") == "3"


def test_diagnostics_are_errors_in_the_unet_suite() -> None:
    root = junit(validate_report())
    [suite] = root
    assert suite.get("name") == "unet"
    error = case(root, "unet", "U301 devices/hq/r2.yaml:2:11")[0]
    assert error.tag == "error" and error.get("type") == "U301"
    assert error.text == "devices/hq/r2.yaml:2:11: U301 error: unknown location 'moon'"
    # A warning about the input does not fail the run, so it must not fail the dashboard.
    assert [c.tag for c in case(root, "unet", "U411 waivers.yaml:4:3")] == ["system-out"]
    assert (root.get("errors"), root.get("failures")) == ("1", "0")


def test_markup_in_messages_round_trips() -> None:
    nasty = 'value <"a" & \'b\'> ]]>\nnext'
    report = Report("check", [Diagnostic(Location("p.unet", 1, 1), "U1", Severity.ERROR, nasty)],
                    findings=[Finding("R<1>", Severity.ERROR, 'dev&"1"', nasty, Location("d.yaml", 1, 1))])
    root = junit(report)
    failure = root.find(".//failure")
    assert failure is not None and failure.get("message") == "error: " + nasty
    assert root.find(".//testsuite[@name='dev&\"1\"']") is not None


def test_control_characters_do_not_break_the_xml() -> None:
    report = Report("check", findings=[Finding("R1", Severity.ERROR, "r1", "bell\x07 esc\x1b",
                                               Location("d.yaml", 1, 1))])
    failure = junit(report).find(".//failure")
    assert failure is not None and failure.get("message") == "error: bell\\x07 esc\\x1b"


def test_a_finding_waiting_for_a_deploy_is_skipped_unless_pending_fails() -> None:
    """The run exits 0 on it, so a dashboard must not show the testcase red."""
    import dataclasses

    pending = dataclasses.replace(LEAF01_NTP, pending="the intended configuration fixes it")
    report = Report("check", findings=[pending], evaluated={"leaf01": ["NTP001"]})
    [skipped] = case(junit(report), "leaf01", "NTP001")
    assert skipped.tag == "skipped"
    assert skipped.get("message") == "pending deploy: the intended configuration fixes it"
    report.pending_fails = True  # --fail-on-pending
    root = junit(report)
    assert root.get("failures") == "1" and root.get("skipped") == "0"
