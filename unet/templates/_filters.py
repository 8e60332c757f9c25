"""Network filters for templates, on the standard library's `ipaddress`.

Each filter is a plain function (usable from Python too) that raises `FilterError` with a
message naming the filter and the bad value; rendering turns it into a T105 diagnostic.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from typing import Any

from unet.templates import _interfaces

__all__ = ["FILTERS", "FilterError"]

IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface
MAX_VLAN = 4094


class FilterError(ValueError):
    """A filter got a value it cannot work with."""


class FilterUsage(FilterError):
    """A filter was given arguments it does not take."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def _interface(value: Any, name: str) -> IPInterface:
    """An address with its prefix (`10.0.0.1/24`); a bare address is a host (/32, /128)."""
    if isinstance(value, ipaddress.IPv4Interface | ipaddress.IPv6Interface):
        return value
    if isinstance(value, ipaddress.IPv4Network | ipaddress.IPv6Network):
        return ipaddress.ip_interface(value.with_prefixlen)
    text = str(value).strip()
    if " " in text:  # "10.0.0.1 255.255.255.0", as IOS writes it
        text = text.replace(" ", "/", 1)
    try:
        return ipaddress.ip_interface(text)
    except ValueError:
        raise FilterError(f"{name}: {value!r} is not an IP address or prefix") from None


def address(value: Any) -> str:
    """`10.0.0.1/24` → `10.0.0.1`."""
    return str(_interface(value, "address").ip)


def prefixlen(value: Any) -> int:
    """`10.0.0.1/24` → `24`."""
    return _interface(value, "prefixlen").network.prefixlen


def netmask(value: Any) -> str:
    """`10.0.0.1/24` → `255.255.255.0`."""
    return str(_interface(value, "netmask").netmask)


def wildcard(value: Any) -> str:
    """`10.0.0.1/24` → `0.0.0.255` (the inverse mask of ACLs and OSPF)."""
    return str(_interface(value, "wildcard").network.hostmask)


def network(value: Any) -> str:
    """`10.0.0.1/24` → `10.0.0.0/24`."""
    return str(_interface(value, "network").network)


def network_address(value: Any) -> str:
    """`10.0.0.1/24` → `10.0.0.0`."""
    return str(_interface(value, "network_address").network.network_address)


def ip_netmask(value: Any) -> str:
    """`10.0.0.1/24` → `10.0.0.1 255.255.255.0` (IOS `ip address`)."""
    found = _interface(value, "ip_netmask")
    return f"{found.ip} {found.netmask}"


def ip_wildcard(value: Any) -> str:
    """`10.0.0.1/24` → `10.0.0.0 0.0.0.255` (IOS ACL and OSPF `network` statements)."""
    net = _interface(value, "ip_wildcard").network
    return f"{net.network_address} {net.hostmask}"


def nth_host(value: Any, n: int) -> str:
    """`10.0.0.0/24 | nth_host(1)` → `10.0.0.1`; negative counts from the end (-1 = broadcast)."""
    net = _interface(value, "nth_host").network
    try:
        return str(net[int(n)])
    except (IndexError, ValueError, TypeError):
        raise FilterError(f"nth_host: {n!r} is not a host number inside {net}") from None


def _platform(platform: str | None) -> str:
    return platform or "ios"


def interface_canonical(name: Any, platform: str | None = None) -> str:
    """`Gi1/0/1` → `GigabitEthernet1/0/1` (per platform; default ios)."""
    try:
        return _interfaces.canonical(str(name), _platform(platform))
    except ValueError as exc:
        raise FilterError(f"interface_canonical: {exc}") from None


def interface_short(name: Any, platform: str | None = None) -> str:
    """`GigabitEthernet1/0/1` → `Gi1/0/1` (per platform; default ios)."""
    try:
        return _interfaces.short(str(name), _platform(platform))
    except ValueError as exc:
        raise FilterError(f"interface_short: {exc}") from None


def _vlan(value: Any, name: str) -> int:
    try:
        vlan = int(str(value).strip())
    except ValueError:
        raise FilterError(f"{name}: {value!r} is not a VLAN id") from None
    if not 1 <= vlan <= MAX_VLAN:
        raise FilterError(f"{name}: VLAN {vlan} is outside 1-{MAX_VLAN}")
    return vlan


def vlan_ranges(values: Any) -> str:
    """`[1, 2, 3, 5, 10, 11]` → `1-3,5,10-11` (sorted, duplicates dropped)."""
    if isinstance(values, str | int):
        values = vlan_list(values)
    vlans = sorted({_vlan(v, "vlan_ranges") for v in _iterable(values, "vlan_ranges")})
    runs: list[list[int]] = []
    for vlan in vlans:
        if runs and vlan == runs[-1][1] + 1:
            runs[-1][1] = vlan
        else:
            runs.append([vlan, vlan])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def vlan_list(value: Any) -> list[int]:
    """`1-3,5` → `[1, 2, 3, 5]`; also takes a list of ids or ranges."""
    parts = str(value).split(",") if isinstance(value, str | int) else value
    vlans: set[int] = set()
    for part in _iterable(parts, "vlan_list"):
        first, _, last = str(part).strip().partition("-")
        low = _vlan(first, "vlan_list")
        high = _vlan(last, "vlan_list") if last else low
        if high < low:
            raise FilterError(f"vlan_list: range {part!r} runs backwards")
        vlans.update(range(low, high + 1))
    return sorted(vlans)


def _iterable(values: Any, name: str) -> Iterable[Any]:
    if isinstance(values, dict):  # `vlans: {10: USERS}` → its ids
        return values.keys()
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise FilterError(f"{name}: expected a list of VLANs, got {type(values).__name__}")
    return values


# A word JunOS itself shows unquoted: names, numbers, addresses, prefixes, interfaces.
# Anything else (spaces, `;`, braces, quotes, `#`, `@`, `$`, `*`) is shown quoted, as here.
_JUNOS_WORD = re.compile(r"[A-Za-z0-9._:/+\-]+")


def junos_quote(value: Any) -> str:
    """`say "hi"` → `"say \\"hi\\""`: a value as one JunOS word, quoted and escaped unless
    it is a plain word (`ge-0/0/0`, `2001:db8::/32`)."""
    text = str(value)
    if _JUNOS_WORD.fullmatch(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


FILTERS: dict[str, Callable[..., Any]] = {
    "address": address,
    "hostmask": wildcard,
    "interface_canonical": interface_canonical,
    "interface_short": interface_short,
    "ip_netmask": ip_netmask,
    "ip_wildcard": ip_wildcard,
    "junos_quote": junos_quote,
    "netmask": netmask,
    "network": network,
    "network_address": network_address,
    "nth_host": nth_host,
    "prefix_to_netmask": ip_netmask,
    "prefixlen": prefixlen,
    "vlan_list": vlan_list,
    "vlan_ranges": vlan_ranges,
    "wildcard": wildcard,
}
