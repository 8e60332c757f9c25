"""Juniper JunOS: braces or `set` lines, one word per tree level, `delete` to remove."""

from __future__ import annotations

from unet.config.dialects._common import m, mm
from unet.config.rules import DialectRules, IdempotentRule, WeightRule

__all__ = ["RULES"]

# Single-valued statements: `set … description "x"` overwrites the old value.
_SINGLE = (
    "description", "host-name", "domain-name", "peer-as", "local-as", "type", "mtu",
    "router-id", "autonomous-system", "vlan-id", "local-address", "time-zone", "location",
    "contact", "encapsulation", "speed", "preference", "metric",
)

RULES = DialectRules(
    name="junos",
    syntax="junos",
    indent=4,
    comment_prefixes=("#",),
    negation_prefix="delete ",
    idempotent=tuple(IdempotentRule(mm(f"{word}||.*")) for word in _SINGLE),
    weights=(WeightRule(m("firewall"), -10), WeightRule(m("policy-options"), -10)),
    # Brace output: a keyword and its name share one statement (`unit 0 {`).
    join_keywords=frozenset(
        {
            "unit", "family", "group", "neighbor", "term", "filter", "route", "policy-statement",
            "prefix-list", "server", "interface", "vlan", "address", "instance", "area",
            "community", "user", "class", "from", "then", "rib", "source-address",
            "destination-address", "next-hop", "apply-groups", "members", "host",
        }
    ),
    signatures=(
        ("^set ", 1),
        ("^[a-z-]+ \\{$", 3),
        ("^    [a-z-]+ [^;]*;$", 1),
        ("^## Last commit", 5),
        ("^version \\d+\\.\\d+R", 5),
    ),
    aliases=("juniper", "juniper_junos"),
)
