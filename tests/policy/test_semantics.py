"""What conditions mean: one assertion per behaviour a policy author relies on."""

from __future__ import annotations

import pytest

from tests.policy.helpers import check, failing, matching


@pytest.mark.parametrize(
    ("condition", "devices"),
    [
        ('node.role == "core"', ["r1"]),
        ('node.role != "core"', ["r2"]),
        ('role == "core"', ["r1"]),  # bare device fields mean node.<field>
        ('node.vendor == "cisco" AND node.role == "access"', ["r2"]),
        ('node.role == "core" OR node.role == "access"', ["r1", "r2"]),
        ('NOT node.role == "core"', ["r2"]),
        ('NOT (node.role == "core" OR node.role == "access")', []),
        ("node.vars.asn == 65001", ["r1"]),
        ('node.vars.asn == "65001"', []),  # strings are not numbers
        ('node.vars.site_code == "010"', ["r1"]),  # and stay strings
        ('node.vars.site_code < "1"', ["r1"]),  # compared as strings
        ("node.vars.asn > 65000", ["r1"]),
        ("node.vars.missing == 1", []),  # a missing field is null ...
        ("node.vars.missing != 1", []),  # ... and every comparison with null is false
        ("node.vars.missing IS NULL", ["r1", "r2"]),
        ("node.vars.asn IS NOT NULL", ["r1"]),
        ("node.vars.missing == null", ["r1", "r2"]),
        ('node.model CONTAINS "9300"', ["r1"]),
        ('node.vars.ntp_servers CONTAINS "10.0.0.2"', ["r1"]),
        ('node.interfaces CONTAINS "Gi2"', ["r1"]),  # a mapping contains its keys
        ("node.model MATCHES /c9300/i", ["r1"]),  # regex flags are honoured
        ("node.model MATCHES /c9300/", []),
        ('node.model MATCHES "^C9"', ["r1"]),
        ("node.vars.asn MATCHES /^650/", ["r1"]),  # numbers match as their text
        ('node.model STARTSWITH "C93"', ["r1"]),
        ('node.model ENDSWITH "48P"', ["r1"]),
        ('node.role IN ["core", "distribution"]', ["r1"]),
        ('node.role NOT IN ["core", "distribution"]', ["r2"]),
        ('node.model NOT CONTAINS "9300"', []),  # r2 has no model: null, so false
        ('node.role IS "core"', ["r1"]),
        ('node.role IS NOT "core"', ["r2"]),
        ("node.name == node.name", ["r1", "r2"]),  # a field on the right-hand side
        ("version(node.os_version) >= version(\"16.9\")", ["r1"]),
        ('version(node.os_version) < "16.0"', ["r2"]),
        ("version(node.os_version) >= 16", ["r1"]),  # a number is read as a version too
        ("version(node.os_version) < 15.3", ["r2"]),
        ("len(node.interfaces) == 2", ["r1"]),
        ('lower(node.model) == "c9300-48p"', ["r1"]),
        ('node.interfaces["Gi1"].mtu == 9000', ["r1"]),
        ('custom_data.asn == 65001', ["r1"]),  # the original DSL's custom_data is vars
        ('node.custom_data.asn == 65001', ["r1"]),
        ("node.vars.asn", ["r1"]),  # a value alone is a condition: present and not empty
        ('"core" IN node.all_groups', []),
        ('"ios" IN node.all_groups', ["r1", "r2"]),
    ],
)
def test_condition(condition: str, devices: list[str]) -> None:
    assert matching(condition) == devices


@pytest.mark.parametrize(
    ("condition", "devices"),
    [
        ('ANY i IN node.interfaces SATISFIES i.mode == "access"', ["r1"]),
        ("ALL i IN node.interfaces SATISFIES i.mtu >= 1500", ["r2"]),  # r1's Gi2 has no mtu
        ('ALL i IN node.interfaces WHERE i.mode == "trunk" SATISFIES i.native_vlan == 999', ["r1"]),
        ('NONE i IN node.interfaces SATISFIES i.mode == "access"', ["r2"]),
        ('ANY i IN node.interfaces SATISFIES i.name == "Gi2"', ["r1"]),
        ('ANY n IN node.vars.ntp_servers SATISFIES n STARTSWITH "10.0."', ["r1"]),
        ('ANY l IN node.links SATISFIES l.peer == "r2" AND l.type == "fabric"', ["r1"]),
        ('ANY l IN node.links SATISFIES l.peer_interface == "Gi1"', ["r1", "r2"]),
        ("ALL i IN node.vars.nothing SATISFIES i == 1", ["r1", "r2"]),  # vacuously true
    ],
)
def test_quantifiers(condition: str, devices: list[str]) -> None:
    assert matching(condition) == devices


@pytest.mark.parametrize(
    ("condition", "devices"),
    [
        ('running HAS "line vty .*||transport input ssh"', ["r1"]),
        ('running HAS "interface Gi1"', ["r1"]),
        ('running HAS "interface Gi"', []),  # a level matches the whole line
        ('running NOT HAS "line vty .*||transport input telnet"', ["r1"]),
        ('running.value("snmp-server location (.*)") == "HQ B1"', ["r1"]),
        ('ALL s IN running.sections("interface .*") SATISFIES s HAS "description .*"', ["r1", "r2"]),
        ('ANY l IN running.lines("hostname .*") SATISFIES l ENDSWITH "2"', ["r2"]),
        ("running IS NOT NULL", ["r1", "r2"]),
        ("intended IS NULL", ["r1", "r2"]),
    ],
)
def test_config_conditions(condition: str, devices: list[str]) -> None:
    assert matching(condition) == devices


def test_and_short_circuits() -> None:
    # The regex would be stopped on a long value (P221 says so); AND never gets there.
    run = check("RULE t WHEN false AND node.model MATCHES /(a+)+$/ THEN ASSERT true")
    assert [d.code for d in run.policies.diagnostics] == ["P221"]
    assert [d.code for d in run.diagnostics if d.code == "P301"] == []
    assert not any(run.result.evaluated.values())


def test_has_with_a_null_value_is_false_and_a_non_text_value_is_an_error() -> None:
    files = {"configs/r1.cfg": "hostname r1\nNone\nTrue\n['a', 'b']\n65001\n"}
    # null is not searched for as the text "None": HAS is false, NOT HAS is false too.
    assert failing("running HAS node.vars.nothing", files) == ["r1", "r2"]
    assert failing("running NOT HAS node.vars.nothing", files) == ["r1", "r2"]
    assert failing('running HAS concat("ntp server ", node.vars.nothing)', files) == ["r1", "r2"]
    assert failing("running HAS node.vars.asn", files) == ["r2"]  # a number, as its text
    run = check("RULE t WHEN true THEN ASSERT running HAS node.vars.ntp_servers\n", files)
    assert [(d.code, d.message.split(": ", 1)[1]) for d in run.diagnostics] == [
        ("P301", "a list is no text to look for in a configuration; its other devices and "
                 "the other rules were checked")] * 2
