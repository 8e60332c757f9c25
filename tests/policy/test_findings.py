"""What a finding says and where it points."""

from __future__ import annotations

from tests.policy.helpers import check, findings


def test_finding_points_at_the_inherited_value_and_the_policy_line() -> None:
    [finding] = findings(
        'RULE vendor SEVERITY warning "Vendor"\n'
        'WHEN node.name == "r2"\n'
        'THEN ASSERT node.vendor == "arista"\n')
    assert finding.rule == "vendor" and finding.device == "r2"
    assert finding.severity.label == "warning"
    assert str(finding.location) == "groups/ios.yaml:3:9"  # where the value is written
    assert [str(r) for r in finding.related] == ["policies/p.unet:3:6"]
    assert finding.message == 'expected node.vendor == "arista"; node.vendor is "cisco"'


def test_missing_value_points_at_the_nearest_parent_and_says_missing() -> None:
    [finding] = findings('RULE snmp WHEN node.name == "r2" THEN ASSERT node.vars.snmp IS NOT NULL')
    assert str(finding.location) == "devices/r2.yaml:7:1"  # the vars: key
    assert finding.message.endswith("node.vars.snmp is missing")


def test_quantifier_failure_points_at_the_failing_element() -> None:
    [finding] = findings("RULE mtu WHEN true THEN ASSERT ALL i IN node.interfaces "
                         'WHERE i.mode == "trunk" SATISFIES i.mtu >= 9000')
    assert finding.device == "r2"
    assert str(finding.location) == "devices/r2.yaml:6:48"  # Gi1 mtu: 1500


def test_config_failure_points_at_the_running_config_line() -> None:
    [finding] = findings('RULE ssh WHEN true THEN ASSERT running HAS '
                         '"line vty .*||transport input ssh"')
    assert finding.device == "r2"
    assert str(finding.location) == "configs/r2.cfg:3:1"
    assert "no line matching 'transport input ssh' under 'line vty 0 4'" in finding.message


def test_custom_message_with_placeholders() -> None:
    [finding] = findings('RULE ntp WHEN true THEN ASSERT node.vars.ntp_servers CONTAINS "10.0.0.1"\n'
                         'MESSAGE "{node.name} uses {node.vars.ntp_servers}, not {{10.0.0.1}}"')
    assert finding.message == "r2 uses 10.9.9.9, not {10.0.0.1}"


def test_fingerprint_survives_lines_moving() -> None:
    policy = 'RULE v WHEN node.name == "r2" THEN ASSERT node.vendor == "x"'
    before = findings(policy)[0]
    moved = findings("\n\n# a comment\n" + policy,
                     {"groups/ios.yaml": "# moved\n\nname: ios\nplatform: ios\nvendor: cisco\n"})[0]
    assert before.location != moved.location
    assert before.fingerprint == moved.fingerprint
    other = findings(policy.replace("RULE v", "RULE w"))[0]
    assert other.fingerprint != before.fingerprint


def test_several_actions_run_in_order_and_set_changes_later_rules() -> None:
    run = check(
        'RULE family WHEN node.model CONTAINS "9300" THEN SET node.vars.family TO "cat9k", '
        'APPLY "ios/c9k.j2"\n'
        'RULE needs-family WHEN node.role == "core" THEN ASSERT node.vars.family == "cat9k" '
        'ASSERT node.vars.asn == 1\n', {"templates/ios/c9k.j2": "! catalyst 9000\n"})
    [finding] = run.result.findings
    assert finding.rule == "needs-family" and "node.vars.asn" in finding.message
    outcome = run.result.outcomes["r1"]
    assert outcome.data["vars"]["family"] == "cat9k"
    assert [name for name, _ in outcome.applied] == ["ios/c9k.j2"]
    assert run.result.outcomes["r2"].applied == ()


def test_set_value_points_at_the_set_when_it_fails_later() -> None:
    [finding] = findings('RULE s WHEN true THEN SET custom_data.tier TO "gold"\n'
                         'RULE t WHEN node.name == "r1" THEN ASSERT node.vars.tier == "silver"')
    assert str(finding.location) == "policies/p.unet:1:23"


def test_set_never_touches_the_inventory() -> None:
    run = check('RULE s WHEN true THEN SET node.role TO "edge"')
    assert run.result.outcomes["r1"].data["role"] == "edge"
    assert run.devices[0].data["role"] == "core"


def test_rules_run_in_file_order_files_by_path() -> None:
    run = check("", {"policies/b.unet": "RULE b WHEN true THEN ASSERT true",
                     "policies/a/z.rules": "RULE a WHEN true THEN ASSERT true",
                     "policies/c.policy": "RULE c WHEN true THEN ASSERT true"})
    assert run.result.evaluated["r1"] == ["a", "b", "c"]


def test_coverage_counts_unmatched_devices_and_rules() -> None:
    run = check('RULE core WHEN node.role == "core" THEN ASSERT true\n'
                'RULE none WHEN node.role == "spine" THEN ASSERT true')
    assert run.result.checks == 1
    assert run.result.unmatched_devices == ["r2"]
    assert run.result.unmatched_rules == ["none"]


def test_original_style_rules_get_stable_ids() -> None:
    policy = 'WHEN node.vendor == "cisco" THEN ASSERT node.role IS "core"'
    first = findings(policy)[0].rule
    assert first.startswith("p-") and first == findings("\n\n" + policy)[0].rule


def test_select_by_name_and_where() -> None:
    run = check("RULE t WHEN true THEN ASSERT false", names=["r2"])
    assert [d.name for d in run.devices] == ["r2"]
    run = check("RULE t WHEN true THEN ASSERT false", where='node.role == "core"')
    assert [d.name for d in run.devices] == ["r1"]


def test_failing_quantifier_element_is_named() -> None:
    found = findings("RULE mtu WHEN true THEN ASSERT ALL i IN node.interfaces "
                     "SATISFIES i.mtu >= 9000")
    assert {f.device: f.message.rpartition("; ")[2] for f in found} == {
        "r1": 'failed for i = "Gi2"', "r2": 'failed for i = "Gi1"'}
    [finding] = findings('RULE ntp WHEN node.name == "r2" THEN ASSERT ALL s IN node.vars.ntp_servers '
                         'SATISFIES s STARTSWITH "10.0."\nMESSAGE "NTP server {s} is not internal"')
    assert finding.message == "NTP server 10.9.9.9 is not internal"
