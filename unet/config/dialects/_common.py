"""Rule rows shared by the Cisco-like dialects (data only)."""

from __future__ import annotations

from unet.config.rules import (
    CascadeRule,
    ExitRule,
    IdempotentRule,
    Match,
    NegationRule,
    OpaqueBlock,
    OrderRule,
    ProtectRule,
    VolatileRule,
    WeightRule,
)

__all__ = [
    "BANNERS",
    "CASCADES",
    "EXITS",
    "IDEMPOTENT",
    "NEGATIONS",
    "NOISE_LINES",
    "NOISE_PREFIXES",
    "ORDERED",
    "PROTECT",
    "VOLATILE",
    "WEIGHTS",
    "m",
    "mm",
]


def m(expression: str) -> Match:
    """A match anchored at the top level."""
    return Match.parse(expression, deferred=True)


def mm(expression: str) -> Match:
    """A match on the last levels of a lineage, at any depth."""
    return Match.parse(expression, anchored=False, deferred=True)


NOISE_LINES = ("Building configuration...", "end", "exit")  # `exit` leaves a mode; not config
# Volatile lines: they change without the configuration changing (timestamps, counters).
NOISE_PREFIXES = ("Current configuration :", "ntp clock-period ", "! Last configuration change",
                  "! NVRAM config last updated", "!Time:", "!Running configuration last done")

BANNERS = (
    OpaqueBlock("banner ", end="EOF", delimited=True, skip=2),
    OpaqueBlock("macro name ", end="@"),
    OpaqueBlock("certificate ", end="quit", within=m("crypto pki certificate chain .*")),
)

EXITS = (
    ExitRule(m("router bgp .*||address-family .*"), "exit-address-family"),
    ExitRule(m("router bgp .*||template peer-policy .*"), "exit-peer-policy"),
    ExitRule(m("router bgp .*||template peer-session .*"), "exit-peer-session"),
    ExitRule(m("router eigrp .*||address-family .*||af-interface .*"), "exit-af-interface"),
    ExitRule(m("router eigrp .*||address-family .*||topology .*"), "exit-af-topology"),
    ExitRule(m("router eigrp .*||address-family .*"), "exit-address-family"),
    ExitRule(m("vrf definition .*||address-family .*"), "exit-address-family"),
)

# Lines that name one slot: a new value overwrites the old one on the device.
IDEMPOTENT = (
    IdempotentRule(m("hostname .*")),
    IdempotentRule(m("banner (\\S+)(?:\\s[\\s\\S]*)?")),
    IdempotentRule(m("snmp-server location .*")),
    IdempotentRule(m("snmp-server contact .*")),
    IdempotentRule(m("ip domain[ -]name .*")),
    IdempotentRule(m("ip default-gateway .*")),
    IdempotentRule(m("logging source-interface .*")),
    IdempotentRule(m("ntp source .*")),
    IdempotentRule(m("route-map (\\S+) (?:permit|deny) (\\d+)")),
    IdempotentRule(m("ip prefix-list (\\S+) seq (\\d+) .*"), overwrite=False),
    IdempotentRule(m("ipv6 prefix-list (\\S+) seq (\\d+) .*"), overwrite=False),
    IdempotentRule(m("ip access-list .*||(\\d+) .*"), overwrite=False),
    IdempotentRule(m("ipv6 access-list .*||sequence (\\d+) .*"), overwrite=False),
    IdempotentRule(mm("description .*")),
    IdempotentRule(m("interface .*||ip address (?!.*secondary).*")),
    IdempotentRule(m("interface .*||ip vrf forwarding .*")),
    IdempotentRule(m("interface .*||vrf forwarding .*")),
    IdempotentRule(m("interface .*||vrf member .*")),
    IdempotentRule(m("interface .*||mtu .*")),
    IdempotentRule(m("interface .*||ip mtu .*")),
    IdempotentRule(m("interface .*||speed .*")),
    IdempotentRule(m("interface .*||duplex .*")),
    IdempotentRule(m("interface .*||encapsulation dot1[qQ] .*")),
    IdempotentRule(m("interface .*||switchport mode .*")),
    IdempotentRule(m("interface .*||switchport access vlan .*")),
    IdempotentRule(m("interface .*||switchport trunk native vlan .*")),
    IdempotentRule(m("interface .*||switchport trunk allowed vlan (?!add |remove |except ).*")),
    IdempotentRule(m("interface .*||channel-group (\\S+)(?: .*)?")),
    IdempotentRule(m("interface .*||ip (?:ospf )?(?:cost|priority) .*")),
    IdempotentRule(m("interface .*||load-interval .*")),
    IdempotentRule(m("interface .*||bandwidth .*")),
    IdempotentRule(m("vlan .*||name .*")),
    IdempotentRule(m("vrf definition .*||rd .*")),
    IdempotentRule(m("router bgp .*||bgp router-id .*")),
    IdempotentRule(m("router bgp .*||router-id .*")),
    IdempotentRule(m("router ospf .*||router-id .*")),
    IdempotentRule(mm("neighbor (\\S+) description .*")),
    IdempotentRule(mm("neighbor (\\S+) remote-as .*")),
    IdempotentRule(mm("neighbor (\\S+) update-source .*")),
    IdempotentRule(mm("neighbor (\\S+) route-map \\S+ (in|out)")),  # one per direction
    IdempotentRule(mm("neighbor (\\S+) password .*")),
    IdempotentRule(mm("neighbor (\\S+) timers .*")),
    IdempotentRule(mm("neighbor (\\S+) ebgp-multihop(?: .*)?")),
    IdempotentRule(mm("neighbor (\\S+) maximum-prefix .*")),
    IdempotentRule(m("router bgp .*||timers bgp .*")),
    IdempotentRule(m("router ospf .*||auto-cost reference-bandwidth .*")),
    IdempotentRule(m("interface .*||switchport voice vlan .*")),
    IdempotentRule(m("interface .*||ip ospf network .*")),
    IdempotentRule(m("interface .*||ip ospf (\\d+) area .*")),
    IdempotentRule(m("interface .*||ip ospf (hello|dead)-interval .*")),
    IdempotentRule(m("interface .*||standby (\\d+) priority .*")),
    IdempotentRule(m("interface .*||standby (\\d+) ip (?!.*secondary).*")),
    IdempotentRule(m("interface .*||storm-control (broadcast|multicast|unicast) level .*")),
    IdempotentRule(m("line .*||access-class \\S+ (in|out)(?: .*)?")),
    # One value each, replaced when typed again: negating first would drop the setting
    # (and clear the log buffer, or the enable secret) in between.
    IdempotentRule(m("logging buffered .*")),
    IdempotentRule(m("logging (trap|console|monitor) .*")),
    IdempotentRule(m("clock timezone .*")),
    IdempotentRule(m("clock summer-time .*")),
    IdempotentRule(m("spanning-tree mode .*")),
    IdempotentRule(m("vtp (mode|domain|version) .*")),
    IdempotentRule(m("service timestamps (debug|log) .*")),
    IdempotentRule(m("ip ssh (version|time-out|authentication-retries) .*")),
    IdempotentRule(m("ip (ssh|tftp|ftp|http|radius|tacacs) source-interface .*")),
    IdempotentRule(m("snmp-server trap-source .*")),
    IdempotentRule(m("snmp-server community (\\S+)(?: .*)?")),
    IdempotentRule(m("errdisable recovery interval .*")),
    IdempotentRule(m("enable secret .*")),
    IdempotentRule(m("line .*||exec-timeout .*")),
    IdempotentRule(m("line .*||transport input .*")),
    IdempotentRule(m("interface .*||ip access-group (?:\\S+) (in|out)")),
)

