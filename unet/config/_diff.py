"""Hierarchical diff: per section, lines missing from running, extra in running, idempotent
replacements and order changes in order-sensitive sections."""

from __future__ import annotations

import operator
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import regex

from unet.config._gc import paused
from unet.config._rules_index import RuleIndex
from unet.config._tree import CONTEXT, ConfigTree, Node
from unet.config.rules import (
    DefaultRule,
    DialectRules,
    IdempotentRule,
    ListRule,
    OrderRule,
    VolatileRule,
)
from unet.core import record

__all__ = ["Change", "ConfigDiff", "SectionDiff", "detect_profile", "diff", "list_key",
           "rule_index"]


@record
class Change:
    """One difference, with its parent lines. `node` holds the subtree (intended side for
    `missing`/`replaced`, running side for `extra`, the section for `reordered`)."""

    kind: str  # "missing" | "extra" | "replaced" | "reordered"
    path: tuple[str, ...]
    text: str
    old: str | None = None
    line: int = 0
    node: Node | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class SectionDiff:
    """The differences directly under one section (the root for the top level)."""

    running: Node
    intended: Node
    lineage: tuple[str, ...]
    missing: list[Node] = field(default_factory=list)
    extra: list[Node] = field(default_factory=list)
    replaced: list[tuple[Node, Node, bool]] = field(default_factory=list)  # old, new, overwrite
    sections: list[SectionDiff] = field(default_factory=list)
    reordered: bool = False
    whole: bool = False  # order-sensitive and must be re-sent whole
    edit: bool = False  # order-sensitive, edited in place by the numbers the device assigns
    moves: bool = False  # order-sensitive, entries moved into place (JunOS `insert`)
    relisted: list[str] = field(default_factory=list)  # numbered lists in another order
    order: OrderRule | None = None


class _Indexes:
    """Rule indexes for one dialect (and device profile), built once."""

    __slots__ = ("defaults", "idempotent", "list_at", "lists", "ordered", "profile", "rules",
                 "steady_at", "volatile")

    def __init__(self, rules: DialectRules, profile: str | None) -> None:
        self.rules = rules
        self.profile = profile
        self.idempotent: RuleIndex[IdempotentRule] = RuleIndex(rules.idempotent)
        self.ordered: RuleIndex[OrderRule] = RuleIndex(rules.ordered)
        self.lists: RuleIndex[ListRule] = RuleIndex(rules.lists)
        self.volatile: RuleIndex[VolatileRule] = RuleIndex(rules.volatile)
        # Section depths (len(lineage)) where the rules can match a child; None: any.
        self.list_at = _at(self.lists)
        self.steady_at = _at(self.volatile)
        self.defaults: RuleIndex[DefaultRule] = RuleIndex(
            [d for d in rules.defaults if d.profile is None or d.profile == profile])


def _at(index: RuleIndex[Any]) -> frozenset[int] | None:
    depths = index.depths
    return frozenset(d - 1 for d in depths) if depths or not index.entries else None


_INDEXES: dict[tuple[str, str | None], _Indexes] = {}


def rule_index(rules: DialectRules, profile: str | None = None) -> _Indexes:
    key = (rules.name, profile)
    found = _INDEXES.get(key)
    if found is None or found.rules is not rules:
        found = _INDEXES[key] = _Indexes(rules, profile)
    return found


def detect_profile(tree: Node, rules: DialectRules) -> str | None:
    """The device profile (switch, router) from the top-level lines of a full config."""
    if not rules.profiles:
        return rules.profile_default
    for name, pattern in rules.profiles:
        compiled = re.compile(pattern)
        if any(compiled.match(child.text) for child in tree.children):
            return name
    return rules.profile_default


def list_key(rule: ListRule, found: regex.Match[str] | bool, text: str) -> str:
    """The title of the numbered list a line belongs to (`access-list 105`)."""
    if isinstance(found, regex.Match):
        return text[: found.end(1)]
    return text


@dataclass(slots=True)
class ConfigDiff:
    """The result of `diff(running, intended)`; falsy when the configurations agree."""

    running: ConfigTree
    intended: ConfigTree
    rules: DialectRules
    root: SectionDiff | None
    profile: str | None = None  # the device profile the platform defaults were taken for

    def __bool__(self) -> bool:
        return self.root is not None

    @property
    def changes(self) -> list[Change]:
        return list(_changes(self.root)) if self.root else []

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("missing", "extra", "replaced", "reordered"), 0)
        for change in self.changes:
            counts[change.kind] += 1
        return counts


@paused
def diff(running: ConfigTree, intended: ConfigTree, rules: DialectRules, *,
         profile: str | None = None) -> ConfigDiff:
    """Compare two trees of the same dialect; `profile` (switch, router) picks the
    platform defaults (detected from running when not given)."""
    if profile is None:
        profile = detect_profile(running, rules)
    ix = rule_index(rules, profile)
    return ConfigDiff(running, intended, rules, _compare(running, intended, (), ix), profile)


