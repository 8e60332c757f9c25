from __future__ import annotations

import pytest

from unet.config import DIALECTS, detect_dialect, diff, emit, get_dialect, parse, remediate


def test_unknown_dialect_has_a_did_you_mean():
    with pytest.raises(ValueError, match="did you mean 'nxos'"):
        get_dialect("nxso")


def test_every_dialect_table_has_a_name_and_syntax():
    for name, rules in DIALECTS.items():
        assert rules.syntax in ("indent", "junos")
        assert name in (rules.name, *rules.aliases) or name == "iosxe"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("feature bgp\ninterface Ethernet1/1\n  no switchport\n", "nxos"),
        ("! device: leaf1 (vEOS)\n!!\nmanagement api http-commands\n", "eos"),
        ("route-policy X\n  pass\nend-policy\n!\ninterface GigabitEthernet0/0/0/0\n ipv4 address 1.1.1.1 255.0.0.0\n", "iosxr"),
        ("system {\n    host-name a;\n}\n", "junos"),
        ("set system host-name a\nset interfaces ge-0/0/0 disable\n", "junos"),
        ("Building configuration...\nservice timestamps log\ninterface GigabitEthernet0/1\n ip address 1.1.1.1 255.255.255.0\n", "ios"),
    ],
)
def test_detect_dialect(text, expected):
    assert detect_dialect(text).name == expected


def test_detection_doubt_is_reported():
    found = detect_dialect("hostname x\n")
    assert found.name == "ios" and not found.certain


def test_eos_keeps_double_bang_comments_and_eof_banner(fixture_text):
    tree = parse(fixture_text("eos_banner.cfg"), "eos")
    assert tree.children[0].text.startswith("!!")
    banner = tree.get("hostname leaf1") and [n for n in tree.children if n.text.startswith("banner")]
    assert banner and banner[0].text.endswith("EOF") and "! not a comment" in banner[0].text
    assert emit(tree).splitlines()[-1] == "   no shutdown"


def test_xr_exits_duplicates_and_redefine(fixture_text):
    running = parse(fixture_text("xr_policy.cfg"), "iosxr")
    policy = running.get("route-policy PASS")
    assert [n.text for n in policy.children].count("endif") == 2
    assert emit(running).count("end-policy") == 1 and emit(running).count("end-set") == 1
    intended = parse(fixture_text("xr_policy.cfg").replace("drop", "pass"), "iosxr")
    commands = emit(remediate(diff(running, intended)))
    assert commands.startswith("route-policy PASS\n if destination in PFX then\n")
    assert "no route-policy" not in commands and commands.rstrip().endswith("end-policy")


def test_nxos_physical_port_is_defaulted():
    running = parse("interface Ethernet1/3\n  description old\ninterface Vlan3\n  shutdown\n", "nxos")
    commands = emit(remediate(diff(running, parse("hostname n\n", "nxos")))).splitlines()
    assert "default interface Ethernet1/3" in commands and "no interface Vlan3" in commands


XR_BGP = """router bgp 65000
 af-group AF address-family ipv4 unicast
  route-policy PASS in
 !
 session-group SG
  update-source Loopback0
 !
 neighbor-group NG
  use session-group SG
  remote-as 65001
 !
 neighbor 192.0.2.1
  use neighbor-group NG
 !
!
"""


def test_xr_groups_have_no_invented_terminators():
    running = parse(XR_BGP, "iosxr")
    intended = parse(XR_BGP.replace("remote-as 65001", "remote-as 65002"), "iosxr")
    for text in (emit(running), emit(remediate(diff(running, intended)))):
        assert not {"end-af-group", "end-neighbor-group", "end-session-group"} & {
            line.strip() for line in text.splitlines()}
    assert emit(remediate(diff(running, intended))) == (
        "router bgp 65000\n neighbor-group NG\n  remote-as 65002\n")


@pytest.mark.parametrize("dialect", ["nxos", "eos"])
def test_address_family_has_no_ios_exit(dialect):
    running = parse("router bgp 65000\n  address-family ipv4 unicast\n    network 10.0.0.0/8\n",
                    dialect)
    intended = parse("router bgp 65000\n  address-family ipv4 unicast\n    network 10.0.0.0/8\n"
                     "    network 10.1.0.0/16\n", dialect)
    commands = emit(remediate(diff(running, intended)), dialect)
    assert "exit-address-family" not in commands and "exit-address-family" not in emit(running)
    assert "network 10.1.0.0/16" in commands


def test_exit_lines_in_a_template_are_not_config():
    with_exit = parse("interface Gi1\n description a\n exit\nrouter bgp 1\n address-family ipv4\n"
                      "  network 10.0.0.0\n exit-address-family\n exit\n")
    assert with_exit == parse("interface Gi1\n description a\nrouter bgp 1\n address-family ipv4\n"
                              "  network 10.0.0.0\n")


@pytest.mark.parametrize(("dialect", "running", "intended"), [
    ("ios", "Building configuration...\n\nCurrent configuration : 1234 bytes\n!\n"
            "! Last configuration change at 10:00:01 UTC Mon Jan 1 2024\nversion 15.2\n"
            "boot-start-marker\nboot-end-marker\nntp clock-period 17179869\nhostname r1\n",
     "hostname r1\n"),
    ("iosxr", "Wed Dec  2 06:16:13.123 UTC\nBuilding configuration...\n!! IOS XR Configuration 7.3.2\n"
              "!! Last configuration change at Tue Dec  1 10:00:00 2026 by admin\nhostname r1\n",
     "hostname r1\n"),
    ("nxos", "!Command: show running-config\n!Running configuration last done at: Mon Jan 1\n"
             "!Time: Mon Jan  1 10:00:00 2024\nversion 9.3(5) Bios:version 05.39\nhostname n1\n",
     "hostname n1\n"),
    ("junos", "## Last commit: 2024-01-01 10:00:00 UTC by admin\nversion 22.4R3-S2;\n"
              "system { host-name j1; }\n", "system { host-name j1; }\n"),
])
def test_volatile_lines_are_never_a_difference(dialect, running, intended):
    assert not diff(parse(running, dialect), parse(intended, dialect))


def _matches(value, seen):
    """Every Match reachable from a dialect table (tuples, dataclasses, dicts)."""
    import dataclasses

    from unet.config import Match

    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, Match):
        yield value
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            yield from _matches(item, seen)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _matches(item, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _matches(getattr(value, f.name), seen)


def test_every_built_in_match_expression_compiles():
    # The tables compile their expressions on first use; none may fail then.
    found = [match for rules in DIALECTS.values() for match in _matches(rules, set())]
    assert len(found) > 300
    for match in found:
        assert len(match.patterns) == len(match.levels), str(match)
