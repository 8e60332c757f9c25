from __future__ import annotations

import pytest

from unet.templates import FILTERS, FilterError


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("address", "10.0.0.1/24", "10.0.0.1"),
    ("prefixlen", "10.0.0.1/24", 24),
    ("netmask", "10.0.0.1/24", "255.255.255.0"),
    ("netmask", "10.0.0.1", "255.255.255.255"),
    ("wildcard", "10.0.0.1/24", "0.0.0.255"),
    ("hostmask", "10.1.0.0/31", "0.0.0.1"),
    ("network", "10.0.0.1/24", "10.0.0.0/24"),
    ("network_address", "10.0.0.1/24", "10.0.0.0"),
    ("ip_netmask", "10.0.0.1/24", "10.0.0.1 255.255.255.0"),
    ("prefix_to_netmask", "10.0.0.1/24", "10.0.0.1 255.255.255.0"),
    ("ip_wildcard", "10.1.0.3/31", "10.1.0.2 0.0.0.1"),
    ("address", "10.0.0.1 255.255.255.0", "10.0.0.1"),
    ("network", "2001:db8::1/64", "2001:db8::/64"),
    ("vlan_ranges", [1, 2, 3, 5, 10, 11], "1-3,5,10-11"),
    ("vlan_ranges", [11, "10", 10], "10-11"),
    ("vlan_ranges", {10: "USERS", 20: "VOICE"}, "10,20"),
    ("vlan_list", "1-3,5", [1, 2, 3, 5]),
    ("vlan_list", 7, [7]),
    ("vlan_list", ["1-2", 4], [1, 2, 4]),
    ("interface_canonical", "Gi1/0/1", "GigabitEthernet1/0/1"),
    ("interface_short", "GigabitEthernet1/0/1", "Gi1/0/1"),
])
def test_filters(name: str, value: object, expected: object) -> None:
    assert FILTERS[name](value) == expected


def test_nth_host() -> None:
    assert FILTERS["nth_host"]("10.0.0.0/24", 1) == "10.0.0.1"
    assert FILTERS["nth_host"]("10.0.0.0/24", -1) == "10.0.0.255"
    with pytest.raises(FilterError, match=r"not a host number inside 10\.0\.0\.0/24"):
        FILTERS["nth_host"]("10.0.0.0/24", 300)


def test_interface_filters_take_a_platform() -> None:
    assert FILTERS["interface_canonical"]("Eth1/1", "nxos") == "Ethernet1/1"
    assert FILTERS["interface_short"]("Port-Channel1000", "eos") == "Po1000"
    assert FILTERS["interface_canonical"]("xe-0/0/0", "junos") == "xe-0/0/0"


@pytest.mark.parametrize(("name", "value", "message"), [
    ("netmask", "banana", r"netmask: 'banana' is not an IP address or prefix"),
    ("address", "10.0.0.300/24", "address: '10.0.0.300/24' is not"),
    ("vlan_ranges", [1, 5000], "VLAN 5000 is outside 1-4094"),
    ("vlan_ranges", ["x"], "'x' is not a VLAN id"),
    ("vlan_list", "5-3", "runs backwards"),
    ("vlan_list", None, "expected a list of VLANs"),
    ("interface_canonical", "Banana1", "unknown interface type 'Banana' for ios"),
    ("interface_short", "1/0/1", "not an interface name"),
])
def test_filters_reject_bad_input(name: str, value: object, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        FILTERS[name](value)


@pytest.mark.parametrize("value", [
    'say "hi"', "a b", "x;y", "a\\b", "", "#x", "a/*b", "*/ end", "}", "noc@example.net",
    "2001:db8::/32", "ge-0/0/0.0", "$9$abc",
])
def test_junos_quote_makes_any_value_one_junos_word(value: str) -> None:
    """Whatever the data holds, the statement parses back to exactly that one value: a quote
    or `;` in a description cannot end the statement or add another."""
    from unet.config import parse

    tree = parse(f"snmp {{ location {FILTERS['junos_quote'](value)}; contact x; }}\n", "junos")
    assert tree.diagnostics == []
    (word,) = [n.text for n in tree.get("snmp").get("location").children]
    unquoted = word[1:-1].replace('\\"', '"').replace("\\\\", "\\") if word[0] == '"' else word
    assert unquoted == value
    assert [n.text for n in tree.get("snmp").children] == ["location", "contact"]
