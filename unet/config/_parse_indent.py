"""Parser and emitter for indentation dialects (IOS, IOS-XE, NX-OS, EOS, IOS-XR).

Depth comes from relative indentation: a line is a child of the nearest earlier
line indented less. The hot loop uses only str methods and precomputed tables.
"""

from __future__ import annotations

import operator

from unet.config._gc import paused
from unet.config._rules_index import RuleIndex
from unet.config._text import UNREADABLE
from unet.config._tree import _NO_INDEX, MAX_DEPTH, ConfigTree, Node
from unet.config.rules import DialectRules, ExitRule, OpaqueBlock
from unet.core import Diagnostic, Location, Severity

__all__ = ["canonical_opaque", "emit_indent", "exit_index", "parse_indent", "retype_opaque"]


class _Tables:
    """Per-dialect lookups built once and cached on first use."""

    __slots__ = ("comments", "keep", "noise_prefixes", "opaque", "opaque_prefixes", "skip",
                 "special")

    def __init__(self, rules: DialectRules) -> None:
        self.comments = rules.comment_prefixes
        self.keep = rules.keep_prefixes
        self.noise_prefixes = rules.noise_prefixes
        self.opaque = rules.opaque
        self.opaque_prefixes = tuple(block.prefix for block in rules.opaque)
        self.skip = frozenset({"", *rules.noise_lines, *(rule.text for rule in rules.exits)})
        self.special = (*self.comments, *self.noise_prefixes, *self.opaque_prefixes)


_TABLES: dict[str, _Tables] = {}


def _tables(rules: DialectRules) -> _Tables:
    found = _TABLES.get(rules.name)
    if found is None:
        found = _TABLES[rules.name] = _Tables(rules)
    return found


@paused
def parse_indent(text: str, rules: DialectRules, path: str = "<config>") -> ConfigTree:
    """Parse an indentation dialect into a tree; problems become diagnostics."""
    return _parse(text, _tables(rules), ConfigTree(rules.name, path))


def _parse(text: str, t: _Tables, tree: ConfigTree) -> ConfigTree:
    lines = text.split("\n")
    # Bulk str work runs at C speed; the loop below only walks the results.
    lstripped = list(map(str.lstrip, lines))
    if "\t" in text:
        indents = [
            len(raw[: len(raw) - len(ls)].expandtabs(8))
            for raw, ls in zip(lines, lstripped, strict=True)
        ]
    else:
        indents = list(map(operator.sub, map(len, lines), map(len, lstripped)))
    stripped = list(map(str.rstrip, lstripped))
    garbage = UNREADABLE.search(text) is not None
    skip, special = t.skip, t.special
    stack_indents: list[int] = [-1]
    stack_nodes: list[Node] = [tree]
    parent: Node = tree
    children, index = tree.children, tree.index
    top = -1
    resume = 0  # lines before this index were consumed by an opaque block
    for number, (s, indent) in enumerate(zip(stripped, indents, strict=True), 1):
        if s in skip or number <= resume:
            continue
        kind = None
        if garbage or s.startswith(special):
            # Before the stack moves: a stray `!` at any depth must not change the parent.
            kind = _special(t, s, stack_indents, stack_nodes, indent, garbage)
            if kind is _SKIP:
                if garbage and _unreadable(s):
                    _warn(tree, number, "C101", f"unreadable line skipped: {s[:40]!r}")
                continue
        if top >= indent:
            while stack_indents[-1] >= indent:
                stack_indents.pop()
                stack_nodes.pop()
            top = stack_indents[-1]
            if stack_nodes[-1] is not parent:
                parent = stack_nodes[-1]
                children, index = parent.children, parent.index
        elif top >= 0 and stack_nodes[-1] is not parent:
            parent = stack_nodes[-1]  # the previous line gets its first child
            if len(stack_nodes) > MAX_DEPTH:
                tree.deep = True
            if parent.index is _NO_INDEX:
                parent.children, parent.index = [], {}
            children, index = parent.children, parent.index
        if kind is not None:
            resume = _read_opaque(tree, parent, kind, s, stripped, lines, number)  # type: ignore[arg-type]
            continue
        node = index.get(s)
        if node is None:
            node = index[s] = Node(s, number)
            children.append(node)
        elif node.children:
            _warn(tree, number, "C102", f"repeated section {s!r} merged with line {node.line}")
        else:
            node = Node(s, number)
            children.append(node)
        stack_indents.append(indent)
        stack_nodes.append(node)
        top = indent
    return tree


_SKIP = object()


def _special(
    t: _Tables, s: str, indents: list[int], stack: list[Node], indent: int, garbage: bool
) -> object:
    """The slow path for lines that may be comments, noise or opaque blocks."""
    if garbage and _unreadable(s):
        return _SKIP
    if s.startswith(t.comments) and not (t.keep and s.startswith(t.keep)):
        return _SKIP
    if t.noise_prefixes and s.startswith(t.noise_prefixes):
        return _SKIP
    if t.opaque_prefixes and s.startswith(t.opaque_prefixes):
        ancestors = [n.text for i, n in zip(indents[1:], stack[1:], strict=True) if i < indent]
        return _opaque_at(t.opaque, s, ancestors)
    return None


