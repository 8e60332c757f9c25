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
    WEIGHTS,
    m,
)
from unet.config.rules import DialectRules, NegationRule

__all__ = ["RULES"]

RULES = DialectRules(
    name="eos",
    indent=3,
    keep_prefixes=("!!",),
    noise_lines=NOISE_LINES,
    noise_prefixes=NOISE_PREFIXES,
    exits=(),  # no `exit-address-family`: the device neither prints nor needs it
    negations=(NegationRule(m("interface (Ethernet[0-9/]+)"), "default interface {1}"), *NEGATIONS),
    cascades=CASCADES,
    idempotent=IDEMPOTENT,
    ordered=ORDERED,
    weights=WEIGHTS,
    opaque=BANNERS,
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
