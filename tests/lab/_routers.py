"""What each lab router is: addresses, BGP neighbours, policies, and its FRR configuration.

The configuration text is written as FRR's `show running-config` prints it, so the
repository the lab writes (whose templates render the same data) starts with no drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["LAB_ADDRESS", "PREFIX_LISTS", "SUBNET", "RouterSpec", "frr_config", "specs"]

SUBNET = "192.0.2.0/24"
LAB_ADDRESS = "192.0.2.1"  # the lab namespace's end of the bridge
FIRST_HOST = 11  # lab-r1 is 192.0.2.11
MAX_ROUTERS = 50

# Shared by every router (the `lab` group's vars in the repository).
PREFIX_LISTS: dict[str, list[dict[str, Any]]] = {
    "PL-LOOPBACKS": [{"seq": 5, "action": "permit", "prefix": "198.51.100.0/24", "le": 32}],
    "PL-BOGONS": [
        {"seq": 5, "action": "deny", "prefix": "0.0.0.0/8", "le": 32},
        {"seq": 10, "action": "deny", "prefix": "127.0.0.0/8", "le": 32},
        {"seq": 15, "action": "deny", "prefix": "224.0.0.0/4", "le": 32},
        {"seq": 20, "action": "permit", "prefix": "0.0.0.0/0", "le": 32},
    ],
}


@dataclass(frozen=True)
class RouterSpec:
    """One lab router as data: the same data the repository's device file holds."""

    index: int
    count: int
    neighbors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"lab-r{self.index}"

    @property
    def address(self) -> str:
        return f"192.0.2.{FIRST_HOST - 1 + self.index}"

    @property
    def asn(self) -> int:
        return 65000 + self.index

    @property
    def loopback(self) -> str:
        return f"198.51.100.{self.index}"

    @property
    def static_routes(self) -> list[dict[str, str]]:
        base = 16 * (self.index - 1) % 256
        return [{"prefix": f"10.{self.index}.0.0/16", "nexthop": "Null0"},
                {"prefix": f"203.0.113.{base}/28", "nexthop": "blackhole"}]


def specs(count: int) -> list[RouterSpec]:
    """`count` routers; each peers with the next and the previous one in a ring."""
    if not 1 <= count <= MAX_ROUTERS:
        raise ValueError(f"--devices must be between 1 and {MAX_ROUTERS}, got {count}")
    routers = []
    for index in range(1, count + 1):
        peers = sorted({(index % count) + 1, ((index - 2) % count) + 1} - {index})
        neighbors = [{"name": f"lab-r{p}", "address": f"192.0.2.{FIRST_HOST - 1 + p}",
                      "asn": 65000 + p} for p in peers]
        routers.append(RouterSpec(index, count, neighbors))
    return routers


def frr_config(spec: RouterSpec, version: str) -> str:
    """The router's configuration exactly as `show running-config` shows it."""
    lines = ["frr version " + version, "frr defaults traditional", f"hostname {spec.name}",
             "log syslog informational", "no ipv6 forwarding", "service integrated-vtysh-config",
             "!"]
    lines += [f"ip route {r['prefix']} {r['nexthop']}" for r in spec.static_routes]
    lines += ["!", "interface eth0", " description lab LAN", f" ip address {spec.address}/24",
              "exit", "!", "interface lo", f" ip address {spec.loopback}/32", "exit", "!"]
    lines += [f"router bgp {spec.asn}", f" bgp router-id {spec.loopback}",
              " no bgp ebgp-requires-policy"]
    for peer in spec.neighbors:
        lines += [f" neighbor {peer['address']} remote-as {peer['asn']}",
                  f" neighbor {peer['address']} description {peer['name']}"]
    lines += [" !", " address-family ipv4 unicast", f"  network {spec.loopback}/32"]
    for peer in spec.neighbors:
        lines += [f"  neighbor {peer['address']} route-map RM-LAB-IN in",
                  f"  neighbor {peer['address']} route-map RM-LAB-OUT out"]
    lines += [" exit-address-family", "exit", "!"]
    for name, entries in PREFIX_LISTS.items():
        lines += [f"ip prefix-list {name} seq {e['seq']} {e['action']} {e['prefix']} le {e['le']}"
                  for e in entries]
    lines += ["!", "bgp community-list standard CL-LAB seq 5 permit 65000:100", "!",
              "route-map RM-LAB-IN deny 5", " match ip address prefix-list PL-BOGONS", "exit",
              "!", "route-map RM-LAB-IN permit 10",
              " match ip address prefix-list PL-LOOPBACKS", " set local-preference 200", "exit",
              "!", "route-map RM-LAB-OUT permit 10",
              " match ip address prefix-list PL-LOOPBACKS",
              " set community 65000:100 additive", "exit", "!", "line vty", " exec-timeout 30 0",
              "exit", "!", "end"]
    return "\n".join(lines) + "\n"


def boot_config(spec: RouterSpec, version: str) -> str:
    """What the lab feeds `vtysh -f`: referenced objects before the sections that use them,
    and `ip forwarding` (the default `show running-config` leaves out)."""
    text = frr_config(spec, version).replace("no ipv6 forwarding\n",
                                             "ip forwarding\nno ipv6 forwarding\n")
    policy_start = text.index("ip prefix-list ")
    bgp_start = text.index("router bgp ")
    policy_end = text.index("line vty")
    return text[:bgp_start] + text[policy_start:policy_end] + text[bgp_start:policy_start] + \
        text[policy_end:]
