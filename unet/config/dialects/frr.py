"""FRRouting (`vtysh`): one space per level; sections end with `exit`, `exit-vrf` and
`exit-address-family`; `no` negation.

`show running-config` wraps the configuration in `Building configuration...`,
`Current configuration:`, `frr version …`, `frr defaults …` and `end`, which are noise:
the version line changes with every upgrade and says nothing about the intent.
"""

from __future__ import annotations

from unet.config.dialects._common import m, mm
from unet.config.rules import (
    CascadeRule,
    DialectRules,
    ExitRule,
    IdempotentRule,
    NegationRule,
    ProtectRule,
    WeightRule,
)

__all__ = ["RULES"]

# Sections `vtysh` closes with a line of their own, innermost first (first match wins).
EXITS = (
    ExitRule(m("router bgp .*||address-family .*"), "exit-address-family"),
    ExitRule(m("router bgp .*||vnc .*"), "exit-vnc"),
    ExitRule(m("router bgp .*||segment-routing srv6"), "exit"),
    ExitRule(m("vrf .*"), "exit-vrf"),
    ExitRule(m("key chain .*||key .*"), "exit"),
    ExitRule(m("bfd||(?:peer|profile) .*"), "exit"),
    ExitRule(m("mpls ldp||address-family .*"), "exit-address-family"),
    ExitRule(m("(?:interface|router|route-map|key chain|nexthop-group|pseudowire|"
               "segment-routing|bfd|mpls ldp|pbr-map|line vty|rpki|affinity-map|"
               "srv6)(?: .*)?"), "exit"),
)

RULES = DialectRules(
    name="frr",
    indent=1,
    noise_lines=("Building configuration...", "Current configuration:", "end"),
    noise_prefixes=("frr version ", "frr defaults ", "Current configuration"),
    exits=EXITS,
    negations=(
        NegationRule(mm("description .*"), "no description"),
        NegationRule(m("router bgp .*||neighbor (\\S+) remote-as .*"), "no neighbor {1}"),
        NegationRule(m("router bgp .*||neighbor (\\S+) peer-group"), "no neighbor {1}"),
        NegationRule(m("ip prefix-list (\\S+) description .*"),
                     "no ip prefix-list {1} description"),
    ),
    cascades=(
        CascadeRule(m("router bgp .*||neighbor (\\S+) remote-as .*"), "neighbor {1} .*"),
        CascadeRule(m("router bgp .*||neighbor (\\S+) peer-group"), "neighbor {1} .*"),
    ),
    idempotent=(
        IdempotentRule(m("hostname .*")),
        IdempotentRule(mm("description .*")),
        IdempotentRule(m("router bgp .*||bgp router-id .*")),
        IdempotentRule(m("router (?:ospf|ospf6)(?: .*)?||(?:ospf )?router-id .*")),
        IdempotentRule(mm("neighbor (\\S+) description .*")),
        IdempotentRule(mm("neighbor (\\S+) remote-as .*")),
        IdempotentRule(m("line vty||exec-timeout .*")),
        IdempotentRule(m("log syslog(?: .*)?")),
        IdempotentRule(m("log timestamp precision .*")),
        IdempotentRule(m("interface .*||bandwidth .*")),
        # BGP settings FRR overwrites in place (checked on lab routers): negating first
        # would drop the session's setting, or the session, in between.
        IdempotentRule(m("router bgp .*||timers bgp .*")),
        IdempotentRule(mm("neighbor (\\S+) password .*")),
        IdempotentRule(mm("neighbor (\\S+) ebgp-multihop(?: .*)?")),
        IdempotentRule(mm("neighbor (\\S+) timers connect .*")),
        IdempotentRule(mm("neighbor (\\S+) timers (?!connect ).*")),
        IdempotentRule(mm("neighbor (\\S+) update-source .*")),
        IdempotentRule(mm("neighbor (\\S+) maximum-prefix .*")),
        IdempotentRule(mm("neighbor (\\S+) weight .*")),
        IdempotentRule(mm("neighbor (\\S+) route-map \\S+ (in|out)")),  # one per direction
        # Numbered entries: FRR replaces what holds the number (checked on lab routers), so
        # the new entry is sent alone; negating the old one afterwards would delete the slot.
        IdempotentRule(m("(ip|ipv6) prefix-list (\\S+) seq (\\d+) .*")),
        IdempotentRule(m("(ipv6 )?access-list (\\S+) seq (\\d+) .*")),
        IdempotentRule(m("bgp (?:community|large-community|extcommunity)-list "
                         "(?:standard|expanded) (\\S+) seq (\\d+) .*")),
        IdempotentRule(m("bgp as-path access-list (\\S+) seq (\\d+) .*")),
        IdempotentRule(m("route-map (\\S+) (?:permit|deny) (\\d+)")),
        IdempotentRule(m("route-map .*||set (local-preference|metric|weight|origin|tag|community"
                         "|large-community|as-path prepend|ip next-hop) .*")),
        IdempotentRule(m("route-map .*||match (ip address prefix-list|ipv6 address prefix-list"
                         "|ip address|community|large-community|as-path) .*")),
    ),
    protect=(
        ProtectRule(m("ip route 0\\.0\\.0\\.0/0 .*"), "the default route"),
        ProtectRule(m("ipv6 route ::/0 .*"), "the default route"),
        ProtectRule(m("line vty"), "remote access to vtysh"),
    ),
    weights=(
        WeightRule(m("vrf .*"), -20),
        WeightRule(m("key chain .*"), -10),
        WeightRule(m("(?:ip|ipv6) prefix-list .*"), -10),
        WeightRule(m("bgp (?:as-path access-list|community-list|extcommunity-list|"
                     "large-community-list) .*"), -10),
        WeightRule(m("route-map .*"), -5),
        WeightRule(m("line vty"), 10),
    ),
    signatures=(
        ("^frr version ", 5),
        ("^frr defaults ", 5),
        ("^exit-vrf$", 2),
        ("^service integrated-vtysh-config$", 3),
        ("^exit$", 1),
    ),
    aliases=("frrouting", "vtysh"),
)
