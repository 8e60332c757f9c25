"""Hierarchical diff: per section, lines missing from running, extra in running, idempotent
replacements and order changes in order-sensitive sections."""

from __future__ import annotations

import operator
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from unet.config._gc import paused
from unet.config._rules_index import RuleIndex
from unet.config._tree import ConfigTree, Node
from unet.config.rules import DialectRules, IdempotentRule, OrderRule

__all__ = ["Change", "ConfigDiff", "SectionDiff", "diff", "rule_index"]


@dataclass(frozen=True, slots=True)
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
    order: OrderRule | None = None


class _Indexes:
    """Rule indexes for one dialect, built once."""

    __slots__ = ("idempotent", "ordered", "rules")

    def __init__(self, rules: DialectRules) -> None:
        self.rules = rules
        self.idempotent: RuleIndex[IdempotentRule] = RuleIndex(rules.idempotent)
        self.ordered: RuleIndex[OrderRule] = RuleIndex(rules.ordered)


_INDEXES: dict[str, _Indexes] = {}


def rule_index(rules: DialectRules) -> _Indexes:
    found = _INDEXES.get(rules.name)
    if found is None or found.rules is not rules:
        found = _INDEXES[rules.name] = _Indexes(rules)
    return found


@dataclass(slots=True)
class ConfigDiff:
    """The result of `diff(running, intended)`; falsy when the configurations agree."""

    running: ConfigTree
    intended: ConfigTree
    rules: DialectRules
    root: SectionDiff | None

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
def diff(running: ConfigTree, intended: ConfigTree, rules: DialectRules) -> ConfigDiff:
    """Compare two trees of the same dialect."""
    return ConfigDiff(running, intended, rules, _compare(running, intended, (), rule_index(rules)))


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
    for a, b in pairs:
        sub = _compare(a, b, (*lineage, b.text), ix)
        if sub:
            sd.sections.append(sub)
    if lineage:
        _order(sd, rt, it, ix)
    if sd.missing or sd.extra or sd.replaced or sd.sections or sd.reordered:
        return sd
    return None


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
    return pairs


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
        groups = found.groups() if isinstance(found, re.Match) else ()
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
    appended = not sd.extra and not sd.replaced and it[: len(rt)] == rt
    sd.whole = (sd.reordered or bool(sd.extra or sd.replaced or sd.missing)) and not appended


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
    for sub in sd.sections:
        yield from _changes(sub)
