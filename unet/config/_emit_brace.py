"""JunOS brace form from the word tree, in JunOS's own layout.

The tree has one word per level (`interfaces / ge-0/0/0 / unit / 0 / family / inet`), so
how a statement prints depends on what its keyword is: a block, a keyword that names an
object (`unit 0 {`), a leaf with values (`route-filter 10.0.0.0/8 exact;`) or a list
(`members [ a b ];`). That model is the dialect's `brace` table (`BraceRule`); words the
table does not know fall back to the shape of their subtree.
"""

from __future__ import annotations

from unet.config._parse_junos import INACTIVE
from unet.config._rules_index import RuleIndex
from unet.config._tree import Node
from unet.config.rules import BraceRule, DialectRules

__all__ = ["emit_brace"]


_VALUE_CHARS = frozenset("0123456789./:*<>\"_ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_INDEXES: dict[int, RuleIndex[BraceRule]] = {}


def emit_brace(tree: Node, rules: DialectRules) -> str:
    index = _INDEXES.get(id(rules))
    if index is None:
        index = _INDEXES[id(rules)] = RuleIndex(rules.brace)
    out: list[str] = []
    printer = _Printer(index, " " * rules.indent)
    for child in tree.children:
        out += printer.statement(child, (child.text,), name=False)
    return "\n".join(out) + "\n" if out else ""


def _mark(node: Node) -> str:
    return "inactive: " if node.tag == INACTIVE else ""


def _looks_like_value(word: str) -> bool:
    """A name or number rather than a keyword (`0`, `ge-0/0/0`, `"x"`, `TRUST`)."""
    return any(ch in _VALUE_CHARS for ch in word)


class _Printer:
    __slots__ = ("index", "pad")

    def __init__(self, index: RuleIndex[BraceRule], pad: str) -> None:
        self.index = index
        self.pad = pad

    def indent(self, lines: list[str]) -> list[str]:
        return [self.pad + line for line in lines]

    def block(self, head: str, node: Node, lineage: tuple[str, ...], *, names: bool) -> list[str]:
        body: list[str] = []
        for child in node.children:
            body += self.statement(child, (*lineage, child.text), name=names)
        return [f"{head} {{", *self.indent(body), "}"]

    def statement(self, node: Node, lineage: tuple[str, ...], *, name: bool) -> list[str]:
        """The lines of one statement; `name`: the word is a name under a "names" block."""
        hit = self.index.first(lineage)
        rule = hit[0] if hit is not None else None
        mark, word, kids = _mark(node), node.text, node.children
        if name and (rule is None or len(rule.match.levels) < 2):
            # Under a names block a word is a name unless a rule names it in that context.
            return [f"{mark}{word};"] if not kids else self.block(mark + word, node, lineage,
                                                                   names=False)
        if not kids:
            return [f"{mark}{word};"]
        kind = rule.kind if rule is not None else self.guess(node)
        if (mark and kind not in ("block", "oneline", "names")) or (
                kind in ("leaf", "list") and _tagged(node)):
            kind = "block"  # `inactive:` inside a one-line statement: keep it visible
        if kind == "named":
            return self.named(node, lineage, rule)
        if kind == "leaf":
            return [f"{mark}{word} {' '.join(words)};" for words in _paths(node)]
        if kind == "list" and all(not k.children and k.tag != INACTIVE for k in kids):
            if len(kids) == 1:
                return [f"{mark}{word} {kids[0].text};"]
            return [f"{mark}{word} [ {' '.join(k.text for k in kids)} ];"]
        if kind == "list":
            return [line for k in kids for line in self.value(word, mark, k, lineage, None)]
        if kind == "oneline" and len(kids) == 1:
            inner = self.statement(kids[0], (*lineage, kids[0].text), name=False)
            if len(inner) == 1:
                return [f"{mark}{word} {inner[0]}"]
        return self.block(mark + word, node, lineage, names=kind == "names")

    def guess(self, node: Node) -> str:
        """A word the table does not know, by the shape of what follows it."""
        kids = node.children
        if len(kids) == 1 and not kids[0].children and kids[0].tag != INACTIVE:
            return "leaf"  # `host-name r1;`, `type internal;`
        if len(kids) == 1 and _looks_like_value(kids[0].text):
            return "named"  # `fpc 0 {`
        return "block"

    def named(self, node: Node, lineage: tuple[str, ...], rule: BraceRule | None) -> list[str]:
        lines: list[str] = []
        for value in node.children:
            lines += self.value(node.text, _mark(node), value, lineage, rule)
        return lines

    def value(self, word: str, mark: str, value: Node, lineage: tuple[str, ...],
              rule: BraceRule | None) -> list[str]:
        """`keyword name …` for one object; further name words (`values` > 1) join the head."""
        head = [value.text]
        node, path = value, (*lineage, value.text)
        mark = mark or _mark(value)
        for _ in range((rule.values if rule is not None else 1) - 1):
            if len(node.children) != 1 or node.children[0].tag == INACTIVE:
                break
            node = node.children[0]
            head.append(node.text)
            path = (*path, node.text)
        text = f"{mark}{word} {' '.join(head)}"
        kids = node.children
        if not kids:
            return [text + ";"]
        if rule is not None and rule.inline and len(kids) == 1:
            inner = self.statement(kids[0], (*path, kids[0].text), name=False)
            if len(inner) == 1:
                return [f"{text} {inner[0]}"]
        return self.block(text, node, path, names=False)


def _tagged(node: Node) -> bool:
    return any(child.tag == INACTIVE or _tagged(child) for child in node.children)


def _paths(node: Node) -> list[list[str]]:
    """The lines of a leaf statement: one per path to a leaf, so that each line reads back
    as the same words (`route-filter 10.0.0.0/8 exact;`, `local-as 65000 private;`)."""
    out: list[list[str]] = []
    for child in node.children:
        out += [[child.text, *rest] for rest in (_paths(child) if child.children else [[]])]
    return out
