"""A remediation as a list of commands: what each does, how risky it is, what is held back.

`Remediation` is the command tree `remediate()` returns (emit it, apply it) plus
`commands`: every line in the order it is sent, each a `Command` with its parent
context, its kind, its risk and, when it is not sent, why. Held-back commands are not in
the tree. `Remediation.to_json()` is the stable document `unet deploy` consumes
(docs/config-engine.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from unet.config._parse_indent import exit_index
from unet.config._parse_junos import INACTIVE
from unet.config._rules_index import RuleIndex
from unet.config._secrets import MASK
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
    ConfigTree,
    Node,
)
from unet.config.rules import DialectRules, ProtectRule
from unet.core import record

__all__ = ["JSON_VERSION", "Command", "Protection", "Remediation", "Summary", "build_commands",
           "mask_reasons", "set_insert"]

JSON_VERSION = 1
# What a command does, from its tag.
_KINDS = {NEGATE: "remove", REPLACE: "replace", REDEFINE: "redefine", ENTER: "enter",
          RESEQ: "resequence", SEQEDIT: "enter", LISTEDIT: "enter", SEQ: "add",
          UNSEQ: "remove", INSERT: "insert"}
_RISKS = {"remove": "remove", "reset": "reset", "redefine": "replace"}
NotComparable = Callable[[str], str | None]


@record
class Command:
    """One line sent to the device (a banner is one command with its body).

    `parents`: the section lines it is entered under (JunOS `set` lines: none). `kind`:
    enter, add, replace, remove, reset, redefine, resequence, insert or exit. `risk`:
    "remove", "reset" or "replace" (a section restated whole) for commands that take
    configuration away, else None. `held`: why it is not sent (protected line, value not
    comparable), else None. `was`: the running line a replace overwrites. `note`: a
    remark for the reader (the delimiter a banner is sent with).
    """

    text: str
    parents: tuple[str, ...] = ()
    kind: str = "add"
    risk: str | None = None
    held: str | None = None
    was: str | None = None
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "parents": list(self.parents), "kind": self.kind,
                "risk": self.risk, "held": self.held is not None, "reason": self.held,
                "was": self.was, "note": self.note}


class Summary(NamedTuple):
    commands: int  # commands sent (sectional exits not counted)
    removals: int  # of which remove, reset or replace configuration
    held: int  # commands held back

    def __str__(self) -> str:
        return (f"{self.commands} command{'s' * (self.commands != 1)}, {self.removals} "
                f"removal{'s' * (self.removals != 1)}, {self.held} held back")


class Remediation(ConfigTree):
    """The commands that bring running to intended: a command tree (without held-back
    commands) and the full `commands` list."""

    __slots__ = ("commands", "rules")

    def __init__(self, rules: DialectRules, path: str = "<config>") -> None:
        super().__init__(rules.name, path)
        self.rules = rules
        self.commands: list[Command] = []

    @property
    def summary(self) -> Summary:
        sent = [c for c in self.commands if c.held is None and c.kind != "exit"]
        return Summary(len(sent), sum(c.risk is not None for c in sent),
                       sum(c.held is not None for c in self.commands))

    @property
    def held(self) -> list[Command]:
        return [c for c in self.commands if c.held is not None]

    def to_json(self) -> dict[str, Any]:
        """The stable document (`"version": 1`): summary and commands in send order."""
        summary = self.summary
        return {"version": JSON_VERSION, "platform": self.rules.name,
                "summary": {"commands": summary.commands, "removals": summary.removals,
                            "held": summary.held},
                "commands": [c.as_json() for c in self.commands]}

    def as_text(self, *, marks: bool = True) -> str:
        """The commands to paste; with `marks`, comment lines the device ignores flag each
        removal, each held-back command and the summary."""
        comment = self.rules.comment_prefixes[0]
        pad = " " * self.rules.indent if self.rules.syntax == "indent" else ""
        out: list[str] = []
        for command in self.commands:
            indent = pad * len(command.parents)
            if command.held is not None:
                if marks:
                    first = command.text.split("\n", 1)[0]
                    out.append(f"{indent}{comment} [held back: {command.held}] {first}")
                continue
            if marks and command.risk is not None:
                out.append(f"{indent}{comment} [{command.risk}]")
            if marks and command.note:
                out.append(f"{indent}{comment} [note] {command.note}")
            out.append(indent + command.text)
        if marks and self.commands:
            out.append(f"{comment} {self.summary}")
        return "\n".join(out) + "\n" if out else ""


# --- building the command list -------------------------------------------------------------


def build_commands(tree: Remediation, *, notes: dict[int, str], protection: Protection | None,
                   not_comparable: NotComparable) -> None:
    """Fill `tree.commands`, then take held-back commands out of the tree (`protection`
    None: --allow-protected)."""
    rules = tree.rules
    judge = _Judge(protection, not_comparable)
    walk = _set_commands if rules.syntax == "junos" else _indent_commands
    held: list[tuple[Node, Node]] = []
    tree.commands = list(walk(tree, rules, judge, notes, held))
    for parent, node in held:
        if node in parent.children:
            parent.remove(node)
    _prune_empty(tree)


def _kind(node: Node, rules: DialectRules) -> str:
    tag = node.tag
    if not isinstance(tag, tuple):
        return "add"
    kind = _KINDS.get(tag[0], "add")
    if kind == "remove" and tag[0] == NEGATE and not node.text.startswith(rules.negation_prefix):
        return "reset"  # `default interface …`, or restoring a line running negates
    return kind


class Protection:
    """Which running lines are protected (`ProtectRule`s: the line and everything under it).
    Answers are cached per path: remediation asks about the same sections repeatedly."""

    def __init__(self, running: Node, rules: Sequence[ProtectRule]) -> None:
        self.running = running
        self.index: RuleIndex[ProtectRule] = RuleIndex(rules)
        self.depth = max((len(r.match.levels) for r in rules), default=0)
        self._at: dict[tuple[str, ...], str | None] = {}
        self._below: dict[tuple[str, ...], str | None] = {}

    def find(self, path: tuple[str, ...]) -> list[Node] | None:
        """The running nodes along `path`, or None when it is not in running."""
        node: Node | None = self.running
        nodes: list[Node] = []
        for text in path:
            node = node.get(text) if node is not None else None
            if node is None:
                return None
            nodes.append(node)
        return nodes

    def at(self, path: tuple[str, ...]) -> str | None:
        """Why the running line at `path` is protected (it, or a section it is in)."""
        if path not in self._at:
            self._at[path] = self._search_at(path)
        return self._at[path]

    def below(self, path: tuple[str, ...]) -> str | None:
        """Why a line under the running line at `path` is protected."""
        if path not in self._below:
            self._below[path] = self._search_below(path)
        return self._below[path]

    def _search_at(self, path: tuple[str, ...]) -> str | None:
        nodes = self.find(path) if self.index.entries else None
        if not nodes:
            return None
        for depth in range(1, min(len(path), self.depth) + 1):
            reason = self.rule(path[:depth], nodes[depth - 1])
            if reason is not None:
                return reason
        return None

    def _search_below(self, path: tuple[str, ...]) -> str | None:
        if len(path) >= self.depth:
            return None  # every rule is shallower than what is under this line
        nodes = self.find(path) if self.index.entries else None
        if not nodes:
            return None
        for lineage, child in nodes[-1].walk(path):
            if len(lineage) <= self.depth:
                reason = self.rule(lineage, child)
                if reason is not None:
                    return reason
        return None

    def rule(self, lineage: tuple[str, ...], node: Node) -> str | None:
        for rule, _ in self.index.all(lineage):
            if rule.containing is None or any(re.fullmatch(rule.containing, c.text)
                                              for c in node.children):
                return rule.reason
        return None


class _Judge:
    """Decides, per command, whether it is held back and why."""

    def __init__(self, protection: Protection | None, not_comparable: NotComparable) -> None:
        self.protection = protection
        self.not_comparable = not_comparable

    def held(self, node: Node, kind: str, running_path: tuple[str, ...]) -> str | None:
        tag = node.tag
        target = tag[1] if isinstance(tag, tuple) and tag[0] in (NEGATE, REPLACE) else None
        for text in (node.text, target):
            if text is not None:
                reason = self.not_comparable(text)
                if reason is not None:
                    return reason
        if kind in _RISKS and self.protection is not None:
            return self.protection.at(running_path) or self.protection.below(running_path)
        return None


def _running_text(node: Node) -> str:
    tag = node.tag
    if isinstance(tag, tuple) and tag[0] in (NEGATE, REPLACE):
        return str(tag[1])
    return node.text


def _indent_commands(tree: Node, rules: DialectRules, judge: _Judge, notes: dict[int, str],
                     held: list[tuple[Node, Node]]) -> Iterator[Command]:
    out: list[Command] = []
    _indent_walk(tree, rules, judge, notes, held, (), (), None, out)
    return iter(out)


def _indent_walk(node: Node, rules: DialectRules, judge: _Judge, notes: dict[int, str],
                 held: list[tuple[Node, Node]], parents: tuple[str, ...],
                 running: tuple[str, ...], holding: str | None, out: list[Command]) -> None:
    depth = len(parents) + 1
    exits = exit_index(rules) if rules.exits and depth in _exit_depths(rules) else None
    for child in node.children:
        kind = _kind(child, rules)
        reason = holding
        if reason is None:
            reason = judge.held(child, kind, (*running, _running_text(child))
                                if kind in _RISKS else ())
            if reason is not None:
                held.append((node, child))
        tag = child.tag
        was = str(tag[1]) if isinstance(tag, tuple) and tag[0] == REPLACE else None
        command = Command(child.text, parents, kind, _RISKS.get(kind), reason, was,
                          notes.get(id(child)))
        if child.children:
            start = len(out)
            out.append(command)
            _indent_walk(child, rules, judge, notes, held, (*parents, child.text),
                         (*running, _running_text(child)), reason, out)
            if kind == "enter" and all(c.held for c in out[start + 1:]):
                del out[start]  # nothing left to do in it: the section is not entered
                continue
        else:
            out.append(command)
        exit_rule = exits.first((*parents, child.text)) if exits is not None else None
        if exit_rule is not None:
            out.append(Command(exit_rule[0].text, parents, "exit", None, reason))


_DEPTHS: dict[int, frozenset[int]] = {}


def _exit_depths(rules: DialectRules) -> frozenset[int]:
    """The lineage lengths exit rules match at (all, when one floats)."""
    found = _DEPTHS.get(id(rules))
    if found is None:
        depths = exit_index(rules).depths
        found = _DEPTHS[id(rules)] = depths or frozenset(range(1, 64))
    return found


def _set_commands(tree: Node, rules: DialectRules, judge: _Judge, notes: dict[int, str],
                  held: list[tuple[Node, Node]]) -> Iterator[Command]:
    """JunOS: `delete` lines first, then `set`, `deactivate` and `insert` (as emit_set)."""
    groups: dict[str, list[Command]] = {"delete": [], "set": [], "deactivate": [], "insert": []}
    _set_walk(tree, (), judge, held, groups, None)
    for commands in groups.values():
        yield from commands


def _set_walk(node: Node, path: tuple[str, ...], judge: _Judge, held: list[tuple[Node, Node]],
              groups: dict[str, list[Command]], holding: str | None) -> None:
    for child in node.children:
        tag = child.tag
        op = tag[0] if isinstance(tag, tuple) else None
        words = " ".join(path)
        if op == NEGATE:
            target = (*path, str(tag[1]))  # type: ignore[index]
            reason = holding or judge.held(child, "remove", target)
            if reason is not None and holding is None:
                held.append((node, child))
            groups["delete"].append(Command(f"delete {' '.join(target)}", (), "remove",
                                            "remove", reason))
            continue
        if op == INSERT:
            text = set_insert(tag, words)
            groups["insert"].append(Command(text, (), "insert", None, holding))
            continue
        here = (*path, child.text)
        reason = holding or judge.held(child, "add", here)
        if reason is not None and holding is None:
            held.append((node, child))
        if child.tag == INACTIVE:
            groups["deactivate"].append(Command(f"deactivate {' '.join(here)}", (),
                                                "add", None, reason))
        if child.children:
            _set_walk(child, here, judge, held, groups, reason)
        else:
            groups["set"].append(Command(f"set {' '.join(here)}", (), "add", None, reason))


def set_insert(tag: object, path: str) -> str:
    """`insert … before term …` for an INSERT tag under the section at `path`."""
    assert isinstance(tag, tuple)
    _, template, item, where, anchor = tag
    keyword = path.rsplit(" ", 1)[-1]
    return str(template).format(path=path, item=item, where=where, keyword=keyword,
                                anchor=anchor)


def _prune_empty(node: Node) -> None:
    """Sections left without commands once held-back ones are taken out are not entered."""
    for child in list(node.children):
        if child.children:
            _prune_empty(child)
        if not child.children and isinstance(child.tag, tuple) and child.tag[0] in (
                ENTER, SEQEDIT, LISTEDIT):
            node.remove(child)


def mask_reasons(normalized: Iterable[str]) -> NotComparable:
    """Lines unet cannot compare: masked secrets, and lines a normaliser rewrote."""
    changed = frozenset(normalized)

    def reason(text: str) -> str | None:
        if MASK in text:
            return "not comparable: the value is masked"
        if text in changed:
            return "not comparable: rewritten by a normalizer"
        return None

    return reason
