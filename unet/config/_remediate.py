"""Remediation (the commands that turn running into intended), rollback and apply.

A remediation is a `ConfigTree` of commands. Command nodes carry a tag the apply step
understands: `(NEGATE, target, cascade)`, `(REPLACE, old)` or `(REDEFINE,)`; plain nodes
enter a section or add a line.
"""

from __future__ import annotations

import re

from unet.config._diff import ConfigDiff, SectionDiff, diff
from unet.config._gc import paused
from unet.config._rules_index import RuleIndex
from unet.config._tree import NEGATE, REDEFINE, REPLACE, ConfigTree, Node
from unet.config.rules import CascadeRule, DialectRules, NegationRule, OrderRule, WeightRule

__all__ = ["NEGATE", "REDEFINE", "REPLACE", "apply", "predict", "remediate", "rollback"]


class _Tables:
    __slots__ = ("cascades", "negations", "ordered", "weights")

    def __init__(self, rules: DialectRules) -> None:
        self.negations: RuleIndex[NegationRule] = RuleIndex(rules.negations)
        self.cascades: RuleIndex[CascadeRule] = RuleIndex(rules.cascades)
        self.weights: RuleIndex[WeightRule] = RuleIndex(rules.weights)
        self.ordered: RuleIndex[OrderRule] = RuleIndex(rules.ordered)


_TABLES: dict[int, _Tables] = {}


def _tables(rules: DialectRules) -> _Tables:
    found = _TABLES.get(id(rules))
    if found is None:
        found = _TABLES[id(rules)] = _Tables(rules)
    return found


@paused
def remediate(result: ConfigDiff) -> ConfigTree:
    """The commands, in the dialect's syntax, that bring running to intended."""
    out = ConfigTree(result.rules.name, result.running.path)
    if result.root is not None:
        builder = _Builder(result.rules)
        builder.section(result.root, out, ())
        out.children.sort(key=builder.sort_key)
        out.reindex()
    return out


def rollback(result: ConfigDiff) -> ConfigTree:
    """The commands that take a device from intended back to running."""
    return remediate(diff(result.intended, result.running, result.rules))


def predict(result: ConfigDiff) -> ConfigTree:
    """The configuration a device would have after the remediation."""
    return apply(result.running, remediate(result), result.rules)


def _line(node: Node) -> int:
    return node.line


def _cascade_pattern(text: str) -> re.Pattern[str]:
    """A cascade like `neighbor 10.0.0.1 .*`: literal text, `.*` as the only wildcard."""
    return re.compile(re.escape(text).replace("\\.\\*", ".*"))


def _format(template: str, found: re.Match[str] | bool, text: str) -> str:
    groups = found.groups() if isinstance(found, re.Match) else ()
    return template.format(text, *(g or "" for g in groups))