NEGATIONS = (
    NegationRule(m("banner (\\S+)(?:\\s[\\s\\S]*)?"), "no banner {1}"),
    NegationRule(m("username (\\S+) .*"), "no username {1}"),
    NegationRule(mm("description .*"), "no description"),
    NegationRule(m("ip access-list .*||(\\d+) .*"), "no {1}"),
    NegationRule(m("ipv6 access-list .*||sequence (\\d+) .*"), "no sequence {1}"),
    NegationRule(m("router bgp .*||neighbor (\\S+) remote-as .*"), "no neighbor {1}"),
    NegationRule(m("router bgp .*||neighbor (\\S+) peer-group"), "no neighbor {1}"),
    NegationRule(m("interface .*||switchport trunk allowed vlan .*"),
                 "no switchport trunk allowed vlan"),
    NegationRule(m("macro name (\\S+)[\\s\\S]*"), "no macro name {1}"),
    NegationRule(m("crypto pki certificate chain .*||certificate (.*?)\\n[\\s\\S]*"),
                 "no certificate {1}"),
)

CASCADES = (
    CascadeRule(m("router bgp .*||neighbor (\\S+) remote-as .*"), "neighbor {1} .*"),
    CascadeRule(m("router bgp .*||neighbor (\\S+) peer-group"), "neighbor {1} .*"),
)

ORDERED = (
    OrderRule(m("ip access-list .*"), seq="(\\d+) "),
    OrderRule(m("ipv6 access-list .*"), seq="sequence (\\d+) "),
    OrderRule(m("policy-map .*")),
)

# Lines the device writes itself: never a difference (what is dropped on reading is in
# NOISE_LINES and NOISE_PREFIXES above).
VOLATILE = (
    VolatileRule(m("version .*"), "the software version, set by the image"),
    VolatileRule(m("boot-(?:start|end)-marker"), "markers IOS writes around boot lines"),
)

# Never taken away without --allow-protected: what keeps the device reachable and manageable.
PROTECT = (
    ProtectRule(m("username .*"), "local user: the way in when AAA servers are unreachable"),
    ProtectRule(m("enable (?:secret|password) .*"), "the enable secret"),
    ProtectRule(m("aaa new-model"), "AAA: removing it changes how every session logs in"),
    ProtectRule(m("line (?:vty|con) .*"), "console and remote access lines"),
    ProtectRule(m("ip default-gateway .*"), "the default gateway of the management plane"),
    ProtectRule(m("ip route (?:vrf \\S+ )?0\\.0\\.0\\.0(?: 0\\.0\\.0\\.0|/0) .*"),
                "the default route"),
    ProtectRule(m("ipv6 route (?:vrf \\S+ )?::/0 .*"), "the default route"),
)

# Referenced objects are created first and removed last.
WEIGHTS = (
    WeightRule(m("feature .*"), -30),
    WeightRule(m("vrf (?:definition|context) .*"), -20),
    WeightRule(m("ip vrf .*"), -20),
    WeightRule(m("vlan .*"), -20),
    WeightRule(m("(?:ip|ipv6|mac) access-list .*"), -10),
    WeightRule(m("access-list .*"), -10),
    WeightRule(m("object-group .*"), -10),
    WeightRule(m("(?:ip|ipv6) prefix-list .*"), -10),
    WeightRule(m("ip (?:as-path|community-list|extcommunity-list) .*"), -10),
    WeightRule(m("key chain .*"), -10),
    WeightRule(m("class-map .*"), -10),
    WeightRule(m("route-map .*"), -5),
    WeightRule(m("policy-map .*"), -5),
    WeightRule(m("line .*"), 10),
)
