"""Fuzzing the config parser of every dialect: garbled text gives a tree and warnings,
never an exception; the tree can be emitted, sliced, diffed and remediated.

Nesting stays under 40 levels here; configs hundreds of levels deep have their own tests.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import fuzz
from unet.config import (
    DIALECTS,
    ConfigTree,
    diff,
    emit,
    get_dialect,
    mask_secrets,
    parse,
    remediate,
    slice,
)
from unet.config.dialects._secret_table import SECRET_TABLES

CISCO_WORDS = [
    "hostname r1", "interface GigabitEthernet0/1", "interface Ethernet1/1", "description uplink",
    "ip address 10.0.0.1 255.255.255.0", "ip address 10.0.0.1/31", "shutdown", "no shutdown",
    "router bgp 65000", "address-family ipv4 unicast", "exit-address-family", "exit", "end",
    "neighbor 10.0.0.2 remote-as 65001", "ip access-list extended ACL", "10 permit ip any any",
    "permit tcp any any eq 22", "route-policy RP", "end-policy", "if destination in P then",
    "endif", "banner motd ^C", "banner login #", "hello ^C", "^C", "EOF", "!", "!!", "#",
    "version 15.2", "Building configuration...", "Current configuration : 1234 bytes",
    "crypto pki certificate chain TP", "certificate 01", "quit", "vrf context MGMT",
    "feature bgp", "snmp-server community PUBLIC RO", "line vty 0 4", "transport input ssh",
    "key 7 0822455D0A16", "tacacs server ISE", "spanning-tree port type edge", "mtu 9216",
    "default interface Gi1", "no ip redirects", "macro name M", "@", "interface Loopback0",
]
JUNOS_WORDS = [
    "system {", "host-name r1;", "}", "{", ";", "interfaces {", "ge-0/0/0 {", "unit 0 {",
    "family inet {", "address 10.0.0.1/31;", 'description "a b";', "set system host-name r1",
    "set interfaces ge-0/0/0 unit 0 family inet address 10.0.0.1/31", "delete system ntp",
    "deactivate interfaces ge-0/0/1", "inactive: ge-0/0/1 {", "protocols {", "bgp {",
    "group EBGP {", "neighbor 10.0.0.2;", "apply-groups G;", "## Last commit: 2024", "#",
    "/* comment */", "policy-options {", "community X members [ 65000:1 65000:2 ];",
    'secret "$9$abc"; ## SECRET-DATA', "members [", "]", "replace:", "version 22.4R3;",
    "snmp {", "community public {", "authorization read-only;", "\"", "set", "set ;",
]
INDENT = st.sampled_from(["", " ", "  ", "   ", "    ", "\t", " \t", "      "])


@st.composite
def config_text(draw: st.DrawFn, words: list[str]) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 9))
        if kind <= 6:
            line = draw(INDENT) * draw(st.integers(0, 3)) + draw(st.sampled_from(words))
        elif kind == 7:
            line = draw(st.text(max_size=30))
        elif kind == 8:
            depth = draw(st.integers(1, 38))
            line = "\n".join(" " * n + f"level{n}" for n in range(depth))
        else:
            line = draw(st.sampled_from(words)) + draw(st.text(" {};\"'!#\\^C\x00\u00e9", max_size=8))
        lines.append(line)
    ending = draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
    return ending.join(lines) + draw(st.sampled_from(["", ending]))


def _check_tree(tree: ConfigTree, dialect: str) -> None:
    assert isinstance(tree, ConfigTree)
    assert all(d.code.startswith("C") and d.location.line >= 1 for d in tree.diagnostics)
    forms = ("brace", "set") if get_dialect(dialect).syntax == "junos" else (None,)
    for form in forms:
        assert isinstance(emit(tree, dialect, form=form), str)
    slice(tree, "*||*")


# every indentation dialect there is (frr too, once it has a parser)
INDENTED = sorted({r.name for r in DIALECTS.values() if r.syntax == "indent"})


@pytest.mark.parametrize("dialect", INDENTED)
@fuzz(60)
@given(data=st.data())
def test_fuzz_parse_indented_dialects(dialect: str, data: st.DataObject) -> None:
    running = parse(data.draw(config_text(CISCO_WORDS)), dialect)
    intended = parse(data.draw(config_text(CISCO_WORDS)), dialect)
    _check_tree(running, dialect)
    changes = diff(running, intended)
    assert isinstance(emit(remediate(changes), dialect), str)


@pytest.mark.parametrize("form", ["brace", "set"])
@fuzz(60)
@given(data=st.data())
def test_fuzz_parse_junos(form: str, data: st.DataObject) -> None:
    words = [w for w in JUNOS_WORDS if w.startswith(("set ", "delete ", "deactivate ")) == (form == "set")]
    running = parse(data.draw(config_text(words + JUNOS_WORDS[:3])), "junos")
    intended = parse(data.draw(config_text(words)), "junos")
    _check_tree(running, "junos")
    assert isinstance(emit(remediate(diff(running, intended)), "junos", form="set"), str)


@fuzz(80)
@given(st.text(max_size=200), st.sampled_from([None, *sorted(SECRET_TABLES)]))
def test_fuzz_mask_any_text(text: str, dialect: str | None) -> None:
    masked = mask_secrets(text, dialect)
    assert mask_secrets(masked, dialect) == masked and masked.count("\n") == text.count("\n")
