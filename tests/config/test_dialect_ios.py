from __future__ import annotations

import pytest

from unet.config import diff, emit, get_dialect, parse, predict, remediate


def texts(tree):
    return [path for path, _ in tree.walk()]


def test_noise_crlf_tabs_and_leading_space(fixture_text):
    tree = parse(fixture_text("ios_noise.cfg"))
    assert texts(tree)[:3] == [("version 15.2",), ("hostname r1",), ("interface Gi1",)]
    # Whitespace inside values is data; trailing blanks are not.
    assert ("interface Gi1", "description uplink  A") in texts(tree)
    assert not tree.diagnostics


def test_stray_bang_at_wrong_depth_does_not_move_the_parent():
    tree = parse("interface Gi1\n  ip address 1\n !\n\tshutdown\n")
    assert ("interface Gi1", "ip address 1", "shutdown") in texts(tree)


def test_relative_indentation_any_width():
    one = parse("router bgp 1\n address-family ipv4\n  network 1.0.0.0\n")
    three = parse("router bgp 1\n   address-family ipv4\n      network 1.0.0.0\n")
    assert one == three


def test_banners_and_opaque_blocks_are_single_leaves(fixture_text):
    tree = parse(fixture_text("ios_banners.cfg"))
    top = [n.text.split("\n")[0] for n in tree.children]
    assert top == [
        "hostname r1", "banner login ^CLAB^C", "banner motd ^C^C", "banner exec ^C",
        "banner incoming ^C", "macro name EdgePort", "crypto pki certificate chain TP-self",
        "interface Gi1",
    ]
    exec_banner = tree.children[3].text
    assert "! not a comment" in exec_banner and exec_banner.endswith("^C")
    cert = tree.children[6].children[0]
    assert cert.text.startswith("certificate self-signed 01") and cert.text.endswith("quit")
    assert not tree.diagnostics


def test_unterminated_banner_is_a_warning_and_keeps_the_rest():
    tree = parse("banner motd ^C\nhello\ninterface Gi1\n description x\n")
    assert [d.code for d in tree.diagnostics] == ["C103"]
    assert tree.diagnostics[0].location.line == 1
    assert tree.get("interface Gi1") is not None


def test_banner_change_is_a_replacement_and_removal_has_no_body():
    running = parse("banner motd ^C\nold\n^C\n")
    intended = parse("banner motd ^C\nnew\n^C\n")
    assert diff(running, intended).counts()["replaced"] == 1
    assert emit(remediate(diff(running, parse("hostname x\n")))).startswith("no banner motd\n")


def test_duplicate_leaves_are_a_multiset_and_repeated_sections_merge(fixture_text):
    tree = parse(fixture_text("ios_dups.cfg"), path="dups.cfg")
    assert [n.text for n in tree.children].count("snmp-server community <<REDACTED>> RO 10") == 2
    assert [d.code for d in tree.diagnostics] == ["C102"]
    assert str(tree.diagnostics[0]).startswith("dups.cfg:7:1: C102 warning:")
    assert len(tree.get("interface Gi1").children) == 2
    one = parse("snmp-server community <<REDACTED>> RO 10\n")
    result = diff(tree, one)
    extras = [c.text for c in result.changes if c.kind == "extra"]
    assert extras.count("snmp-server community <<REDACTED>> RO 10") == 1


def test_sectional_exits_are_stripped_and_re_emitted(fixture_text):
    text = fixture_text("ios_bgp.cfg")
    tree = parse(text)
    assert "exit-address-family" not in [t for path in texts(tree) for t in path]
    assert emit(tree) == text


def test_idempotent_lines_are_replaced_not_negated():
    running = parse("hostname a\ninterface Gi1\n description x\n ip address 1.1.1.1 255.0.0.0\n")
    intended = parse("hostname b\ninterface Gi1\n description y\n ip address 2.2.2.2 255.0.0.0\n")
    commands = emit(remediate(diff(running, intended)))
    assert commands == (
        "hostname b\ninterface Gi1\n description y\n ip address 2.2.2.2 255.0.0.0\n"
    )


