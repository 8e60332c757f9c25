"""The rule table a dialect is made of: frozen, slotted records and no behaviour.

The engine loops over these tables (first match wins) and never asks which
dialect it is working on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from unet.config._match import Match

__all__ = [
    "CascadeRule",
    "DialectRules",
    "ExitRule",
    "IdempotentRule",
    "Match",
    "NegationRule",
    "OpaqueBlock",
    "OrderRule",
    "SecretRule",
    "WeightRule",
]


@dataclass(frozen=True, slots=True)
class ExitRule:
    """A section matching `match` ends with `text` (stripped on parse, re-emitted on output)."""

    match: Match
    text: str


@dataclass(frozen=True, slots=True)
class NegationRule:
    """How to remove a line: `template` with `{0}` = the line and `{1}`… = capture groups."""

    match: Match
    template: str


@dataclass(frozen=True, slots=True)
class CascadeRule:
    """Negating a line matching `match` also removes, anywhere under the same parent, the
    lines matching `removes` (a regex template formatted with the capture groups)."""

    match: Match
    removes: str


@dataclass(frozen=True, slots=True)
class IdempotentRule:
    """Lines matching `match` under one parent are one slot, keyed by the capture groups:
    a change is a replacement. `overwrite=False` means the device needs the old line
    negated before the new one is accepted (ACL sequence numbers)."""

    match: Match
    overwrite: bool = True


@dataclass(frozen=True, slots=True)
class OrderRule:
    """The children of sections matching `match` are order-sensitive. With `seq` (a
    prefix regex capturing a sequence number) edits are per entry; otherwise the section
    is re-sent whole: negated first, or (`redefine=True`) simply restated."""

    match: Match
    seq: str | None = None
    redefine: bool = False


@dataclass(frozen=True, slots=True)
class WeightRule:
    """Remediation phase for top-level sections: negative = created early and removed late
    (things that are referenced: ACLs, VRFs, route-maps), positive = applied late."""

    match: Match
    weight: int


@dataclass(frozen=True, slots=True)
class OpaqueBlock:
    """A multi-line block kept as one leaf. It starts at a line beginning with `prefix`
    (under a lineage matching `within`, if given). `end` is the closing line; with
    `delimited` the delimiter is the character(s) after the `skip` words of the first line
    (banners), and `end` is used when no delimiter is given (EOS `EOF`)."""

    prefix: str
    end: str
    delimited: bool = False
    skip: int = 0
    within: Match | None = None


@dataclass(frozen=True, slots=True)
class SecretRule:
    """A config line that carries secrets: in a line containing `keyword` (any case) where
    `pattern` is found, every capturing group of the pattern is a secret. With `within`,
    only lines directly under a section whose line `within` finds (their parent) count."""

    keyword: str
    pattern: re.Pattern[str]
    within: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class DialectRules:
    """Everything that makes one dialect different from another."""

    name: str
    syntax: str = "indent"  # "indent" or "junos": picks the parser and emitter
    indent: int = 1
    comment_prefixes: tuple[str, ...] = ("!",)
    keep_prefixes: tuple[str, ...] = ()  # comment-looking lines that are config (EOS `!!`)
    noise_prefixes: tuple[str, ...] = ()
    noise_lines: tuple[str, ...] = ()
    negation_prefix: str = "no "
    exits: tuple[ExitRule, ...] = ()
    negations: tuple[NegationRule, ...] = ()
    cascades: tuple[CascadeRule, ...] = ()
    idempotent: tuple[IdempotentRule, ...] = ()
    ordered: tuple[OrderRule, ...] = ()
    weights: tuple[WeightRule, ...] = ()
    opaque: tuple[OpaqueBlock, ...] = ()
    join_keywords: frozenset[str] = frozenset()  # JunOS brace output: `unit 0 {`
    signatures: tuple[tuple[str, int], ...] = ()  # (regex, score) for detect_dialect
    aliases: tuple[str, ...] = ()
