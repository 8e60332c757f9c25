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
    running = parse("interface Ethernet1/3\n  shutdown\ninterface Vlan3\n  shutdown\n", "nxos")
    commands = emit(remediate(diff(running, parse("hostname n\n", "nxos")))).splitlines()
    assert "default interface Ethernet1/3" in commands and "no interface Vlan3" in commands
