"""Remediation as commands: risk marks, held-back lines, platform defaults, the JSON shape."""

from __future__ import annotations

import json

import pytest

from unet.config import MASK, diff, emit, parse, predict, protect_rules, remediate

SWITCH = """spanning-tree mode rapid-pvst
username admin privilege 15 secret 9 $9$abc
interface GigabitEthernet0/0
 vrf forwarding Mgmt-vrf
 ip address 10.0.0.5 255.255.255.0
interface TenGigabitEthernet1/0/4
 description parked
 shutdown
interface TenGigabitEthernet1/0/5
 description uplink
ip route 0.0.0.0 0.0.0.0 10.0.0.1
ip route 10.9.0.0 255.255.0.0 10.0.0.2
"""
# A template that models only some ports (`interface .*` claims them all).
INTENDED = """spanning-tree mode rapid-pvst
interface TenGigabitEthernet1/0/5
 description uplink
 no shutdown
"""


def test_protected_lines_are_held_back_with_the_reason():
    plan = remediate(diff(parse(SWITCH), parse(INTENDED)))
    held = {c.text: c.held for c in plan.held}
    assert held == {
        "no username admin": "local user: the way in when AAA servers are unreachable",
        "default interface GigabitEthernet0/0": "management interface (in the management VRF)",
        "no ip route 0.0.0.0 0.0.0.0 10.0.0.1": "the default route",
    }
    sent = emit(plan)
    assert not any(text in sent for text in held)
    assert "no ip route 10.9.0.0 255.255.0.0 10.0.0.2" in sent


def test_allow_protected_includes_them():
    sent = emit(remediate(diff(parse(SWITCH), parse(INTENDED)), allow_protected=True))
    assert "default interface GigabitEthernet0/0" in sent and "no username admin" in sent


def test_a_reset_port_stays_shut_down_and_no_shutdown_is_not_drift():
    result = diff(parse(SWITCH), parse(INTENDED))
    assert result.profile == "switch"
    assert not any(c.text == "no shutdown" for c in result.changes)  # never shown on IOS
    sent = emit(remediate(result)).splitlines()
    at = sent.index("default interface TenGigabitEthernet1/0/4")
    assert sent[at + 1: at + 3] == ["interface TenGigabitEthernet1/0/4", " shutdown"]
    # After the reset the port is unconfigured and shut down: only held-back lines differ.
    left = {c.text for c in diff(predict(result), parse(INTENDED)).changes}
    assert left == {"username admin privilege 15 secret 9 $9$abc", "interface GigabitEthernet0/0",
                    "ip route 0.0.0.0 0.0.0.0 10.0.0.1"}


def test_router_port_default_is_shut_down_so_nothing_is_added():
    running = parse("interface GigabitEthernet0/2\n description spare\n shutdown\n")
    result = diff(running, parse("hostname r1\n"))
    assert result.profile == "router"
    assert emit(remediate(result)).splitlines() == ["default interface GigabitEthernet0/2",
                                                    "hostname r1"]
    assert not diff(predict(result), parse("hostname r1\n"))


def test_unconfigured_port_in_running_is_not_extra():
    for running, profile in (("interface GigabitEthernet0/2\n no ip address\n shutdown\n", None),
                             ("interface GigabitEthernet1/0/9\n shutdown\n", "switch")):
        assert not diff(parse(running), parse(""), profile=profile)


def test_every_removal_is_marked_and_the_summary_counts():
    plan = remediate(diff(parse(SWITCH), parse(INTENDED)))
    text = plan.as_text()
    lines = text.splitlines()
    for at, line in enumerate(lines):
        if line.lstrip().startswith(("no ", "default ")):
            assert lines[at - 1].strip() in ("! [remove]", "! [reset]"), line
    assert lines[-1] == "! 4 commands, 2 removals, 3 held back"
    assert "! [held back: the default route] no ip route 0.0.0.0 0.0.0.0 10.0.0.1" in lines
    assert parse(text) == parse(emit(plan))  # the marks are comments the device ignores


def test_json_is_one_list_of_commands_with_risk_hold_and_parents():
    document = remediate(diff(parse(SWITCH), parse(INTENDED))).to_json()
    json.dumps(document)
    assert document["version"] == 1 and document["platform"] == "ios"
    assert document["summary"] == {"commands": 4, "removals": 2, "held": 3}
    by_text = {c["text"]: c for c in document["commands"]}
    assert set(by_text["shutdown"]) == {"text", "parents", "kind", "risk", "held", "reason",
                                        "was", "note"}
    assert by_text["shutdown"]["parents"] == ["interface TenGigabitEthernet1/0/4"]
    assert by_text["default interface TenGigabitEthernet1/0/4"]["risk"] == "reset"
    assert by_text["no ip route 10.9.0.0 255.255.0.0 10.0.0.2"]["kind"] == "remove"
    assert by_text["no username admin"]["held"] is True
    assert by_text["no username admin"]["reason"].startswith("local user")


