"""`apply`/`predict` model what the device does with a command, not what unet meant."""

from __future__ import annotations

from unet.config import Node, apply, emit, get_dialect, parse
from unet.config._tree import NEGATE

IOS = get_dialect("ios")


def negation(text: str, target: str) -> Node:
    commands = Node("")
    commands.add(text).tag = (NEGATE, target, None)
    return commands


def test_negating_one_numbered_acl_line_deletes_the_whole_list():
    running = parse("access-list 105 permit tcp any any eq 22\naccess-list 105 deny ip any any\n"
                    "access-list 10 permit any\n")
    after = apply(running, negation("no access-list 105 deny ip any any",
                                    "access-list 105 deny ip any any"), IOS)
    assert emit(after) == "access-list 10 permit any\n"


def test_negating_a_numbered_entry_removes_what_holds_the_number():
    running = parse("ip prefix-list PL seq 10 permit 10.1.0.0/16\n")
    after = apply(running, negation("no ip prefix-list PL seq 10 permit 10.0.0.0/8",
                                    "ip prefix-list PL seq 10 permit 10.0.0.0/8"), IOS)
    assert emit(after) == ""


def test_reset_port_keeps_existing_with_its_default_lines():
    running = parse("interface GigabitEthernet0/1\n description x\n ip address 1.1.1.1 255.0.0.0\n")
    after = apply(running, negation("default interface GigabitEthernet0/1",
                                    "interface GigabitEthernet0/1"), IOS, profile="router")
    assert emit(after) == "interface GigabitEthernet0/1\n no ip address\n shutdown\n"
    switch = apply(running, negation("default interface GigabitEthernet0/1",
                                     "interface GigabitEthernet0/1"), IOS, profile="switch")
    assert emit(switch) == "interface GigabitEthernet0/1\n"


def test_banner_typed_with_a_hash_is_stored_as_the_device_shows_it():
    commands = Node("")
    commands.add("banner motd #\nhello\n#")
    assert emit(apply(parse(""), commands, IOS)) == "banner motd ^C\nhello\n^C\n"
