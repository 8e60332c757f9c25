"""Cisco IOS-XR: `!` ends blocks, RPL bodies are order-sensitive and re-sent whole."""

from __future__ import annotations

from unet.config.dialects._common import (
    BANNERS,
    IDEMPOTENT,
    NOISE_LINES,
    NOISE_PREFIXES,
    WEIGHTS,
    m,
    mm,
)
from unet.config.rules import (
    DialectRules,
    ExitRule,
    IdempotentRule,
    NegationRule,
    OrderRule,
    ProtectRule,
    VolatileRule,
    WeightRule,
)

__all__ = ["RULES"]

_SETS = "(?:prefix-set|community-set|as-path-set|extcommunity-set \\S+|large-community-set|rd-set)"

RULES = DialectRules(
    name="iosxr",
    indent=1,
    noise_lines=NOISE_LINES,
    noise_prefixes=(*NOISE_PREFIXES, "RP/0/", "Building configuration"),
    # XR's own terminators; af-group, neighbor-group and session-group have none (the
    # device prints ` !` after them, and a command of the parent mode leaves them).
    exits=(
        ExitRule(m("route-policy .*"), "end-policy"),
        ExitRule(m(f"{_SETS} .*"), "end-set"),
        ExitRule(m("group .*"), "end-group"),
        ExitRule(m("template .*"), "end-template"),
    ),
    negations=(
        NegationRule(m("banner (\\S+)(?:\\s[\\s\\S]*)?"), "no banner {1}"),
        NegationRule(mm("description .*"), "no description"),
    ),
    idempotent=(
        *IDEMPOTENT,
        IdempotentRule(mm("remote-as .*")),
        IdempotentRule(m("interface .*||ipv4 address (?!.*secondary).*")),
    ),
    ordered=(
        OrderRule(m("route-policy .*"), redefine=True),
        OrderRule(m(f"{_SETS} .*"), redefine=True),
        OrderRule(m("ipv4 access-list .*"), seq="(\\d+) "),
        OrderRule(m("ipv6 access-list .*"), seq="(\\d+) "),
        OrderRule(m("policy-map .*")),
    ),
    weights=(
        *WEIGHTS,
        WeightRule(m(f"{_SETS} .*"), -10),
        WeightRule(m("route-policy .*"), -5),
        WeightRule(m("(?:ipv4|ipv6) access-list .*"), -10),
    ),
    opaque=BANNERS[:1],
    volatile=(
        VolatileRule(m("(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep"
                       "|Oct|Nov|Dec) .*"), "the time `show running-config` ran"),
        VolatileRule(m("version .*"), "the software version"),
    ),
    protect=(
        ProtectRule(m("interface MgmtEth\\S+"), "management interface"),
        ProtectRule(m("username .*"), "local user: the way in when AAA servers are unreachable"),
        ProtectRule(m("router static||address-family ipv4 unicast||0\\.0\\.0\\.0/0 .*"),
                    "the default route"),
        ProtectRule(m("router static||address-family ipv6 unicast||::/0 .*"), "the default route"),
        ProtectRule(m("vrf (?:MGMT|mgmt|management)"), "the management VRF"),
        ProtectRule(m("ssh server .*"), "SSH access to the device"),
        ProtectRule(m("line (?:console|default|template \\S+)"), "console and remote access lines"),
    ),
    signatures=(
        ("^RP/0/", 4),
        ("^end-policy", 3),
        ("^end-set", 3),
        ("^!! IOS XR", 4),
        ("^ ipv4 address ", 2),
        ("^route-policy ", 2),
        ("^interface (?:Gigabit|TenGig|HundredGig)E?\\S*\\d+/\\d+/\\d+/\\d+", 2),
    ),
    aliases=("cisco_xr", "xr"),
)