def _unreadable(s: str) -> bool:
    return UNREADABLE.search(s) is not None


def _warn(tree: ConfigTree, line: int, code: str, message: str) -> None:
    where = Location(tree.path, line, 1)
    tree.diagnostics.append(Diagnostic(where, code, Severity.WARNING, message))


def _opaque_at(
    blocks: tuple[OpaqueBlock, ...], s: str, ancestors: list[str]
) -> OpaqueBlock | None:
    for block in blocks:
        if s.startswith(block.prefix) and (block.within is None or block.within.lineage(ancestors)):
            return block
    return None


def _read_opaque(
    tree: ConfigTree,
    parent: Node,
    block: OpaqueBlock,
    s: str,
    stripped: list[str],
    lines: list[str],
    number: int,
) -> int:
    """Add the block starting at line `number` (1-based) as one leaf; return the next index."""
    end, exact = block.end, True
    if block.delimited:
        words = s.split(None, block.skip)
        rest = words[block.skip] if len(words) > block.skip else ""
        if rest:
            end, exact = ("^C" if rest.startswith("^C") else rest[0]), False
            if end in rest[len(end) :]:
                if block.shown and end != block.shown:
                    s = _redelimit(s, block, end, block.shown)
                parent.add(s, number)
                return number
    for j in range(number, len(lines)):
        if (stripped[j] == end) if exact else (end in stripped[j]):
            body = "\n".join([s, *(raw.rstrip() for raw in lines[number : j + 1])])
            if block.shown and not exact and end != block.shown:
                body = _redelimit(body, block, end, block.shown)
            parent.add(body, number)
            return j + 1
    _warn(tree, number, "C103", f"unterminated block {s!r} (no closing {end!r}); kept as one line")
    parent.add(s, number)
    return number


def _delimiter(text: str, block: OpaqueBlock) -> tuple[str, int] | None:
    """The delimiter of a delimited block and where it starts in `text`."""
    head = text.split("\n", 1)[0]
    words = head.split(None, block.skip)
    if len(words) <= block.skip or not words[block.skip]:
        return None
    rest = words[block.skip]
    return ("^C" if rest.startswith("^C") else rest[0]), len(head) - len(rest)


def _redelimit(text: str, block: OpaqueBlock, old: str, new: str) -> str:
    start = _delimiter(text, block)
    last = text.rfind(old)
    if start is None or last <= start[1]:
        return text
    at = start[1]
    return text[:at] + new + text[at + len(old) : last] + new + text[last + len(old) :]


def _shown_blocks(rules: DialectRules) -> tuple[OpaqueBlock, ...]:
    return tuple(b for b in rules.opaque if b.delimited and b.shown)


def canonical_opaque(text: str, rules: DialectRules) -> str:
    """A banner typed with any delimiter, as the device shows it (IOS stores ETX and
    shows `^C`); any other text unchanged."""
    for block in _shown_blocks(rules):
        shown = block.shown
        if shown is not None and text.startswith(block.prefix):
            found = _delimiter(text, block)
            if found is not None and found[0] != shown:
                return _redelimit(text, block, found[0], shown)
    return text


def retype_opaque(text: str, rules: DialectRules) -> tuple[str, str] | None:
    """A banner shown with `^C`, with a delimiter that can be typed (pasting `^C` makes
    `^` the delimiter): the first of the dialect's `banner_delimiters` not in the body.
    Returns (text, delimiter), or None when the text needs no change."""
    for block in _shown_blocks(rules):
        if not text.startswith(block.prefix):
            continue
        found = _delimiter(text, block)
        if found is None or found[0] != block.shown:
            return None
        body = text[found[1] + len(block.shown) : text.rfind(block.shown)]
        for char in rules.banner_delimiters:
            if char not in body:
                return _redelimit(text, block, block.shown, char), char
        return None
    return None


def emit_indent(tree: Node, rules: DialectRules) -> str:
    """The configuration text, indented `rules.indent` spaces per level, exits re-added."""
    out: list[str] = []
    _emit(tree, rules, 0, (), out)
    return "\n".join(out) + "\n" if out else ""


def _emit(
    node: Node, rules: DialectRules, depth: int, lineage: tuple[str, ...], out: list[str]
) -> None:
    pad = " " * (rules.indent * depth)
    for child in node.children:
        out.append(pad + child.text)
        if child.children:
            _emit(child, rules, depth + 1, (*lineage, child.text), out)
        if rules.exits:
            exit_text = _exit_for(rules, (*lineage, child.text))
            if exit_text:
                out.append(pad + exit_text)


_EXITS: dict[int, RuleIndex[ExitRule]] = {}


def exit_index(rules: DialectRules) -> RuleIndex[ExitRule]:
    """The dialect's exit rules, indexed for lookups by lineage (cached)."""
    found = _EXITS.get(id(rules))
    if found is None:
        found = _EXITS[id(rules)] = RuleIndex(rules.exits)
    return found


def _exit_for(rules: DialectRules, lineage: tuple[str, ...]) -> str | None:
    hit = exit_index(rules).first(lineage)
    return hit[0].text if hit is not None else None
