"""Remediation (the commands that turn running into intended), rollback and predict.

A remediation is a command tree (`Remediation`, a `ConfigTree`) whose nodes carry tags
the apply step and the emitters understand (see `_tree.py`), plus the list of commands
with their risk and what is held back (`_plan.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import regex

from unet.config._apply import apply, cascade_pattern
from unet.config._diff import ConfigDiff, SectionDiff, diff, list_key, rule_index
from unet.config._gc import paused
from unet.config._match import Match
from unet.config._parse_indent import retype_opaque
from unet.config._plan import (
    NotComparable,
    Protection,
    Remediation,
    build_commands,
    mask_reasons,
)
from unet.config._rules_index import RuleIndex
from unet.config._sequence import SequencePlan, common, plan_sequence
from unet.config._tree import (
    ENTER,
    INSERT,
    LISTEDIT,
    NEGATE,
    REDEFINE,
    REPLACE,
    RESEQ,
    SEQ,
    SEQEDIT,
    UNSEQ,
    Node,
)
from unet.config.rules import (
    CascadeRule,
    DialectRules,
    ListRule,
    NegationRule,
    OrderRule,
    ProtectRule,
    WeightRule,
)

__all__ = ["apply", "predict", "protect_rules", "remediate", "rollback"]


class _Tables:
    __slots__ = ("cascades", "lists", "negations", "weights")

    def __init__(self, rules: DialectRules) -> None:
        self.negations: RuleIndex[NegationRule] = RuleIndex(rules.negations)
        self.cascades: RuleIndex[CascadeRule] = RuleIndex(rules.cascades)
        self.weights: RuleIndex[WeightRule] = RuleIndex(rules.weights)
        self.lists: RuleIndex[ListRule] = RuleIndex(rules.lists)


_TABLES: dict[int, _Tables] = {}


def _tables(rules: DialectRules) -> _Tables:
    found = _TABLES.get(id(rules))
    if found is None:
        found = _TABLES[id(rules)] = _Tables(rules)
    return found


def protect_rules(expressions: Iterable[str | tuple[str, str]]) -> tuple[ProtectRule, ...]:
    """Protect rules from match expressions (`protect:` in unet.yaml), each optionally
    with its reason; MatchError for an invalid expression."""
    out = []
    for item in expressions:
        expression, reason = item if isinstance(item, tuple) else (item, "")
        out.append(ProtectRule(Match.parse(expression), reason or f"protected by {expression!r}"))
    return tuple(out)


@paused
def remediate(result: ConfigDiff, *, protect: Sequence[ProtectRule] = (),
              allow_protected: bool = False,
              not_comparable: NotComparable | Iterable[str] = ()) -> Remediation:
    """The commands, in the dialect's syntax, that bring running to intended.

    Commands that would take away a protected line (the dialect's own and `protect`) are
    held back unless `allow_protected`; commands whose text is masked or was rewritten by
    a normaliser (`not_comparable`: those lines, or a function giving the reason) are
    always held back. Held-back commands are in `.commands`, not in the tree.
    """
    rules = result.rules
    out = Remediation(rules, result.running.path)
    builder = _Builder(rules, result.profile)
    protection = None if allow_protected else Protection(result.running,
                                                         (*rules.protect, *protect))
    if result.root is not None:
        builder.section(result.root, out, ())
        if protection is not None and protection.depth > 1:  # else nothing can be narrowed
            builder.narrow(out, (), protection)
        out.children.sort(key=builder.sort_key)
        out.reindex()
    judge = not_comparable if callable(not_comparable) else mask_reasons(not_comparable)
    build_commands(out, notes=builder.notes, protection=protection, not_comparable=judge)
    return out


def rollback(result: ConfigDiff, **options: object) -> Remediation:
    """The commands that take a device from intended back to running."""
    back = diff(result.intended, result.running, result.rules, profile=result.profile)
    return remediate(back, **options)  # type: ignore[arg-type]


def predict(result: ConfigDiff, **options: object) -> Node:
    """The configuration a device would have after the remediation (held-back commands
    are not sent)."""
    commands = remediate(result, **options)  # type: ignore[arg-type]
    return apply(result.running, commands, result.rules, profile=result.profile)


def _line(node: Node) -> int:
    return node.line


def _running(command: Node) -> str:
    """The running line a section command stands for (a replaced one names the old line)."""
    tag = command.tag
    return str(tag[1]) if isinstance(tag, tuple) and tag[0] == REPLACE else command.text


def _format(template: str, found: regex.Match[str] | bool, text: str, **extra: object) -> str:
    groups = found.groups() if isinstance(found, regex.Match) else ()
    return template.format(text, *(g or "" for g in groups), **extra)


class _Builder:
    def __init__(self, rules: DialectRules, profile: str | None) -> None:
        self.rules = rules
        self.t = _tables(rules)
        self.ix = rule_index(rules, profile)
        self.keys: dict[int, tuple[int, int, int]] = {}
        self.notes: dict[int, str] = {}

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
        done = self.lists(sd, out) if self.t.lists.entries else set()
        extra = [n for n in sd.extra if id(n) not in done]
        cascades = {id(n): self.cascade(lineage, n.text) for n in extra}
        found = tuple(cascade_pattern(c) for c in cascades.values() if c)
        suppress = (*suppress, *found)
        for node in extra:
            cascade = cascades[id(node)]
            if cascade is None and any(p.fullmatch(node.text) for p in suppress):
                continue  # removed with its neighbour: the device would reject the negation
            command = self.negate(out, lineage, node, cascade)
            self.keep(out, lineage, node, command)
        for old, new, overwrite in sd.replaced:
            if not overwrite:  # the old entry goes first, right before its replacement
                command = self.negate(out, lineage, old, None)
                self.keys[id(command)] = self.weight(new.text, positive=True)
        self.positives(sd, out, suppress, done)

    def keep(self, out: Node, lineage: tuple[str, ...], node: Node, negation: Node) -> None:
        """After a port is reset, restore what running had that the reset would undo (a
        port that was shut down stays down)."""
        hit = self.ix.defaults.first((*lineage, node.text))
        if hit is None or not hit[0].resident:
            return
        rule = hit[0]
        lines = [c.text for c in node.children if c.text in rule.keep and c.text not in rule.shown]
        if lines:
            section = out.add(node.text)
            section.tag = (ENTER,)
            for line in lines:
                section.add(line)
            self.keys[id(section)] = self.sort_key(negation)

    def positives(self, sd: SectionDiff, out: Node, suppress: tuple[re.Pattern[str], ...],
                  done: set[int]) -> None:
        plan: dict[int, object] = {id(n): None for n in sd.missing}
        plan.update({id(new): (old, ow) for old, new, ow in sd.replaced})
        subs = {id(s.intended): s for s in sd.sections}
        nodes = [*sd.missing, *(new for _, new, _ in sd.replaced)]
        nodes += [s.intended for s in sd.sections]
        nodes.sort(key=_line)  # intended order without walking every unchanged line
        seen: set[int] = set(done)
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
            command = out.adopt(node.copy())
        else:
            command = out.add(node.text)
            command.tag = (REPLACE, replaced[0].text)  # type: ignore[index]
            if not node.children and replaced[0].children:  # type: ignore[index]
                command.tag = None
        self.typed(out, command)

    def typed(self, out: Node, command: Node) -> None:
        """Banners are sent with a delimiter that can be typed, and say which."""
        if not self.rules.banner_delimiters or "^C" not in command.text:
            return
        found = retype_opaque(command.text, self.rules)
        if found is not None:
            out.rename(command, found[0])
            self.notes[id(command)] = (f"sent with the delimiter {found[1]!r}; the device "
                                       "shows it as ^C")

    def subsection(
        self, sd: SectionDiff, replaced: object, out: Node, suppress: tuple[re.Pattern[str], ...]
    ) -> None:
        node = sd.intended
        if sd.whole:
            self.whole(sd, out)
            return
        if sd.edit and sd.order is not None and sd.order.resequence:
            self.sequence_edit(sd, sd.order, out)
            return
        command = out.add(node.text)
        command.tag = (REPLACE, replaced[0].text) if replaced is not None else (ENTER,)  # type: ignore[index]
        self.section(sd, command, suppress)
        if sd.moves and sd.order is not None and sd.order.insert:
            self.inserts(sd, sd.order.insert, command)
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

    def sequence_edit(self, sd: SectionDiff, rule: OrderRule, out: Node) -> None:
        """Entries the device numbers itself: renumber them, then add and remove by number
        (new entries first), so the list is never re-created or left open."""
        running = [c.text for c in sd.running.children]
        plan = plan_sequence(running, [c.text for c in sd.intended.children])
        found = rule.match.lineage(sd.lineage)
        assert rule.resequence is not None
        renumber = out.add(_format(rule.resequence, found, sd.intended.text, step=plan.step))
        renumber.tag = (RESEQ,)
        command = out.add(sd.intended.text)
        command.tag = (SEQEDIT, plan.step)
        self.entries(command, plan, rule.entry)

    def entries(self, command: Node, plan: SequencePlan, entry: str) -> None:
        number = entry.split(" {text}", 1)[0]
        for seq, text in plan.adds:
            command.add(entry.format(seq=seq, text=text)).tag = (SEQ, seq, text)
        for seq, text in plan.removes:
            line = self.rules.negation_prefix + number.format(seq=seq)
            command.add(line).tag = (UNSEQ, seq, text)

    def lists(self, sd: SectionDiff, out: Node) -> set[int]:
        """Numbered lists (`access-list 105 …`): a changed list is edited in place by
        number; a removed one is removed with one command. Returns the nodes handled."""
        lineage = sd.lineage
        touched: dict[str, tuple[ListRule, regex.Match[str] | bool]] = {}
        for node in (*sd.extra, *sd.missing):
            hit = self.t.lists.first((*lineage, node.text))
            if hit is not None:
                touched.setdefault(list_key(hit[0], hit[1], node.text), hit)
        for title in sd.relisted:
            hit = self.t.lists.first((*lineage, title + " "))
            if hit is not None:
                touched.setdefault(title, hit)
        done: set[int] = set()
        for title, (rule, found) in touched.items():
            if self.list_edit(sd, out, title, rule, found):
                prefix = title + " "
                done |= {id(n) for n in (*sd.extra, *sd.missing) if n.text.startswith(prefix)}
        return done

    def list_edit(self, sd: SectionDiff, out: Node, title: str, rule: ListRule,
                  found: regex.Match[str] | bool) -> bool:
        prefix = title + " "
        old = [c.text[len(prefix):] for c in sd.running.children if c.text.startswith(prefix)]
        new = [c.text[len(prefix):] for c in sd.intended.children if c.text.startswith(prefix)]
        if not old or new[: len(old)] == old:
            return False  # a new list, or entries appended: plain lines do it
        if not new:
            command = out.add(_format(rule.remove, found, title))
            command.tag = (NEGATE, prefix + old[0], f"{prefix}.*")
            return True
        plan = plan_sequence(old, new)
        renumber = out.add(_format(rule.resequence, found, title, step=plan.step))
        renumber.tag = (RESEQ,)
        command = out.add(_format(rule.edit, found, title))
        command.tag = (LISTEDIT, title, plan.step)
        self.entries(command, plan, "{seq} {text}")
        return True

    def inserts(self, sd: SectionDiff, template: str, command: Node) -> None:
        """JunOS: `set` appends new entries; `insert` moves each out-of-place one next to
        its intended neighbour, from the last to the first."""
        rt = [c.text for c in sd.running.children]
        target = [c.text for c in sd.intended.children]
        rset, iset = set(rt), set(target)
        # Running entries keep their places where they can; new ones at the end of the
        # intended order are where `set` puts them.
        old = [t for t in rt if t in iset]
        kept = {old[i] for i, _ in common(old, [t for t in target if t in rset])}
        for item in reversed(target):
            if item in rset:
                break
            kept.add(item)
        for index in range(len(target) - 1, -1, -1):
            item = target[index]
            if item in kept:
                continue
            where, anchor = (("before", target[index + 1]) if index + 1 < len(target)
                             else ("after", target[index - 1]))
            command.add(f"insert {item}").tag = (INSERT, template, item, where, anchor)

    def narrow(self, out: Node, path: tuple[str, ...], protection: Protection) -> None:
        """A removal that would take protected lines with it removes the rest instead:
        `delete routing-options` becomes a delete per static route but the default one."""
        for command in list(out.children):
            tag = command.tag
            if not (isinstance(tag, tuple) and tag[0] == NEGATE):
                if command.children:
                    self.narrow(command, (*path, _running(command)), protection)
                continue
            target = (*path, str(tag[1]))
            if protection.at(target) or not protection.below(target):
                continue
            nodes = protection.find(target)
            assert nodes is not None
            section = Node(str(tag[1]))
            section.tag = (ENTER,)
            for child in nodes[-1].children:
                self.negate(section, target, child, self.cascade(target, child.text))
            self.narrow(section, target, protection)
            out.children[out.children.index(command)] = section
            out.reindex()
            self.keys[id(section)] = self.sort_key(command)

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

