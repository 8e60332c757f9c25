"""Arista EOS: three spaces per level; `!!` comments are stored config; `EOF` banners."""

from __future__ import annotations

from unet.config.dialects._common import (
    BANNERS,
    CASCADES,
    IDEMPOTENT,
    NEGATIONS,
    NOISE_LINES,
    NOISE_PREFIXES,
    ORDERED,
    PROTECT,
    WEIGHTS,
    m,
)
from unet.config.rules import DefaultRule, DialectRules, NegationRule, ProtectRule

__all__ = ["RULES"]

RULES = DialectRules(
    name="eos",
    indent=3,
    keep_prefixes=("!!",),
    noise_lines=NOISE_LINES,
    noise_prefixes=NOISE_PREFIXES,
    exits=(),  # no `exit-address-family`: the device neither prints nor needs it
    negations=(NegationRule(m("interface ((?:Ethernet|Management)[0-9/]+)"),
                            "default interface {1}"), *NEGATIONS),
    cascades=CASCADES,
    idempotent=IDEMPOTENT,
    ordered=ORDERED,
    weights=WEIGHTS,
    opaque=BANNERS,
    protect=(
        ProtectRule(m("interface Management[0-9/]+"), "management interface"),
        ProtectRule(m("vrf instance (?:MGMT|mgmt|management)"), "the management VRF"),
        ProtectRule(m("management (?:api|ssh) .*"), "management access (eAPI, SSH)"),
        *PROTECT,
    ),
    # Ports are up by default and the device never shows `no shutdown` on them.
    defaults=(
        DefaultRule(m("interface Ethernet[0-9/]+"), hidden=("no shutdown",), keep=("shutdown",),
                    resident=True),
        DefaultRule(m("interface .*"), hidden=("no shutdown",)),
    ),
    signatures=(
        ("^!!", 2),
        ("^management api ", 3),
        ("^! device: ", 3),
        ("^transceiver qsfp", 2),
        ("^interface Ethernet\\d+$", 1),
        ("^ +ip address \\d+\\.\\d+\\.\\d+\\.\\d+/\\d+", 1),
    ),
    aliases=("arista_eos", "arista"),
)