def _compare(r: Node, i: Node, lineage: tuple[str, ...], ix: _Indexes) -> SectionDiff | None:
    rc, ic = r.children, i.children
    rt = list(map(_text, rc))
    it = list(map(_text, ic))
    if rt == it:
        subs = [
            sub
            for a, b in zip(rc, ic, strict=True)
            if (a.children or b.children) and (sub := _compare(a, b, (*lineage, b.text), ix))
        ]
        if not subs:
            return None
        sd = SectionDiff(r, i, lineage, sections=subs)
        if lineage:
            _order(sd, rt, it, ix)
        return sd
    sd = SectionDiff(r, i, lineage)
    pairs = _split(r, i, sd)
    if sd.missing and sd.extra:
        _pair_replacements(sd, ix)
    if ix.defaults.entries and (sd.missing or sd.extra):
        _platform_defaults(sd, ix)
    if ix.volatile.entries and (ix.steady_at is None or len(lineage) in ix.steady_at):
        pairs = _steady(sd, pairs, ix)
    for a, b in pairs:
        sub = _compare(a, b, (*lineage, b.text), ix)
        if sub:
            sd.sections.append(sub)
    if lineage:
        _order(sd, rt, it, ix)
    if ix.lists.entries and (ix.list_at is None or len(lineage) in ix.list_at):
        _lists(sd, rt, it, ix)
    if sd.missing or sd.extra or sd.replaced or sd.sections or sd.reordered or sd.relisted:
        return sd
    return None


def _steady(sd: SectionDiff, pairs: list[tuple[Node, Node]], ix: _Indexes,
            ) -> list[tuple[Node, Node]]:
    """Volatile lines (`version …`, timestamps) are never a difference."""
    lineage, first, prefixes = sd.lineage, ix.volatile.first, ix.volatile.prefixes

    def steady(text: str) -> bool:
        if prefixes is not None and not text.startswith(prefixes):
            return True  # the C-speed pre-filter: most lines are not volatile
        return first((*lineage, text)) is None

    sd.missing = [n for n in sd.missing if steady(n.text)]
    sd.extra = [n for n in sd.extra if steady(n.text)]
    if prefixes is not None and not any(b.text.startswith(prefixes) for _, b in pairs):
        return pairs
    return [(a, b) for a, b in pairs if steady(b.text)]


def _platform_defaults(sd: SectionDiff, ix: _Indexes) -> None:
    """Lines the device never shows are not missing; a running section in its default
    state (an unconfigured port) is not extra."""
    hit = ix.defaults.first(sd.lineage) if sd.lineage and sd.missing else None
    if hit is not None:
        hidden = hit[0].hidden
        sd.missing = [n for n in sd.missing if n.children or n.text not in hidden]
    if sd.extra:
        sd.extra = [n for n in sd.extra if not _unconfigured(n, sd.lineage, ix)]


def _unconfigured(node: Node, lineage: tuple[str, ...], ix: _Indexes) -> bool:
    hit = ix.defaults.first((*lineage, node.text))
    if hit is None or not hit[0].resident:
        return False
    rule = hit[0]
    return all(not c.children and (c.text in rule.shown or c.text in rule.keep)
               for c in node.children)


def _lists(sd: SectionDiff, rt: list[str], it: list[str], ix: _Indexes) -> None:
    """Numbered lists (IOS `access-list N`) whose common entries are in another order."""
    prefixes = ix.lists.prefixes
    if prefixes is not None:  # C-speed pre-filter: most lines are not list entries
        rt = [t for t in rt if t.startswith(prefixes)]
        if not rt:
            return
        it = [t for t in it if t.startswith(prefixes)]
        if rt == it:
            return
    running = _entries(rt, sd.lineage, ix)
    if not running:
        return
    intended = _entries(it, sd.lineage, ix)
    for title, old in running.items():
        new = intended.get(title)
        if new is None or old == new:
            continue
        common = set(old) & set(new)
        if [t for t in old if t in common] != [t for t in new if t in common]:
            sd.relisted.append(title)


def _entries(texts: list[str], lineage: tuple[str, ...], ix: _Indexes,
             ) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for text in texts:
        hit = ix.lists.first((*lineage, text))
        if hit is not None:
            out.setdefault(list_key(hit[0], hit[1], text), []).append(text)
    return out


def _split(r: Node, i: Node, sd: SectionDiff) -> list[tuple[Node, Node]]:
    """Fill missing/extra; return the (running, intended) pairs of common sections.

    Set operations on the index keys run at C speed; Python loops only over differences.
    """
    rc, ic, rindex, iindex = r.children, i.children, r.index, i.index
    dups = _repeated(rc, rindex) | _repeated(ic, iindex)
    missing = iindex.keys() - rindex.keys()
    extra = rindex.keys() - iindex.keys()
    sd.missing = [n for n in ic if n.text in missing] if missing else []
    sd.extra = [n for n in rc if n.text in extra] if extra else []
    pairs = [
        (rindex[n.text], n) for n in ic if n.children and n.text in rindex and n.text not in dups
    ]
    pairs += [
        (n, iindex[n.text])
        for n in rc
        if n.children and n.text in iindex and not iindex[n.text].children and n.text not in dups
    ]
    if dups:
        _pair_repeated(rc, ic, dups & rindex.keys() & iindex.keys(), sd, pairs)
    if sd.extra or sd.missing:
        _contexts(sd, pairs)
    return pairs


