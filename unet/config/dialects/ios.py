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
    WEIGHTS,
    m,
)
from unet.config.rules import DialectRules, NegationRule

__all__ = ["RULES"]

# Physical ports cannot be deleted; they are reset to defaults instead.
PHYSICAL = (
    "interface ((?:GigabitEthernet|FastEthernet|TenGigabitEthernet|TwentyFiveGigE"
    "|FortyGigabitEthernet|HundredGigE|Ethernet|TwoGigabitEthernet|FiveGigabitEthernet"
    "|AppGigabitEthernet)[0-9/]+)"
)

RULES = DialectRules(
    name="ios",
    indent=1,
    noise_lines=NOISE_LINES,
    noise_prefixes=NOISE_PREFIXES,
    exits=EXITS,
    negations=(NegationRule(m(PHYSICAL), "default interface {1}"), *NEGATIONS),
    cascades=CASCADES,
    idempotent=IDEMPOTENT,
    ordered=ORDERED,
    weights=WEIGHTS,
    opaque=BANNERS,
    signatures=(
        ("^Building configuration", 1),
        ("^interface (?:Gigabit|FastEthernet|TenGigabit)", 2),
        ("^ ip address \\d+\\.\\d+\\.\\d+\\.\\d+ \\d+\\.", 2),
        ("^service timestamps", 2),
        ("^ip (?:vrf|cef|classless)", 1),
    ),
    aliases=("iosxe", "cisco_ios", "cisco_xe"),
)
