"""JUnit XML for CI test dashboards: one testsuite per device, one testcase per rule checked.

A testcase fails once per finding not waived, is skipped when all its findings are
waived or wait for a deploy (unless `--fail-on-pending`), or when the rule could not be
evaluated on the device (P310: its intended configuration cannot be rendered), and passes
(empty) otherwise, so dashboards show pass rates. Diagnostics go into
a `unet` testsuite. `classname` + `name` are unique: GitLab drops duplicates.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import IO

from unet.core import Diagnostic, Finding, Location, Severity
from unet.report._model import Report, SourceLookup
from unet.report._sort import by_location
from unet.report.text import finding_line

__all__ = ["render"]

DIAGNOSTICS_SUITE = "unet"
# Characters XML 1.0 cannot carry at all, not even escaped (a YAML value may hold them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(report: Report, stream: IO[str], *, styled: bool = False,
           source: SourceLookup | None = None) -> None:
    root = ET.Element("testsuites", name="unet")
    if report.diagnostics:
        root.append(_diagnostics_suite(report.diagnostics))
    for device, cases in _device_cases(report).items():
        root.append(_device_suite(device, cases, report))
    _count(root, root.iter("testsuite"))
    _make_xml_safe(root)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")


def _device_cases(report: Report) -> dict[str, dict[str, list[Finding]]]:
    """device -> rule id -> its findings, in evaluation order; devices sorted by name."""
    cases: dict[str, dict[str, list[Finding]]] = {}
    for device in sorted(report.evaluated):
        cases[device] = {rule: [] for rule in report.evaluated[device]}
    # A finding for a rule missing from `evaluated` still needs its testcase.
    for finding in by_location(report.findings):
        cases.setdefault(finding.device, {}).setdefault(finding.rule, []).append(finding)
    return dict(sorted(cases.items()))


def _device_suite(device: str, cases: dict[str, list[Finding]], report: Report) -> ET.Element:
    rules = {r.id: r for r in report.rules}
    suite = ET.Element("testsuite", name=device)
    for rule_id, findings in cases.items():
        rule = rules.get(rule_id)
        name = f"{rule_id}: {rule.title}" if rule and rule.title else rule_id
        where = findings[0].location if findings else rule.location if rule else None
        case = _testcase(suite, device, name, where)
        _outcome(case, findings, report.not_evaluated.get(device, {}).get(rule_id),
                 report.pending_fails)
    return suite


def _testcase(suite: ET.Element, classname: str, name: str,
              where: Location | None) -> ET.Element:
    case = ET.SubElement(suite, "testcase", classname=classname, name=name)
    if where is not None and where.path:
        case.set("file", where.path)
        if where.line:
            case.set("line", str(where.line))
    return case


def _outcome(case: ET.Element, findings: list[Finding], not_evaluated: str | None,
             pending_fails: bool = False) -> None:
    if not_evaluated is not None and not findings:
        ET.SubElement(case, "skipped", message=f"not evaluated: {not_evaluated}")
        return
    # A finding the intended configuration already fixes waits for a deploy: the run does
    # not fail on it (unless --fail-on-pending), so neither does its testcase.
    failing = [f for f in findings
               if f.waived is None and (f.pending is None or pending_fails)]
    for finding in failing:
        failure = ET.SubElement(case, "failure", type=finding.rule,
                                message=f"{finding.severity.label}: {finding.message}")
        failure.text = finding_line(finding)
    if findings and not failing:
        reasons = dict.fromkeys(f"waived: {f.waived}" if f.waived is not None else
                                f"pending deploy: {f.pending}" for f in findings)
        ET.SubElement(case, "skipped", message="; ".join(reasons))


def _diagnostics_suite(diagnostics: Iterable[Diagnostic]) -> ET.Element:
    suite = ET.Element("testsuite", name=DIAGNOSTICS_SUITE)
    seen: set[str] = set()
    for diagnostic in diagnostics:
        name = _unique(f"{diagnostic.code} {diagnostic.location}", seen)
        case = _testcase(suite, DIAGNOSTICS_SUITE, name, diagnostic.location)
        if diagnostic.severity is Severity.ERROR:
            error = ET.SubElement(case, "error", type=diagnostic.code, message=diagnostic.message)
            error.text = str(diagnostic)
        else:
            # Warnings and notes about the input do not fail the run, so they must not
            # turn the dashboard red; keep them readable as output.
            ET.SubElement(case, "system-out").text = str(diagnostic)
    return suite


def _make_xml_safe(root: ET.Element) -> None:
    def safe(text: str) -> str:
        return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)

    for element in root.iter():
        if element.text:
            element.text = safe(element.text)
        for key, value in element.attrib.items():
            element.set(key, safe(value))


def _unique(name: str, seen: set[str]) -> str:
    candidate, n = name, 1
    while candidate in seen:
        n += 1
        candidate = f"{name} ({n})"
    seen.add(candidate)
    return candidate


def _count(root: ET.Element, suites: Iterable[ET.Element]) -> None:
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for suite in suites:
        counts = {
            "tests": len(suite.findall("testcase")),
            "failures": len(suite.findall("testcase[failure]")),
            "errors": len(suite.findall("testcase[error]")),
            "skipped": len(suite.findall("testcase[skipped]")),
        }
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