class _Builder:
    def __init__(self, rules: DialectRules) -> None:
        self.rules = rules
        self.t = _tables(rules)
        self.keys: dict[int, tuple[int, int, int]] = {}

    def negation(self, lineage: tuple[str, ...], text: str) -> str:
        hit = self.t.negations.first((*lineage, text))
        if hit is not None:
            return _format(hit[0].template, hit[1], text)
        prefix = self.rules.negation_prefix
        if prefix and text.startswith(prefix):
            return text[len(prefix) :]
        return prefix + text.split("\n", 1)[0]

    def cascade(self, lineage: tuple[str, ...], text: str) -> str | None:
        hit = self.t.cascades.first((*lineage, text))
        return _format(hit[0].removes, hit[1], text) if hit else None

    def negate(self, out: Node, lineage: tuple[str, ...], node: Node, cascade: str | None) -> Node:
        command = out.add(self.negation(lineage, node.text))
        command.tag = (NEGATE, node.text, cascade)
        return command

    def section(self, sd: SectionDiff, out: Node, suppress: tuple[re.Pattern[str], ...]) -> None:
        lineage = sd.lineage
        cascades = {id(n): self.cascade(lineage, n.text) for n in sd.extra}
        found = tuple(_cascade_pattern(c) for c in cascades.values() if c)
        suppress = (*suppress, *found)
        for node in sd.extra:
            cascade = cascades[id(node)]
            if cascade is None and any(p.fullmatch(node.text) for p in suppress):
                continue  # removed with its neighbour: the device would reject the negation
            self.negate(out, lineage, node, cascade)
        for old, _new, overwrite in sd.replaced:
            if not overwrite:
                self.negate(out, lineage, old, None)
        self.positives(sd, out, suppress)

    def positives(self, sd: SectionDiff, out: Node, suppress: tuple[re.Pattern[str], ...]) -> None:
        plan: dict[int, object] = {id(n): None for n in sd.missing}
        plan.update({id(new): (old, ow) for old, new, ow in sd.replaced})
        subs = {id(s.intended): s for s in sd.sections}
        nodes = [*sd.missing, *(new for _, new, _ in sd.replaced)]
        nodes += [s.intended for s in sd.sections]
        nodes.sort(key=_line)  # intended order without walking every unchanged line
        seen: set[int] = set()
        for node in nodes:
            key = id(node)
            if key in seen:
                continue
            seen.add(key)
            if key in subs:
                self.subsection(subs[key], plan.get(key), out, suppress)
            else:
                self.positive(node, plan[key], out)

    def positive(self, node: Node, replaced: object, out: Node) -> None:
        if replaced is None or not replaced[1]:  # type: ignore[index]
            out.adopt(node.copy())
            return
        command = out.add(node.text)
        command.tag = (REPLACE, replaced[0].text)  # type: ignore[index]
        if not node.children and replaced[0].children:  # type: ignore[index]
            command.tag = None

    def subsection(
        self, sd: SectionDiff, replaced: object, out: Node, suppress: tuple[re.Pattern[str], ...]
    ) -> None:
        node = sd.intended
        if sd.whole:
            self.whole(sd, out)
            return
        command = out.add(node.text)
        if replaced is not None:
            command.tag = (REPLACE, replaced[0].text)  # type: ignore[index]
        self.section(sd, command, suppress)
        if not command.children and replaced is None:
            out.remove(command)

    def whole(self, sd: SectionDiff, out: Node) -> None:
        """Re-send an order-sensitive section: restated, or negated then re-created."""
        if sd.order is not None and sd.order.redefine:
            command = out.adopt(sd.intended.copy())
            command.tag = (REDEFINE,)
            return
        negation = self.negate(out, sd.lineage[:-1], sd.running, None)
        self.keys[id(negation)] = self.weight(sd.intended.text, positive=True)
        out.adopt(sd.intended.copy())

    def weight(self, text: str, *, positive: bool) -> tuple[int, int, int]:
        hit = self.t.weights.first((text,))
        weight = hit[0].weight if hit else 0
        phase = weight if positive or weight > 0 else -weight
        return (phase, 1 if positive else 0, 0)

    def sort_key(self, node: Node) -> tuple[int, int, int]:
        fixed = self.keys.get(id(node))
        if fixed is not None:
            return fixed
        tag = node.tag
        if isinstance(tag, tuple) and tag[0] == NEGATE:
            return self.weight(tag[1], positive=False)
        return self.weight(node.text, positive=True)


@paused
def apply(running: ConfigTree, remediation: Node, rules: DialectRules) -> ConfigTree:
    """Run the remediation's commands against a copy of running, as a device would."""
    result = running.copy()
    _apply(result, remediation, (), _tables(rules))
    return result


def _apply(target: Node, commands: Node, lineage: tuple[str, ...], t: _Tables) -> None:
    for command in commands.children:
        tag = command.tag
        op = tag[0] if isinstance(tag, tuple) else None
        if op == NEGATE:
            _negate(target, tag[1], tag[2])  # type: ignore[index]
            continue
        if op == REPLACE:
            node = target.get(tag[1])  # type: ignore[index]
            if node is None:
                node = target.add(command.text)
            else:
                target.rename(node, command.text)
        elif op == REDEFINE:
            node = target.ensure(command.text)
            node.children, node.index = [], {}
        elif command.children:
            node = target.ensure(command.text)
        else:
            target.add(command.text)
            continue
        _apply(node, command, (*lineage, command.text), t)
    _resequence(target, lineage, t)


def _negate(target: Node, text: str, cascade: str | None) -> None:
    node = target.get(text)
    if node is not None:
        target.remove(node)
    if cascade:
        _prune(target, _cascade_pattern(cascade))


def _prune(node: Node, pattern: re.Pattern[str]) -> None:
    kept = [c for c in node.children if not pattern.fullmatch(c.text)]
    if len(kept) != len(node.children):
        node.children = kept
        node.reindex()
    for child in kept:
        _prune(child, pattern)


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