# (parent or "", running line, intended line): one value each, which IOS overwrites.
SETTINGS = [
    ("", "logging buffered 4096", "logging buffered 16384 informational"),
    ("", "logging trap informational", "logging trap warnings"),
    ("", "clock timezone CET 1 0", "clock timezone UTC 0 0"),
    ("", "spanning-tree mode pvst", "spanning-tree mode rapid-pvst"),
    ("", "service timestamps log datetime msec", "service timestamps log uptime"),
    ("", "ip ssh version 1", "ip ssh version 2"),
    ("", "ip ssh source-interface Loopback0", "ip ssh source-interface Loopback1"),
    ("", "snmp-server trap-source Loopback0", "snmp-server trap-source Loopback1"),
    ("", "enable secret 9 $9$old", "enable secret 9 $9$new"),
    ("interface Gi1", "switchport voice vlan 100", "switchport voice vlan 200"),
    ("interface Gi1", "ip ospf 1 area 0", "ip ospf 1 area 1"),
    ("interface Gi1", "ip ospf hello-interval 10", "ip ospf hello-interval 5"),
    ("interface Gi1", "standby 1 priority 100", "standby 1 priority 110"),
    ("interface Gi1", "standby 1 ip 10.0.0.1", "standby 1 ip 10.0.0.254"),
    ("interface Gi1", "storm-control broadcast level 5.00", "storm-control broadcast level 10.00"),
    ("router bgp 65000", "neighbor 10.0.0.2 route-map A in", "neighbor 10.0.0.2 route-map B in"),
    ("router bgp 65000", "neighbor 10.0.0.2 timers 10 30", "neighbor 10.0.0.2 timers 5 15"),
    ("router bgp 65000", "neighbor 10.0.0.2 password 0 old", "neighbor 10.0.0.2 password 0 new"),
    ("router ospf 1", "auto-cost reference-bandwidth 1000", "auto-cost reference-bandwidth 100000"),
    ("line vty 0 4", "access-class MGMT in", "access-class MGMT2 in"),
]


@pytest.mark.parametrize(("parent", "old", "new"), SETTINGS, ids=[s[2] for s in SETTINGS])
def test_a_changed_setting_is_typed_again_not_negated_first(parent, old, new):
    # Negating first drops the setting in between (`no logging buffered` clears the
    # buffer, `no neighbor … password` resets the session, `no enable secret` opens enable).
    indent = " " if parent else ""
    head = f"{parent}\n" if parent else ""
    running = parse(f"hostname r1\n{head}{indent}{old}\n")
    intended = parse(f"hostname r1\n{head}{indent}{new}\n")
    result = diff(running, intended)
    assert result.counts()["replaced"] == 1
    assert emit(remediate(result)) == f"{head}{indent}{new}\n"


def test_a_setting_of_another_slot_is_not_a_replacement():
    # Two directions, two HSRP groups, debug against log timestamps: each its own value.
    running = parse("router bgp 1\n neighbor 10.0.0.2 route-map A in\n"
                    "interface Gi1\n standby 1 priority 100\n"
                    "service timestamps log uptime\n")
    intended = parse("router bgp 1\n neighbor 10.0.0.2 route-map A out\n"
                     "interface Gi1\n standby 2 priority 100\n"
                     "service timestamps debug uptime\n")
    assert diff(running, intended).counts()["replaced"] == 0


def test_secondary_addresses_accumulate():
    running = parse("interface Gi1\n ip address 1.1.1.1 255.0.0.0\n")
    intended = parse(
        "interface Gi1\n ip address 1.1.1.1 255.0.0.0\n ip address 3.3.3.3 255.0.0.0 secondary\n"
    )
    assert diff(running, intended).counts() == {"missing": 1, "extra": 0, "replaced": 0, "reordered": 0}


def test_negated_line_is_restored_with_the_positive_form():
    running = parse("interface Gi1\n no ip redirects\n")
    assert emit(remediate(diff(running, parse("interface Gi1\n")))) == "interface Gi1\n ip redirects\n"


