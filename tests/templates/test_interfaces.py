from __future__ import annotations

import pytest

from unet.templates import INTERFACE_NAMES
from unet.templates._interfaces import canonical, short, split


@pytest.mark.parametrize(("name", "platform", "expected"), [
    ("Gi1/0/1", "ios", "GigabitEthernet1/0/1"),
    ("gi1/0/1", "ios", "GigabitEthernet1/0/1"),
    ("Te1/1/1", "iosxe", "TenGigabitEthernet1/1/1"),
    ("Twe1/0/1", "iosxe", "TwentyFiveGigE1/0/1"),
    ("Hu1/0/25", "ios", "HundredGigE1/0/25"),
    ("Po1", "ios", "Port-channel1"),
    ("Gig0/1.10", "ios", "GigabitEthernet0/1.10"),
    ("Lo0", "nxos", "loopback0"),
    ("Eth1/1", "nxos", "Ethernet1/1"),
    ("Et49/1", "eos", "Ethernet49/1"),
    ("Po1000", "eos", "Port-Channel1000"),
    ("BE10", "iosxr", "Bundle-Ether10"),
    ("Te0/0/0/1", "iosxr", "TenGigE0/0/0/1"),
    ("GigabitEthernet1/0/1", "ios", "GigabitEthernet1/0/1"),
    ("Loop0", "ios", "Loopback0"),  # a unique prefix of a canonical name
])
def test_canonical(name: str, platform: str, expected: str) -> None:
    assert canonical(name, platform) == expected


@pytest.mark.parametrize(("name", "platform", "expected"), [
    ("GigabitEthernet1/0/1", "ios", "Gi1/0/1"),
    ("TwentyFiveGigE1/0/1", "iosxe", "Twe1/0/1"),
    ("Ethernet1/1", "nxos", "Eth1/1"),
    ("Management1", "eos", "Ma1"),
    ("et-0/0/0", "junos", "et-0/0/0"),
])
def test_short(name: str, platform: str, expected: str) -> None:
    assert short(name, platform) == expected


def test_round_trip_for_every_row() -> None:
    for platform, rows in INTERFACE_NAMES.items():
        for row in rows:
            assert canonical(short(row.canonical + "1", platform), platform) == row.canonical + "1"


def test_errors() -> None:
    with pytest.raises(ValueError, match="ambiguous interface type 'T' for ios"):
        canonical("T1", "ios")
    with pytest.raises(ValueError, match="unknown platform 'vyos'"):
        canonical("eth0", "vyos")
    assert split("Port-channel1") == ("Port-channel", "1")
    assert split("Vlan") == ("Vlan", "")
