"""Run remediation commands against a copy of running, with the device's semantics.

Not unet's own model of its output: what the platform does with each command. A negated
line that belongs to a numbered list removes the whole list (IOS `no access-list 105 …`);
a negated entry keyed by a sequence number removes whatever holds that number; a reset
port keeps only its default lines; a banner typed with `#` is stored as the device shows it.
"""

from __future__ import annotations

import re

import regex

from unet.config._diff import list_key
from unet.config._gc import paused
from unet.config._parse_indent import canonical_opaque
from unet.config._rules_index import RuleIndex
from unet.config._tree import (
    INSERT,
    LISTEDIT,
    NEGATE,
    REDEFINE,
    REPLACE,
    SEQ,
    SEQEDIT,
    UNSEQ,
    ConfigTree,
    Node,
)
from unet.config.rules import DefaultRule, DialectRules, IdempotentRule, ListRule, OrderRule

__all__ = ["apply", "cascade_pattern"]


class _Tables:
    __slots__ = ("defaults", "idempotent", "lists", "ordered", "rules")

    def __init__(self, rules: DialectRules, profile: str | None) -> None:
        self.rules = rules
        self.idempotent: RuleIndex[IdempotentRule] = RuleIndex(
            [r for r in rules.idempotent if not r.overwrite])
        self.lists: RuleIndex[ListRule] = RuleIndex(rules.lists)
        self.ordered: RuleIndex[OrderRule] = RuleIndex(rules.ordered)
        self.defaults: RuleIndex[DefaultRule] = RuleIndex(
            [d for d in rules.defaults if d.profile is None or d.profile == profile])


_TABLES: dict[tuple[int, str | None], _Tables] = {}


def _tables(rules: DialectRules, profile: str | None) -> _Tables:
    key = (id(rules), profile)
    found = _TABLES.get(key)
    if found is None or found.rules is not rules:
        found = _TABLES[key] = _Tables(rules, profile)
    return found


def cascade_pattern(text: str) -> re.Pattern[str]:
    """A cascade like `neighbor 10.0.0.1 .*`: literal text, `.*` as the only wildcard."""
    return re.compile(re.escape(text).replace("\\.\\*", ".*"))


@paused
def apply(running: ConfigTree, remediation: Node, rules: DialectRules, *,
          profile: str | None = None) -> ConfigTree:
    """Run the remediation's commands against a copy of running, as a device would."""
    result = running.copy()
    _apply(result, remediation, (), _tables(rules, profile))
    return result


def _apply(target: Node, commands: Node, lineage: tuple[str, ...], t: _Tables) -> None:
    for command in commands.children:
        tag = command.tag
        op = tag[0] if isinstance(tag, tuple) else None
        text = canonical_opaque(command.text, t.rules)
        if op == NEGATE:
            _negate(target, lineage, tag[1], tag[2], t)  # type: ignore[index]
            continue
        if op == LISTEDIT:
            _edit_list(target, command, tag[1], tag[2])  # type: ignore[index]
            continue
        if op == INSERT:
            _move(target, tag[2], tag[3], tag[4])  # type: ignore[index]
            continue
        if op == REPLACE:
            node = target.get(tag[1])  # type: ignore[index]
            if node is None:
                node = target.add(text)
            else:
                target.rename(node, text)
        elif op == REDEFINE:
            node = target.ensure(text)
            node.children, node.index = [], {}
        elif op == SEQEDIT:
            node = target.ensure(text)
            _edit_entries(node, command, tag[1])  # type: ignore[index]
            continue
        elif command.children:
            node = target.ensure(text)
        elif op is not None:
            continue  # a command with no configuration of its own (resequence)
        else:
            target.add(text)
            continue
        _apply(node, command, (*lineage, text), t)
    _resequence(target, lineage, t)


def _negate(target: Node, lineage: tuple[str, ...], text: str, cascade: str | None,
            t: _Tables) -> None:
    path = (*lineage, text)
    node = target.get(text)
    reset = t.defaults.first(path) if node is not None else None
    if node is not None and reset is not None and reset[0].resident:  # reset, not deleted
        node.children, node.index = [], {}
        for line in reset[0].shown:
            node.add(line)
        node.reindex()
        return
    if node is not None:
        target.remove(node)
    listed = t.lists.first(path)
    if listed is not None:  # IOS: any `no access-list N …` deletes list N
        cascade = list_key(listed[0], listed[1], text) + " .*"
    slot = t.idempotent.first(path)
    if slot is not None and isinstance(slot[1], regex.Match):  # what holds this number goes
        _remove_slot(target, lineage, slot[0], slot[1].groups())
    if cascade:
        _prune(target, cascade_pattern(cascade))


def _remove_slot(target: Node, lineage: tuple[str, ...], rule: IdempotentRule,
                 key: tuple[str | None, ...]) -> None:
    for child in list(target.children):
        found = rule.match.lineage((*lineage, child.text))
        if isinstance(found, regex.Match) and found.groups() == key:
            target.remove(child)


def _prune(node: Node, pattern: re.Pattern[str]) -> None:
    kept = [c for c in node.children if not pattern.fullmatch(c.text)]
    if len(kept) != len(node.children):
        node.children = kept
        node.reindex()
    for child in kept:
        _prune(child, pattern)


def _numbered(entries: list[str], command: Node, step: int) -> list[str]:
    """Entries after SEQ/UNSEQ commands, the device having numbered them step, 2×step, …"""
    slots = {step * (i + 1): text for i, text in enumerate(entries)}
    for child in command.children:
        tag = child.tag
        if isinstance(tag, tuple) and tag[0] == SEQ:
            slots[tag[1]] = tag[2]
        elif isinstance(tag, tuple) and tag[0] == UNSEQ:
            slots.pop(tag[1], None)
    return [slots[n] for n in sorted(slots)]


def _edit_entries(node: Node, command: Node, step: int) -> None:
    texts = _numbered([c.text for c in node.children], command, step)
    node.children = [Node(text) for text in texts]
    node.reindex()


def _edit_list(target: Node, command: Node, title: str, step: int) -> None:
    prefix = title + " "
    positions = [i for i, c in enumerate(target.children) if c.text.startswith(prefix)]
    entries = [target.children[i].text[len(prefix):] for i in positions]
    lines = [Node(prefix + text) for text in _numbered(entries, command, step)]
    at = positions[0] if positions else len(target.children)
    rest = [c for c in target.children if not c.text.startswith(prefix)]
    target.children = rest[:at] + lines + rest[at:]
    target.reindex()


def _move(target: Node, item: str, where: str, anchor: str) -> None:
    node, other = target.get(item), target.get(anchor)
    if node is None or other is None or node is other:
        return
    target.children.remove(node)
    at = target.children.index(other) + (1 if where == "after" else 0)
    target.children.insert(at, node)


def _resequence(node: Node, lineage: tuple[str, ...], t: _Tables) -> None:
    """Sections with sequence numbers are kept sorted by them, as the device does."""
    if not lineage:
        return
    hit = t.ordered.first(lineage)
    if hit is None or not hit[0].seq:
        return
    seq = re.compile(hit[0].seq)
    numbers = [seq.match(c.text) for c in node.children]
    if all(numbers):
        order = sorted(zip(numbers, node.children, strict=True), key=lambda p: int(p[0].group(1)))  # type: ignore[union-attr]
        node.children = [c for _, c in order]