def test_physical_interfaces_are_defaulted_others_deleted():
    running = parse("interface GigabitEthernet0/1\n description old\ninterface Loopback0\n shutdown\n")
    commands = emit(remediate(diff(running, parse("hostname r\n")))).splitlines()
    assert "default interface GigabitEthernet0/1" in commands
    assert "no interface Loopback0" in commands


def test_removed_neighbour_takes_its_lines_with_it(fixture_text):
    running = parse(fixture_text("ios_bgp.cfg"))
    intended = parse(
        "router bgp 65000\n bgp router-id 10.0.0.1\n neighbor 10.0.0.3 remote-as 65002\n"
        " address-family ipv4\n  neighbor 10.0.0.3 activate\n"
    )
    assert emit(remediate(diff(running, intended))) == "router bgp 65000\n no neighbor 10.0.0.2\n"


def test_acl_created_before_binding_and_removed_after_unbinding():
    running = parse("interface Gi1\n ip access-group OLD in\nip access-list extended OLD\n 10 permit ip any any\n")
    intended = parse("interface Gi1\n ip access-group NEW in\nip access-list extended NEW\n 10 deny ip any any\n")
    commands = emit(remediate(diff(running, intended))).splitlines()
    assert commands.index("ip access-list extended NEW") < commands.index("interface Gi1")
    assert commands.index(" ip access-group NEW in") < commands.index("no ip access-list extended OLD")


def test_sequenced_acl_gets_minimal_edits():
    running = parse("ip access-list extended A\n 10 permit ip host 1.1.1.1 any\n 20 permit ip any any\n")
    intended = parse("ip access-list extended A\n 10 permit ip host 1.1.1.1 any\n 15 deny ip host 2.2.2.2 any\n 20 deny ip any any\n")
    assert emit(remediate(diff(running, intended))) == (
        "ip access-list extended A\n no 20\n 15 deny ip host 2.2.2.2 any\n 20 deny ip any any\n"
    )


def test_unsequenced_acl_reorder_is_edited_in_place():
    running = parse("ip access-list extended A\n permit ip host 1.1.1.1 any\n deny ip any any\n")
    intended = parse("ip access-list extended A\n deny ip any any\n permit ip host 1.1.1.1 any\n")
    result = diff(running, intended)
    assert [c.kind for c in result.changes] == ["reordered"]
    assert emit(remediate(result)) == (
        "ip access-list resequence A 10 10\nip access-list extended A\n"
        " 30 permit ip host 1.1.1.1 any\n no 10\n"
    )
    assert predict(result) == intended


def test_route_map_action_change_keeps_the_slot():
    running = parse("route-map RM permit 10\n match ip address 1\n")
    intended = parse("route-map RM deny 10\n match ip address 1\n")
    result = diff(running, intended)
    assert [c.kind for c in result.changes] == ["replaced"]
    assert emit(remediate(result)) == "route-map RM deny 10\n"


def test_dialect_table_is_shared_by_iosxe():
    assert get_dialect("iosxe") is get_dialect("ios")


NUMBERED = """interface GigabitEthernet0/0
 ip access-group 105 in
access-list 105 permit tcp any host 10.0.0.1 eq 22
access-list 105 permit tcp any host 10.0.0.1 eq 80
access-list 105 deny ip any any
"""


def test_numbered_acl_line_is_edited_in_place_never_negated():
    running = parse(NUMBERED)
    intended = parse(NUMBERED.replace("permit tcp any host 10.0.0.1 eq 80",
                                      "deny tcp any host 10.0.0.1 eq 80"))
    result = diff(running, intended)
    commands = emit(remediate(result))
    assert commands == ("ip access-list resequence 105 10 10\nip access-list extended 105\n"
                        " 15 deny tcp any host 10.0.0.1 eq 80\n no 20\n")
    assert "no access-list" not in commands
    assert not diff(predict(result), intended)


