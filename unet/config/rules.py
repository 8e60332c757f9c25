"""The rule table a dialect is made of: frozen, slotted records and no behaviour.

The engine loops over these tables (first match wins) and never asks which
dialect it is working on.
"""

from __future__ import annotations

import re

from unet.config._match import Match
from unet.core import record

__all__ = [
    "BraceRule",
    "CascadeRule",
    "DefaultRule",
    "DialectRules",
    "ExitRule",
    "IdempotentRule",
    "ListRule",
    "Match",
    "NegationRule",
    "OpaqueBlock",
    "OrderRule",
    "ProtectRule",
    "SecretRule",
    "VolatileRule",
    "WeightRule",
]


@record
class ExitRule:
    """A section matching `match` ends with `text` (stripped on parse, re-emitted on output)."""

    match: Match
    text: str


@record
class NegationRule:
    """How to remove a line: `template` with `{0}` = the line and `{1}`… = capture groups."""

    match: Match
    template: str


@record
class CascadeRule:
    """Negating a line matching `match` also removes, anywhere under the same parent, the
    lines matching `removes` (a regex template formatted with the capture groups)."""

    match: Match
    removes: str


@record
class IdempotentRule:
    """Lines matching `match` under one parent are one slot, keyed by the capture groups:
    a change is a replacement. `overwrite=False` means the device needs the old line
    negated before the new one is accepted (ACL sequence numbers)."""

    match: Match
    overwrite: bool = True


@record
class OrderRule:
    """The children of sections matching `match` are order-sensitive. With `seq` (a
    prefix regex capturing a sequence number) edits are per entry; otherwise the section
    is re-sent whole: negated first, or (`redefine=True`) simply restated.

    `resequence` (a command template; `{1}`… are the match's groups, `{step}` the
    numbering step) says the device numbers the entries itself (10, 20, …) without showing
    the numbers: the entries are renumbered with it and then edited in place by number.
    `entry` is how a numbered entry is typed. `insert` (JunOS) moves an entry: a template
    with `{path}`, `{item}`, `{where}` (before/after), `{keyword}` and `{anchor}`."""

    match: Match
    seq: str | None = None
    redefine: bool = False
    resequence: str | None = None
    entry: str = "{seq} {text}"
    insert: str | None = None


@record
class ListRule:
    """Sibling lines matching `match` form one ordered list keyed by group 1, the rest of
    the line (group 2) being the entry (IOS numbered ACLs: `access-list 105 permit …`).
    The device removes the whole list for any negation of one of its lines, so entries
    are edited in the `edit` section by sequence number after `resequence`; `remove` is
    the command that deletes the whole list."""

    match: Match
    edit: str
    remove: str
    resequence: str


@record
class WeightRule:
    """Remediation phase for top-level sections: negative = created early and removed late
    (things that are referenced: ACLs, VRFs, route-maps), positive = applied late."""

    match: Match
    weight: int


@record
class OpaqueBlock:
    """A multi-line block kept as one leaf. It starts at a line beginning with `prefix`
    (under a lineage matching `within`, if given). `end` is the closing line; with
    `delimited` the delimiter is the character(s) after the `skip` words of the first line
    (banners), and `end` is used when no delimiter is given (EOS `EOF`). `shown`: the
    delimiter the device prints whatever was typed (IOS stores ETX and shows `^C`), so a
    banner typed with `#` is read as the same banner."""

    prefix: str
    end: str
    delimited: bool = False
    skip: int = 0
    within: Match | None = None
    shown: str | None = None


@record
class ProtectRule:
    """Lines matching `match` (and everything under them) are never removed or reset by
    remediation: the command is held back with `reason`. With `containing` (a regex) only
    sections with a child line matching it are protected (an interface in `Mgmt-vrf`)."""

    match: Match
    reason: str
    containing: str | None = None


@record
class DefaultRule:
    """Platform defaults of the sections matching `match`, on devices of `profile` (None:
    every device). `hidden`: lines the device never shows because they are the default
    (`no shutdown`), so intended may say them without a difference. `shown`: the lines
    the section shows in its default state (after `default interface`); a section with
    only these (and `keep` lines) is what an unconfigured port looks like. `keep`: running
    lines re-applied after a reset when intended does not configure the section, so a
    port that was shut down stays down. Only `resident` sections (physical ports, which
    always exist) have a default state."""

    match: Match
    hidden: tuple[str, ...] = ()
    shown: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    profile: str | None = None
    resident: bool = False  # the section always exists (a physical port): removal resets it


@record
class VolatileRule:
    """Lines matching `match` (and what is under them) are never a difference: they change
    without the configuration changing, or the device writes them itself (`why`)."""

    match: Match
    why: str


@record
class BraceRule:
    """How JunOS prints a statement in brace form. `match` is a word lineage ending at the
    statement's keyword. `kind`:

    - "block": always `keyword { … }`
    - "oneline": a block, but one child statement that fits one line shares it
      (`from protocol direct;`, `then accept;`)
    - "names": a block whose children are names, each its own block (`interfaces`)
    - "named": the keyword takes `values` words naming an object, then the object's block
      (`unit 0 {`, `file messages {`); `inline=True` puts a body of one one-line
      statement on the same line (`community C members 1:2;`)
    - "leaf": the keyword and its values on one line, a line per entry
      (`route-filter 10.0.0.0/8 exact;`, `local-as 65000 private;`)
    - "list": one value `k v;`, several `k [ v1 v2 ];`
    """

    match: Match
    kind: str
    values: int = 1
    inline: bool = False


@record
class SecretRule:
    """A config line that carries secrets: in a line containing `keyword` (any case) where
    `pattern` is found, every capturing group of the pattern is a secret. With `within`,
    only lines directly under a section whose line `within` finds (their parent) count."""

    keyword: str
    pattern: re.Pattern[str]
    within: re.Pattern[str] | None = None


@record
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
    lists: tuple[ListRule, ...] = ()
    volatile: tuple[VolatileRule, ...] = ()
    protect: tuple[ProtectRule, ...] = ()
    defaults: tuple[DefaultRule, ...] = ()
    # (profile, regex matched against top-level lines); the first that any line matches
    # names the device's profile (switch or router), else `profile_default`.
    profiles: tuple[tuple[str, str], ...] = ()
    profile_default: str | None = None
    brace: tuple[BraceRule, ...] = ()  # JunOS brace output
    # Characters a pasted banner may be delimited with, in order of preference (the
    # first that does not occur in the body); empty: print the banner as parsed.
    banner_delimiters: tuple[str, ...] = ()
    signatures: tuple[tuple[str, int], ...] = ()  # (regex, score) for detect_dialect
    aliases: tuple[str, ...] = ()
