"""Every rule of the original μNet compiles, and lint warnings say what a rule really does."""

from __future__ import annotations

import pytest

from tests.policy.helpers import check
from unet.policy import Compiler, parse_policy


def _compile(text: str) -> list[str]:
    rules, problems = parse_policy(text, "p.rules")
    compiler = Compiler()
    compiled = [compiler.rule(rule) for rule in rules]
    assert all(c is not None for c in compiled) or compiler.diagnostics or problems
    return [str(d) for d in [*problems, *compiler.diagnostics]]


def test_original_field_names_compile_with_one_note_each() -> None:
    run = check('WHEN node.vendor == "cisco" THEN ASSERT node.version IS "16.12.4"\n'
                'WHEN node.id == "r1" THEN ASSERT node.version IS "16.12.4"\n'
                'WHEN node.location_id IS NULL AND node.serial_number IS NULL '
                'AND node.fqdn IS NULL THEN SET custom_data.x TO node.id')
    notes = [(d.code, d.severity.label, d.message.split("'")[1]) for d in run.policies.diagnostics]
    assert notes == [("P215", "info", "node.version"), ("P215", "info", "node.id"),
                     ("P215", "info", "node.location_id"), ("P215", "info", "node.serial_number"),
                     ("P215", "info", "node.fqdn")]
    assert run.policies.ok
    # r1 runs 16.12.4 and r2 does not: node.version is os_version, node.id the name.
    assert sorted({f.device for f in run.result.findings}) == ["r2"]
    assert run.result.outcomes["r2"].data["vars"]["x"] == "r2"


@pytest.mark.parametrize(("text", "expected"), [
    ("WHEN true THEN ASSERT node.management_ip IS_SET",
     "p.rules:1:42: P101 error: 'IS_SET' is not an operator; write IS NOT NULL"),
    ("WHEN node IS NULL THEN ASSERT node.role IS NULL",
     "p.rules:1:6: P201 error: 'node' alone is the whole device, which always exists; "
     "name one of its fields (node.management_ip IS NULL)"),
    ("WHENnode.role == 1 THEN ASSERT true",
     "p.rules:1:1: P101 error: unexpected 'WHENnode': keywords are whole words; write "
     "'WHEN node' if WHEN was meant"),
    ("WHEN node.role == 1 THENASSERT true",
     "p.rules:1:21: P101 error: unexpected 'THENASSERT': keywords are whole words; write "
     "'THEN ASSERT' if THEN was meant"),
    ("WHEN node.role ISNULL THEN ASSERT true",
     "p.rules:1:16: P101 error: 'ISNULL' is not an operator; write IS NULL (keywords are "
     "separate words)"),
], ids=["is-set", "node-is-null", "when-glued", "then-glued", "isnull"])
def test_original_mistakes_get_plain_errors(text: str, expected: str) -> None:
    assert _compile(text) == [expected]


def test_keyword_prefixes_are_names() -> None:
    problems = _compile("WHEN node.vars.x == 1 AND ANDROID == 2 THEN ASSERT true\n"
                        "WHEN NOTE THEN ASSERT ISIS")
    assert [p.split(": ", 2)[2] for p in problems] == [  # names, so unknown fields
        "unknown field 'ANDROID'", "unknown field 'NOTE'", "unknown field 'ISIS'"]


@pytest.mark.parametrize(("text", "code", "column"), [
    ('WHEN true THEN ASSERT "Device is properly configured"', "P216", 23),
    ('WHEN true THEN ASSERT node.vars.asn > "2" OR 3 > "2"', "P217", 46),
    ('WHEN true THEN ASSERT "15.2(7)E9" < 16 OR node.role == "x"', "P217", 23),
    ('WHEN true THEN ASSERT version(node.os_version) >= version("banana")', "P218", 59),
    ('WHEN true THEN ASSERT node.os_version >= "15.2(7)E9"', "P219", 42),
    ('WHEN true THEN ASSERT in_subnet("10.1.2.3", "10.0.0.0/8")', "P216", 23),
    ('WHEN true THEN ASSERT node.name MATCHES /^(a+)+$/', "P221", 41),
    ('WHEN node.platform IN ["ios", "iosxee"] THEN ASSERT true', "P222", 31),
    ('WHEN node.platform != "junoss" THEN ASSERT true', "P222", 23),
    ('WHEN node.interfaces.Gi1.mtu == "9000" THEN ASSERT true', "P222", 33),
], ids=["constant-assert", "number-vs-string", "version-vs-number", "not-a-version",
        "string-ordered-version", "function-of-literals", "repeated-repeat",
        "platform-never-in", "platform-never-equal", "mtu-never-a-string"])
def test_lint_warnings_point_at_the_operand(text: str, code: str, column: int) -> None:
    problems = _compile(text)
    assert [p.split(": ")[1].split()[0] for p in problems] == [code]
    assert problems[0].startswith(f"p.rules:1:{column}: {code} warning: ")


def test_a_value_a_field_cannot_hold_is_named_with_the_nearest_it_can() -> None:
    (problem,) = _compile('WHEN node.platform == "iosxee" THEN ASSERT true')
    assert 'node.platform is never "iosxee" (did you mean \'iosxe\'?)' in problem
    assert _compile('WHEN node.platform IN ["ios", "eos"] OR node.role == "x" '
                    'THEN ASSERT true') == []  # roles are unet.yaml's, known at run time


def test_null_comparisons_mean_is_null() -> None:
    run = check('RULE a WHEN node.management_ip == null THEN ASSERT false\n'
                'RULE b WHEN node.management_ip != null THEN ASSERT false')
    assert {(f.rule, f.device) for f in run.result.findings} == {("a", "r2"), ("b", "r1")}


@pytest.mark.parametrize(("pattern", "shown"), [
    (r"/^(\d+)+$/i", r"the pattern /^(\d+)+$/i repeats a repeat"),  # as written: one backslash
    (r'"^(\\d+)+$"', r'the pattern "^(\\d+)+$" repeats a repeat'),  # a string: as a string
])
def test_a_repeated_repeat_is_quoted_as_written(pattern: str, shown: str) -> None:
    (problem,) = _compile(f"WHEN true THEN ASSERT node.name MATCHES {pattern}")
    assert shown in problem
