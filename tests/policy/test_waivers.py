"""waivers.yaml: reasons required, expiry, unused and unknown-rule waivers reported."""

from __future__ import annotations

from datetime import date

from tests.policy.helpers import check

POLICY = 'RULE mgmt WHEN true THEN ASSERT node.management_ip == "10.0.0.1"\n'


def run(waivers: str, today: date = date(2026, 6, 1)):
    return check(POLICY, {"waivers.yaml": waivers}, today=today)


def test_waiver_marks_the_finding_waived() -> None:
    result = run("waivers:\n  - rule: mgmt\n    devices: [r2]\n    reason: lab\n")
    [finding] = result.result.findings
    assert finding.device == "r2" and finding.waived == "lab"
    assert result.diagnostics == []


def test_where_condition_and_wildcards() -> None:
    result = run("waivers:\n  - rule: 'mg*'\n    where: node.role == \"access\"\n    reason: x\n")
    assert result.result.findings[0].waived == "x"


def test_expired_waiver_stops_suppressing_and_is_reported() -> None:
    result = run("waivers:\n  - rule: mgmt\n    devices: [r2]\n    reason: lab\n"
                 "    expires: '2026-05-31'\n")
    assert result.result.findings[0].waived is None
    assert [str(d) for d in result.diagnostics] == [
        "waivers.yaml:2:5: W102 warning: waiver for 'mgmt' expired on 2026-05-31; "
        "it no longer suppresses findings"]


def test_soon_expiring_waiver_is_noted() -> None:
    result = run("waivers:\n  - rule: mgmt\n    devices: [r2]\n    reason: lab\n"
                 "    expires: '2026-06-10'\n")
    assert [d.code for d in result.diagnostics] == ["W105"]


def test_unused_and_unknown_rule_waivers_are_reported() -> None:
    result = run("waivers:\n  - rule: mgmt\n    devices: [r1]\n    reason: unused\n"
                 "  - rule: mgnt\n    devices: [r2]\n    reason: typo\n")
    assert [str(d) for d in result.diagnostics] == [
        "waivers.yaml:2:5: W103 warning: waiver for 'mgmt' suppressed nothing; remove it",
        "waivers.yaml:5:5: W104 warning: waiver names rule 'mgnt', which no policy defines "
        "(did you mean 'mgmt'?)"]  # says why it suppressed nothing: no W103 as well


def test_unknown_device_is_reported_at_its_name() -> None:
    result = run("waivers:\n  - rule: mgmt\n    devices: [r2, r3]\n    reason: lab\n")
    assert result.result.findings[0].waived == "lab"
    assert [str(d) for d in result.diagnostics] == [
        "waivers.yaml:3:19: W106 warning: waiver for 'mgmt' names device 'r3', which is not "
        "in the inventory (did you mean 'r2'?)"]


def test_reason_is_required_and_conditions_are_checked() -> None:
    result = run("waivers:\n  - rule: mgmt\n    devices: [r2]\n")
    assert [d.code for d in result.diagnostics] == ["U203"]
    result = run("waivers:\n  - rule: mgmt\n    where: node.rol == 1\n    reason: x\n")
    assert str(result.diagnostics[0]).startswith(
        "waivers.yaml:3:12: P201 error: unknown field 'node.rol'")


def test_a_malformed_entry_does_not_hide_the_other_entries_problems() -> None:
    """One run names every problem: the entry without a reason, and the sound entries'
    unknown device and expired date, which used to appear only once the first was fixed."""
    result = run("waivers:\n"
                 "  - rule: mgmt\n    devices: [r2]\n"  # no reason
                 "  - rule: mgmt\n    devices: [r9]\n    reason: lab\n"
                 "  - rule: mgmt\n    devices: [r2]\n    reason: old\n    expires: 2026-01-01\n")
    assert [(d.code, d.location.line) for d in result.diagnostics] == [
        ("U203", 2), ("W106", 5), ("W102", 7)]
    assert result.result.findings[0].waived is None  # the expired one no longer waives


def test_a_malformed_entry_still_has_what_it_names_checked() -> None:
    """`device:` for `devices:` used to hide the entry's unknown rule and expired date
    until the key was fixed; the entry still waives nothing."""
    result = run("waivers:\n"
                 "  - rule: mgmnt\n    device: [r2]\n    devices: [r9]\n    reason: lab\n"
                 "    expires: 2026-01-01\n")
    codes = [(d.code, d.location.line) for d in result.diagnostics]
    assert ("U202", 3) in codes and ("W106", 4) in codes
    assert ("W104", 2) in codes and ("W102", 2) in codes
    assert not any(d.code == "W103" for d in result.diagnostics)  # its error says why
    assert all(f.waived is None for f in result.result.findings)


def test_a_where_condition_sees_the_fleet_as_a_rule_does() -> None:
    """`fleet` was an empty list in a waiver's `where:`, so `ALL d IN fleet SATISFIES false`
    held, and the waiver applied to every finding."""
    result = run("waivers:\n  - rule: mgmt\n    where: 'ALL d IN fleet SATISFIES false'\n"
                 "    reason: never\n")
    assert all(f.waived is None for f in result.result.findings)
    result = run("waivers:\n  - rule: mgmt\n    where: 'ANY d IN fleet SATISFIES d.name == \"r1\"'\n"
                 "    reason: always\n")
    assert result.result.findings and all(f.waived == "always" for f in result.result.findings)
