"""Cisco IOS and IOS-XE: one space per level, `no` negation, `^C` banners."""

from __future__ import annotations

from unet.config.dialects._common import (
    BANNERS,
    CASCADES,
    EXITS,
    IDEMPOTENT,
    NEGATIONS,
    NOISE_LINES,
    NOISE_PREFIXES,
    ORDERED,
    PROTECT,
    VOLATILE,
    WEIGHTS,
    m,
)
from unet.config.rules import (
    DefaultRule,
    DialectRules,
    ListRule,
    NegationRule,
    OpaqueBlock,
    OrderRule,
    ProtectRule,
)

__all__ = ["RULES"]

# Physical ports cannot be deleted; they are reset to defaults instead.
PHYSICAL = (
    "interface ((?:GigabitEthernet|FastEthernet|TenGigabitEthernet|TwentyFiveGigE"
    "|FortyGigabitEthernet|HundredGigE|Ethernet|TwoGigabitEthernet|FiveGigabitEthernet"
    "|AppGigabitEthernet)[0-9/]+)"
)
_MGMT_VRF = "Mgmt-(?:vrf|intf)"

# IOS shows a typed banner delimiter as `^C` (it stores ETX).
_BANNER = OpaqueBlock("banner ", end="EOF", delimited=True, skip=2, shown="^C")

# Named ACLs: IOS numbers the entries 10, 20, … even when it does not show the numbers, so
# a change is made in place after `ip access-list resequence` (never by re-creating it).
_ACL = "ip access-list (?:standard|extended|role-based) (\\S+)"
_RESEQUENCE = "ip access-list resequence {1} {step} {step}"

# Numbered ACLs are top-level lines; any `no access-list N …` deletes the whole list N.
_NUMBERED = tuple(
    ListRule(m(f"access-list ({numbers}) (.*)"), edit=f"ip access-list {kind} {{1}}",
             remove="no access-list {1}", resequence=_RESEQUENCE)
    for kind, numbers in (("standard", "[1-9]|[1-9]\\d|1[3-9]\\d\\d"),
                          ("extended", "1\\d\\d|2[0-6]\\d\\d")))

RULES = DialectRules(
    name="ios",
    indent=1,
    noise_lines=NOISE_LINES,
    noise_prefixes=NOISE_PREFIXES,
    exits=EXITS,
    negations=(
        NegationRule(m(PHYSICAL), "default interface {1}"),
        NegationRule(m("interface (Vlan1)"), "default interface {1}"),  # cannot be deleted
        *NEGATIONS,
    ),
    cascades=CASCADES,
    idempotent=IDEMPOTENT,
    ordered=(OrderRule(m(_ACL), seq="(\\d+) ", resequence=_RESEQUENCE), *ORDERED),
    lists=_NUMBERED,
    weights=WEIGHTS,
    volatile=VOLATILE,
    opaque=(_BANNER, *BANNERS[1:]),
    banner_delimiters=("#", "%", "@", "~", "$", "|", "&"),
    protect=(
        ProtectRule(m("interface .*"), "management interface (in the management VRF)",
                    containing=f"(?:ip )?vrf forwarding {_MGMT_VRF}"),
        ProtectRule(m("interface (?:Management|mgmt)\\S*"), "management interface"),
        ProtectRule(m(f"(?:vrf definition|ip vrf) {_MGMT_VRF}"), "the management VRF"),
        ProtectRule(m("interface Vlan1"), "Vlan1 cannot be deleted; a reset removes its address"),
        *PROTECT,
    ),
    # A port's default state depends on the box: up on a switch, shut down on a router.
    profiles=(("switch", "spanning-tree mode .*|vlan internal allocation policy .*"
                         "|interface Vlan\\d+|switch \\d+ provision .*"),),
    profile_default="router",
    defaults=(
        DefaultRule(m(PHYSICAL), hidden=("no shutdown",), keep=("shutdown",),
                    profile="switch", resident=True),
        DefaultRule(m(PHYSICAL), hidden=("no shutdown",), shown=("no ip address", "shutdown"),
                    profile="router", resident=True),
        DefaultRule(m("interface Vlan1"), hidden=("no shutdown",), shown=("no ip address",),
                    keep=("shutdown",), resident=True),
        DefaultRule(m("interface .*"), hidden=("no shutdown",)),  # never shown when up
    ),
    signatures=(
        ("^Building configuration", 1),
        ("^interface (?:Gigabit|FastEthernet|TenGigabit)", 2),
        ("^ ip address \\d+\\.\\d+\\.\\d+\\.\\d+ \\d+\\.", 2),
        ("^service timestamps", 2),
        ("^ip (?:vrf|cef|classless)", 1),
    ),
    aliases=("iosxe", "cisco_ios", "cisco_xe"),
)