def _contexts(sd: SectionDiff, pairs: list[tuple[Node, Node]]) -> None:
    """A slice's context line on one side only: compare what is under it, not the line."""
    if any(n.tag == CONTEXT for n in sd.extra):
        pairs += [(n, Node(n.text, n.line)) for n in sd.extra if n.tag == CONTEXT]
        sd.extra = [n for n in sd.extra if n.tag != CONTEXT]
    if any(n.tag == CONTEXT for n in sd.missing):
        pairs += [(Node(n.text, n.line), n) for n in sd.missing if n.tag == CONTEXT]
        sd.missing = [n for n in sd.missing if n.tag != CONTEXT]


def _pair_repeated(
    rc: list[Node], ic: list[Node], dups: set[str], sd: SectionDiff, pairs: list[tuple[Node, Node]]
) -> None:
    """Duplicate siblings: a multiset diff, occurrences paired in order."""
    running: dict[str, list[Node]] = {}
    for n in rc:
        if n.text in dups:
            running.setdefault(n.text, []).append(n)
    for n in ic:
        if n.text in dups:
            found = running[n.text]
            if not found:
                sd.missing.append(n)
                continue
            old = found.pop(0)
            if old.children or n.children:
                pairs.append((old, n))
    sd.extra += [n for left in running.values() for n in left]


def _repeated(children: list[Node], index: dict[str, Node]) -> set[str]:
    if len(index) == len(children):
        return set()
    return {text for text, n in Counter(map(_text, children)).items() if n > 1}


_text = operator.attrgetter("text")


def _slot(lineage: tuple[str, ...], text: str, ix: _Indexes) -> tuple[object, ...] | None:
    hit = ix.idempotent.first((*lineage, text))
    if hit is not None:
        rule, found = hit
        groups = found.groups() if isinstance(found, regex.Match) else ()
        return (rule, groups)
    prefix = ix.rules.negation_prefix
    if prefix and text.startswith(prefix):  # `no X` and `X` are one slot
        return ("negated", text[len(prefix) :])
    return ("negated", text) if prefix else None


def _pair_replacements(sd: SectionDiff, ix: _Indexes) -> None:
    by_slot: dict[tuple[object, ...], Node] = {}
    for node in sd.extra:
        key = _slot(sd.lineage, node.text, ix)
        if key is not None:
            by_slot.setdefault(key, node)
    if not by_slot:
        return
    keep: list[Node] = []
    for node in sd.missing:
        key = _slot(sd.lineage, node.text, ix)
        old = by_slot.pop(key, None) if key is not None else None
        if old is None:
            keep.append(node)
        else:
            rule = key[0] if key else None
            overwrite = rule.overwrite if isinstance(rule, IdempotentRule) else True
            sd.replaced.append((old, node, overwrite))
    if sd.replaced:
        gone = {id(old) for old, _, _ in sd.replaced}
        sd.missing = keep
        sd.extra = [n for n in sd.extra if id(n) not in gone]
        for old, new, _ in sd.replaced:
            if old.children or new.children:
                sub = _compare(old, new, (*sd.lineage, new.text), ix)
                if sub:
                    sd.sections.append(sub)


def _order(sd: SectionDiff, rt: list[str], it: list[str], ix: _Indexes) -> None:
    hit = ix.ordered.first(sd.lineage)
    if hit is None:
        return
    rule = sd.order = hit[0]
    if rule.redefine:
        sd.whole = True  # restating the whole body is how these are edited (XR RPL, sets)
        return
    if rule.seq and all(re.match(rule.seq, t) for t in (*rt, *it)):
        return  # sequence numbers fix the order; edits are per entry
    rset, iset = set(rt), set(it)
    sd.reordered = [t for t in rt if t in iset] != [t for t in it if t in rset]
    if rule.insert:  # new entries are appended; `insert` puts them (and moved ones) in place
        sd.moves = [t for t in rt if t in iset] + [t for t in it if t not in rset] != it
        return
    appended = not sd.extra and not sd.replaced and it[: len(rt)] == rt
    changed = (sd.reordered or bool(sd.extra or sd.replaced or sd.missing)) and not appended
    if rule.resequence:
        sd.edit = changed  # numbered by the device: edited in place, never re-created
    else:
        sd.whole = changed


def _changes(sd: SectionDiff) -> Iterator[Change]:
    path = sd.lineage
    for node in sd.extra:
        yield Change("extra", path, node.text, line=node.line, node=node)
    for old, new, _ in sd.replaced:
        yield Change("replaced", path, new.text, old=old.text, line=new.line, node=new)
    for node in sd.missing:
        yield Change("missing", path, node.text, line=node.line, node=node)
    if sd.reordered:
        yield Change("reordered", path[:-1], path[-1], line=sd.intended.line, node=sd.intended)
    for title in sd.relisted:
        yield Change("reordered", path, title, line=sd.intended.line, node=sd.intended)
    for sub in sd.sections:
        yield from _changes(sub)
