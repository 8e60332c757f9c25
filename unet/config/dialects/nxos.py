"""Cisco NX-OS: two spaces per level, `feature` lines, prefix-length addresses."""

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
    VOLATILE,
    WEIGHTS,
    m,
)
from unet.config.rules import DefaultRule, DialectRules, IdempotentRule, NegationRule, ProtectRule

__all__ = ["RULES"]

RULES = DialectRules(
    name="nxos",
    indent=2,
    noise_lines=NOISE_LINES,
    noise_prefixes=NOISE_PREFIXES,
    exits=(),  # no `exit-address-family`: the device neither prints nor needs it
    negations=(NegationRule(m("interface (Ethernet[0-9/]+)"), "default interface {1}"), *NEGATIONS),
    cascades=CASCADES,
    idempotent=(
        *IDEMPOTENT,
        IdempotentRule(m("router bgp .*||neighbor (\\S+)||remote-as .*")),
        IdempotentRule(m("interface .*||spanning-tree port type .*")),
    ),
    ordered=ORDERED,
    weights=WEIGHTS,
    volatile=VOLATILE,
    opaque=BANNERS,
    protect=(
        ProtectRule(m("interface mgmt0"), "management interface (it cannot be deleted)"),
        ProtectRule(m("vrf context management"), "the management VRF"),
        *PROTECT,
    ),
    # After `default interface` a port's admin state follows `system default switchport
    # shutdown`: a port that was shut down is shut down again.
    defaults=(DefaultRule(m("interface (Ethernet[0-9/]+)"), keep=("shutdown",), resident=True),),
    signatures=(
        ("^feature ", 3),
        ("^!Command: ", 3),
        ("^vdc ", 2),
        ("^interface Ethernet\\d+/\\d+", 1),
        ("^ +ip address \\d+\\.\\d+\\.\\d+\\.\\d+/\\d+", 1),
        ("^ +vrf member ", 1),
    ),
    aliases=("cisco_nxos", "nexus"),
)
