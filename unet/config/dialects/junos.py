"""Juniper JunOS: braces or `set` lines, one word per tree level, `delete` to remove."""

from __future__ import annotations

from unet.config.dialects._common import m, mm
from unet.config.rules import (
    BraceRule,
    DialectRules,
    IdempotentRule,
    OrderRule,
    ProtectRule,
    VolatileRule,
    WeightRule,
)

__all__ = ["RULES"]

# Single-valued statements: `set … description "x"` overwrites the old value.
_SINGLE = (
    "description", "host-name", "domain-name", "peer-as", "local-as", "type", "mtu",
    "router-id", "autonomous-system", "vlan-id", "local-address", "time-zone", "location",
    "contact", "encapsulation", "speed", "preference", "metric",
)


def _rules(kind: str, *expressions: str, values: int = 1, inline: bool = False,
           ) -> tuple[BraceRule, ...]:
    return tuple(BraceRule(mm(e), kind, values, inline) for e in expressions)


# How JunOS prints each statement in brace form (first match wins; a lineage pattern ends
# at the keyword). Words not listed print by the shape of what follows them.
BRACE = (
    # Context first: the same keyword is another statement elsewhere.
    *_rules("named", "firewall||family||*||filter", "firewall||filter", "firewall||policer",
            "firewall||family||*||policer"),
    *_rules("block", "family||*||filter"),  # interfaces … family inet filter { input F; }
    *_rules("leaf", "then||community"),  # then community add C;
    *_rules("list", "from||community", "from||prefix-list", "from||policy", "from||protocol",
            "from||neighbor", "from||interface", "from||as-path", "to||protocol"),
    *_rules("block", "from||source-address", "from||destination-address", "from||address",
            "from||prefix-list-filter"),
    *_rules("list", "match||source-address", "match||destination-address",
            "match||application", "match||source-identity"),
    *_rules("block", "policy||*||then"),  # security policies: then { permit; }
    *_rules("named", "address-book||*||address", "address-book||*||address-set",
            "policy-options||community", "as-path", inline=True),
    *_rules("named", "static||route", "rib||*||static||route", "aggregate||route",
            "generate||route", inline=True),
    *_rules("named", "pic||*||port", "syslog||user", "syslog||host", "syslog||file"),
    *_rules("named", "interfaces||interface-range"),
    *_rules("leaf", "ntp||server", "traceoptions||file"),
    # Containers whose children are names (`vlan` under `interfaces` is an interface).
    *_rules("names", "interfaces", "vlans", "routing-instances", "groups", "bridge-domains",
            "logical-systems", "address-book"),
    *_rules("oneline", "from", "then", "to"),
    *_rules("block", "system", "services", "protocols", "policy-options", "routing-options",
            "security", "zones", "policies", "firewall", "snmp", "chassis", "class-of-service",
            "forwarding-options", "event-options", "login", "syslog", "ntp", "match",
            "name-server", "root-authentication", "authentication", "static", "ssh", "netconf",
            "host-inbound-traffic", "dhcp-local-server", "access", "applications",
            "ethernet-switching", "switch-options", "ipv6", "inet", "inet6", "evpn", "ospf",
            "ospf3", "bgp", "isis", "ldp", "mpls", "rsvp", "lldp", "igmp-snooping", "rstp",
            "vstp", "mstp", "traceoptions"),
    *_rules("named", "unit", "family", "term", "policy-statement", "prefix-list", "group",
            "neighbor", "area", "interface", "interface-range", "security-zone",
            "functional-zone", "from-zone", "to-zone", "policy", "user", "class", "host",
            "server", "peer", "filter", "address", "community", "application",
            "application-set", "instance", "rib", "fpc", "pic", "vrrp-group", "rule-set",
            "rule", "pool", "ike", "gateway", "proposal", "vpn", "policer", "scheduler",
            "scheduler-map", "forwarding-class", "file", "label-switched-path", "path",
            "profile", "dynamic-profile"),
    *_rules("leaf", "route-filter", "source-address-filter", "local-as", "autonomous-system",
            "client-identifier", "archive", "as-path-prepend", "next", "encrypted-password",
            "authentication-key"),
    *_rules("list", "members", "apply-groups", "apply-groups-except", "input-list",
            "output-list", "export", "import", "next-hop", "destination-port", "source-port",
            "port", "protocol", "authentication-order", "vlan-id-list", "tcp-flags",
            "icmp-type", "dscp", "vrf-import", "vrf-export"),
)

# What remediation never deletes without --allow-protected (word lineages).
PROTECT = (
    ProtectRule(m("system||root-authentication"),
                "root authentication: without it the commit fails"),
    ProtectRule(m("system||login"), "local users and login classes: out-of-band access"),
    ProtectRule(m("interfaces||(?:fxp0|em0|em1|me0|vme|re0:mgmt-0|re1:mgmt-0)"),
                "management interface: out-of-band access"),
    ProtectRule(m("routing-options||static||route||0\\.0\\.0\\.0/0"), "the default route"),
    ProtectRule(m("routing-options||rib||inet6?\\.0||static||route||(?:0\\.0\\.0\\.0/0|::/0)"),
                "the default route"),
    ProtectRule(m("routing-instances||mgmt_junos"), "management routing instance"),
    ProtectRule(m("system||services||ssh"), "SSH access to the device"),
)

RULES = DialectRules(
    name="junos",
    syntax="junos",
    indent=4,
    comment_prefixes=("#",),
    negation_prefix="delete ",
    idempotent=tuple(IdempotentRule(mm(f"{word}||.*")) for word in _SINGLE),
    # Terms (policies, filters) and security policies are evaluated in order; a new one is
    # appended by `set`, so its place is fixed with `insert`.
    ordered=(
        OrderRule(mm("policy-statement||*||term"),
                  insert="insert {path} {item} {where} {keyword} {anchor}"),
        OrderRule(mm("filter||*||term"), insert="insert {path} {item} {where} {keyword} {anchor}"),
        OrderRule(mm("from-zone||*||to-zone||*||policy"),
                  insert="insert {path} {item} {where} {keyword} {anchor}"),
    ),
    weights=(WeightRule(m("firewall"), -10), WeightRule(m("policy-options"), -10)),
    protect=PROTECT,
    volatile=(VolatileRule(m("version"), "the software version, set by the image"),),
    brace=BRACE,
    signatures=(
        ("^set ", 1),
        ("^[a-z-]+ \\{$", 3),
        ("^    [a-z-]+ [^;]*;$", 1),
        ("^## Last commit", 5),
        ("^version \\d+\\.\\d+R", 5),
    ),
    aliases=("juniper", "juniper_junos"),
)
