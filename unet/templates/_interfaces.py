"""Interface naming per platform, as data: canonical names, short forms, accepted aliases.

`canonical("Gi1/0/1", "ios")` → `GigabitEthernet1/0/1`; `short(...)` the other way. A name's
type (the letters before the first digit) is looked up in the platform's table: first an exact
canonical name, short form or alias (case-insensitive), then a unique prefix of a canonical name.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["INTERFACE_NAMES", "InterfaceName", "canonical", "short", "split"]


class InterfaceName(NamedTuple):
    canonical: str
    short: str
    aliases: tuple[str, ...] = ()


def _table(*rows: tuple[str, str] | tuple[str, str, tuple[str, ...]]) -> tuple[InterfaceName, ...]:
    return tuple(InterfaceName(*row) for row in rows)


_IOS = _table(
    ("Ethernet", "Et", ("Eth",)),
    ("FastEthernet", "Fa"),
    ("GigabitEthernet", "Gi", ("Gig", "GE")),
    ("TwoGigabitEthernet", "Tw", ("Two",)),
    ("FiveGigabitEthernet", "Fi", ("Five",)),
    ("TenGigabitEthernet", "Te", ("Ten", "TenGig", "TenGigE")),
    ("TwentyFiveGigE", "Twe", ("TwentyFiveGigabitEthernet",)),
    ("FortyGigabitEthernet", "Fo", ("Forty", "FortyGigE")),
    ("FiftyGigE", "Fif", ("FiftyGigabitEthernet",)),
    ("HundredGigE", "Hu", ("HundredGigabitEthernet",)),
    ("TwoHundredGigE", "TH"),
    ("FourHundredGigE", "FH"),
    ("AppGigabitEthernet", "Ap"),
    ("Port-channel", "Po", ("PortChannel", "Port-Channel")),
    ("Loopback", "Lo"),
    ("Vlan", "Vl"),
    ("Tunnel", "Tu"),
    ("Serial", "Se"),
    ("Null", "Nu"),
    ("BDI", "BDI"),
    ("Dialer", "Di"),
    ("Virtual-Template", "Vt"),
)

_NXOS = _table(
    ("Ethernet", "Eth", ("Et", "Gi", "Te")),
    ("port-channel", "Po", ("PortChannel", "Port-channel")),
    ("loopback", "Lo"),
    ("Vlan", "Vlan", ("Vl",)),
    ("mgmt", "mgmt", ("Management", "Mg")),
    ("Tunnel", "Tu"),
    ("nve", "nve"),
)

_EOS = _table(
    ("Ethernet", "Et", ("Eth",)),
    ("Port-Channel", "Po", ("PortChannel", "Port-channel")),
    ("Loopback", "Lo"),
    ("Vlan", "Vl"),
    ("Management", "Ma", ("Mgmt",)),
    ("Vxlan", "Vx"),
    ("Tunnel", "Tu"),
)

_IOSXR = _table(
    ("GigabitEthernet", "Gi", ("Gig", "GE")),
    ("TenGigE", "Te", ("TenGigabitEthernet",)),
    ("TwentyFiveGigE", "TF", ("Twe",)),
    ("FortyGigE", "Fo", ("FortyGigabitEthernet",)),
    ("HundredGigE", "Hu", ("HundredGigabitEthernet",)),
    ("FourHundredGigE", "FH"),
    ("Bundle-Ether", "BE", ("Bundle",)),
    ("Loopback", "Lo"),
    ("MgmtEth", "Mg"),
    ("BVI", "BV"),
    ("tunnel-te", "tt"),
    ("Null", "Nu"),
)

# JunOS names ports by media and position (`xe-0/0/0`): nothing to expand or shorten.
INTERFACE_NAMES: dict[str, tuple[InterfaceName, ...]] = {
    "ios": _IOS,
    "iosxe": _IOS,
    "nxos": _NXOS,
    "eos": _EOS,
    "iosxr": _IOSXR,
    "junos": (),
    "frr": (),  # Linux interface names (eth0, lo, bond0.100): left as they are
}

_NAME = re.compile(r"\s*([A-Za-z][A-Za-z-]*?)\s*(\d.*)?\s*")


def split(name: str) -> tuple[str, str]:
    """`("Gi", "1/0/1")` for `Gi1/0/1`; raises ValueError when there is no type."""
    found = _NAME.fullmatch(str(name))
    if not found:
        raise ValueError(f"not an interface name: {name!r}")
    return found.group(1), found.group(2) or ""


def _entry(kind: str, platform: str) -> InterfaceName:
    table = _rows(platform)
    key = kind.lower()
    for row in table:
        if key in (row.canonical.lower(), row.short.lower(), *(a.lower() for a in row.aliases)):
            return row
    starts = [row for row in table if row.canonical.lower().startswith(key)]
    if len(starts) == 1:
        return starts[0]
    known = ", ".join(row.canonical for row in table)
    which = "ambiguous" if starts else "unknown"
    raise ValueError(f"{which} interface type {kind!r} for {platform} (known: {known})")


def _rows(platform: str) -> tuple[InterfaceName, ...]:
    try:
        return INTERFACE_NAMES[platform]
    except KeyError:
        choices = ", ".join(sorted(INTERFACE_NAMES))
        raise ValueError(f"unknown platform {platform!r} (choose from {choices})") from None


def canonical(name: str, platform: str = "ios") -> str:
    """The full name the device shows in its configuration."""
    if not _rows(platform):
        return str(name).strip()
    kind, rest = split(name)
    return _entry(kind, platform).canonical + rest


def short(name: str, platform: str = "ios") -> str:
    """The abbreviation the device shows in `show` output (`Gi1/0/1`)."""
    if not _rows(platform):
        return str(name).strip()
    kind, rest = split(name)
    return _entry(kind, platform).short + rest