def test_numbered_acl_reorder_is_a_difference_and_is_fixed():
    running = parse(NUMBERED)
    swapped = NUMBERED.split("\n")
    swapped[2], swapped[3] = swapped[3], swapped[2]
    intended = parse("\n".join(swapped))
    result = diff(running, intended)
    assert [(c.kind, c.text) for c in result.changes] == [("reordered", "access-list 105")]
    predicted = predict(result)
    assert [n.text for n in predicted.children][1:] == [n.text for n in intended.children][1:]


def test_removed_numbered_acl_is_one_command_after_its_binding():
    running = parse(NUMBERED)
    intended = parse("interface GigabitEthernet0/0\n")
    commands = emit(remediate(diff(running, intended))).splitlines()
    assert commands == ["interface GigabitEthernet0/0", " no ip access-group 105 in",
                        "no access-list 105"]


def test_prefix_list_entry_replaced_at_the_same_number_removes_the_old_first():
    running = parse("ip prefix-list PL seq 10 permit 10.0.0.0/8\nip prefix-list PL seq 20 permit 11.0.0.0/8\n"
                    "route-map RM permit 10\n match ip address prefix-list PL\n")
    intended = parse("ip prefix-list PL seq 10 permit 10.1.0.0/16\nip prefix-list PL seq 20 permit 11.0.0.0/8\n"
                     "route-map RM permit 10\n match ip address prefix-list PL\n")
    result = diff(running, intended)
    assert emit(remediate(result)) == ("no ip prefix-list PL seq 10 permit 10.0.0.0/8\n"
                                       "ip prefix-list PL seq 10 permit 10.1.0.0/16\n")
    assert not diff(predict(result), intended)


APPLIED = """interface GigabitEthernet0/1
 description WAN
 ip access-group EDGE-IN in
ip access-list extended EDGE-IN
 permit tcp any host 192.0.2.10 eq 443
 permit udp any any eq 123
 deny ip any any log
"""


def test_applied_acl_is_edited_in_place_new_entries_first():
    running = parse(APPLIED)
    intended = parse(APPLIED.replace(" permit udp any any eq 123\n",
                                     " permit udp any any eq 123\n permit icmp any any echo-reply\n"
                                     ).replace(" permit tcp any host 192.0.2.10 eq 443\n", ""))
    result = diff(running, intended)
    commands = emit(remediate(result))
    assert "no ip access-list" not in commands
    assert commands == ("ip access-list resequence EDGE-IN 10 10\nip access-list extended EDGE-IN\n"
                        " 25 permit icmp any any echo-reply\n no 10\n")
    assert predict(result) == intended


def test_banner_is_sent_with_a_delimiter_that_can_be_typed():
    running = parse("hostname r1\n")
    intended = parse("hostname r1\nbanner motd ^C\nAuthorised access only\n^C\n")
    result = diff(running, intended)
    plan = remediate(result)
    assert emit(plan) == "banner motd #\nAuthorised access only\n#\n"
    assert "[note] sent with the delimiter '#'" in plan.as_text()
    assert predict(result) == intended  # the device shows it as ^C again
    with_hash = parse("hostname r1\nbanner motd ^C\nroom #4 only\n^C\n")
    assert emit(remediate(diff(running, with_hash))).startswith("banner motd %\nroom #4 only\n%")


def test_banner_typed_with_another_delimiter_is_the_same_banner():
    assert parse("banner login #LAB#\nbanner motd $\nhi\n$\n") == parse(
        "banner login ^CLAB^C\nbanner motd ^C\nhi\n^C\n")


@pytest.mark.parametrize("char", ["\x1a", "\x15", "\x08", "\x7f", "\x00", "\x1b"])
def test_a_line_with_a_control_character_is_skipped_with_c101(char: str) -> None:
    # Kept, it would be a command: Ctrl-Z (\x1a) in it leaves configuration mode on send.
    tree = parse(f"interface Gi1\n description a{char}end\n description ok\n", "ios", path="r1")
    assert [c.text for c in tree.children[0].children] == ["description ok"]
    assert [(d.code, d.location.line) for d in tree.diagnostics] == [("C101", 2)]
