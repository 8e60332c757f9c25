"""JunOS: brace and `set` forms parse to the same tree, one word (or quoted string) per
level; `inactive:`/`deactivate` is kept as the node's tag. Both forms can be emitted."""

from __future__ import annotations

import re

from unet.config._gc import paused
from unet.config._tree import NEGATE, ConfigTree, Node
from unet.config.rules import DialectRules
from unet.core import Diagnostic, Location, Severity

__all__ = ["INACTIVE", "emit_brace", "emit_set", "parse_junos"]

INACTIVE = "inactive"
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|"[^"]*$|/\*|[{};\[\]]|[^\s{};\[\]"]+')
_PREFIXES = {"inactive:": INACTIVE, "protect:": "protect", "replace:": None}
_SET_VERBS = frozenset({"set", "deactivate", "activate", "delete", "protect"})


class _State:
    __slots__ = ("comment", "items", "listing", "stack", "tag", "tree", "words")

    def __init__(self, tree: ConfigTree) -> None:
        self.tree = tree
        self.stack: list[Node] = [tree]
        self.words: list[str] = []
        self.items: list[str] = []
        self.listing = False
        self.comment = False
        self.tag: str | None = None

    def warn(self, line: int, code: str, message: str) -> None:
        where = Location(self.tree.path, line, 1)
        self.tree.diagnostics.append(Diagnostic(where, code, Severity.WARNING, message))


@paused
def parse_junos(text: str, rules: DialectRules, path: str = "<config>") -> ConfigTree:
    tree = ConfigTree(rules.name, path)
    state = _State(tree)
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line or (not state.comment and line.startswith("#")):
            continue
        first = line.split(None, 1)[0]
        if len(state.stack) == 1 and not state.words and not state.comment and first in _SET_VERBS:
            _set_line(state, line, number)
        else:
            _brace_line(state, line, number)
    if len(state.stack) > 1 or state.words:
        unclosed = len(state.stack) - 1
        state.warn(text.count("\n") + 1, "C113", f"{unclosed} unclosed '{{' at end of file")
    return tree


def _words(line: str) -> list[str]:
    return [tok for tok in _TOKEN.findall(line) if tok not in ";[]"]


def _set_line(state: _State, line: int | str, number: int) -> None:
    assert isinstance(line, str)
    verb, *words = _words(line)
    if not words:
        state.warn(number, "C111", f"{verb!r} without a path; line skipped")
        return
    if verb in ("delete", "activate"):
        state.warn(number, "C111", f"{verb!r} is a command, not configuration; line skipped")
        return
    node: Node = state.tree
    for word in words:
        node = node.ensure(word, number)
    if verb in ("deactivate", "protect"):
        node.tag = INACTIVE if verb == "deactivate" else "protect"


def _brace_line(state: _State, line: str, number: int) -> None:
    for token in _TOKEN.findall(line):
        if state.comment:
            state.comment = not token.endswith("*/") and "*/" not in token
            continue
        if token == "/*":
            state.comment = "*/" not in line[line.index("/*") :]
            if not state.comment:
                break
            continue
        if token.startswith("#") and not state.words:
            break
        if token.startswith('"') and (len(token) == 1 or not token.endswith('"')):
            state.warn(number, "C114", "unterminated quoted string closed at end of line")
            token += '"'
        _token(state, token, number)


def _token(state: _State, token: str, number: int) -> None:
    if token == "[":
        state.listing = True
    elif token == "]":
        state.listing = False
    elif token == ";":
        _leaf(state, number)
    elif token == "{":
        node = _path(state, number)
        state.stack.append(node)
    elif token == "}":
        if state.words:
            _leaf(state, number)
        if len(state.stack) > 1:
            state.stack.pop()
        else:
            state.warn(number, "C112", "unbalanced '}' ignored")
    elif state.listing:
        state.items.append(token)
    elif not state.words and token in _PREFIXES:
        state.tag = _PREFIXES[token]
    else:
        state.words.append(token)


def _path(state: _State, number: int) -> Node:
    node = state.stack[-1]
    for word in state.words:
        node = node.ensure(word, number)
    if state.tag:
        node.tag = state.tag
    state.words, state.tag = [], None
    return node


def _leaf(state: _State, number: int) -> None:
    items = state.items
    if not state.words and not items:
        state.tag = None
        return
    node = _path(state, number)
    for item in items:
        node.ensure(item, number)
    state.items = []


def emit_set(tree: Node, rules: DialectRules | None = None) -> str:
    """`set` lines for every leaf, then `deactivate` for inactive statements."""
    out: list[str] = []
    tail: list[str] = []
    deletes: list[str] = []
    _emit_set(tree, "", out, tail, deletes)
    lines = deletes + out + tail
    return "\n".join(lines) + "\n" if lines else ""


def _emit_set(
    node: Node, prefix: str, out: list[str], tail: list[str], deletes: list[str]
) -> None:
    for child in node.children:
        tag = child.tag
        if isinstance(tag, tuple) and tag[0] == NEGATE:  # a remediation command
            deletes.append(f"delete {prefix}{tag[1]}")
            continue
        path = prefix + child.text
        if child.tag == INACTIVE:
            tail.append(f"deactivate {path}")
        if child.children:
            _emit_set(child, path + " ", out, tail, deletes)
        else:
            out.append(f"set {path}")


def emit_brace(tree: Node, rules: DialectRules) -> str:
    out: list[str] = []
    for child in tree.children:
        _statement(child, "", 0, rules, out)
    return "\n".join(out) + "\n" if out else ""


def _statement(node: Node, prefix: str, depth: int, rules: DialectRules, out: list[str]) -> None:
    pad = " " * (rules.indent * depth)
    mark = "inactive: " if node.tag == INACTIVE else ""
    words = prefix + node.text
    kids = node.children
    if not kids:
        out.append(f"{pad}{mark}{words};")
    elif node.text in rules.join_keywords and depth > 0 and not mark and not prefix:
        for child in kids:
            _statement(child, words + " ", depth, rules, out)
    elif len(kids) == 1 and not kids[0].children and kids[0].tag != INACTIVE:
        out.append(f"{pad}{mark}{words} {kids[0].text};")
    else:
        out.append(f"{pad}{mark}{words} {{")
        for child in kids:
            _statement(child, "", depth + 1, rules, out)
        out.append(pad + "}")