def test_site_protect_rules_hold_back_their_lines():
    running = parse("interface Loopback0\n ip address 10.255.0.1 255.255.255.255\nip sla 5\n")
    plan = remediate(diff(running, parse("hostname r1\n")),
                     protect=protect_rules([("interface Loopback0", "router id")]))
    assert [(c.text, c.held) for c in plan.held] == [("no interface Loopback0", "router id")]
    assert "no ip sla 5" in emit(plan)


@pytest.mark.parametrize(("dialect", "running", "held"), [
    ("nxos", "interface mgmt0\n  vrf member management\n", "no interface mgmt0"),
    ("eos", "interface Management1\n   ip address 10.0.0.9/24\n", "default interface Management1"),
    ("ios", "interface Vlan1\n ip address 10.1.1.1 255.255.255.0\n", "default interface Vlan1"),
])
def test_interfaces_that_cannot_be_deleted_are_held(dialect, running, held):
    plan = remediate(diff(parse(running, dialect), parse("hostname x\n", dialect)))
    assert [c.text for c in plan.held] == [held]
    assert held not in emit(plan, dialect)


def test_junos_removal_around_protected_lines_is_narrowed():
    running = parse("set system host-name r1\n"
                    "set system root-authentication encrypted-password \"$6$x\"\n"
                    "set system login user ops class super-user\n"
                    "set interfaces fxp0 unit 0 family inet address 10.0.0.5/24\n"
                    "set routing-options static route 0.0.0.0/0 next-hop 192.0.2.1\n"
                    "set routing-options static route 10.9.0.0/16 next-hop 192.0.2.2\n", "junos")
    intended = parse("set system host-name r1\n", "junos")
    plan = remediate(diff(running, intended))
    assert emit(plan, form="set") == "delete routing-options static route 10.9.0.0/16\n"
    assert sorted(c.text for c in plan.held) == [
        "delete interfaces fxp0", "delete routing-options static route 0.0.0.0/0",
        "delete system login", "delete system root-authentication"]


def test_masked_or_normalized_values_are_not_comparable():
    running = parse(f"tacacs-server host 10.0.0.9 key 7 {MASK}\nsnmp-server location a\n")
    intended = parse("tacacs-server host 10.0.0.9 key 7 0822455D0A16\nsnmp-server location b\n"
                     "ntp server 10.0.0.1 key <hash>\n")
    plan = remediate(diff(running, intended), not_comparable={"ntp server 10.0.0.1 key <hash>"})
    sent = emit(plan)
    assert MASK not in sent and "<hash>" not in sent
    assert sent == "snmp-server location b\n" or "tacacs-server host 10.0.0.9 key 7 0822455D0A16" in sent
    reasons = {c.text: c.held for c in plan.held}
    assert reasons[f"no tacacs-server host 10.0.0.9 key 7 {MASK}"].startswith("not comparable")
    assert reasons["ntp server 10.0.0.1 key <hash>"] == "not comparable: rewritten by a normalizer"
    assert all(c.held for c in remediate(diff(running, intended), allow_protected=True,
                                         not_comparable={"ntp server 10.0.0.1 key <hash>"}).commands
               if MASK in c.text or "<hash>" in c.text)


def test_marked_text_equals_the_tree_for_every_dialect():
    pairs = {
        "ios": ("router bgp 1\n neighbor 10.0.0.1 remote-as 2\n address-family ipv4\n"
                "  neighbor 10.0.0.1 activate\n", "router bgp 1\n address-family ipv4\n"
                "  network 10.0.0.0\n"),
        "junos": ("set system ntp server 10.0.0.1\n", "set system ntp server 10.0.0.2\n"),
        "iosxr": ("route-policy A\n  pass\nend-policy\n", "route-policy A\n  drop\nend-policy\n"),
    }
    for dialect, (a, b) in pairs.items():
        plan = remediate(diff(parse(a, dialect), parse(b, dialect)))
        form = "set" if dialect == "junos" else None
        assert plan.as_text(marks=False) == emit(plan, dialect, form=form), dialect
