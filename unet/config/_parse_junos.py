"""JunOS: brace and `set` forms parse to the same tree, one word (or quoted string) per
level; `inactive:`/`deactivate` is kept as the node's tag. Both forms can be emitted."""

from __future__ import annotations

import re

from unet.config._gc import paused
from unet.config._tree import INSERT, NEGATE, ConfigTree, Node
from unet.config.rules import DialectRules
from unet.core import Diagnostic, Location, Severity

__all__ = ["INACTIVE", "emit_set", "parse_junos"]

INACTIVE = "inactive"
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|"[^"]*$|/\*|[{};\[\]]|[^\s{};\[\]"]+')
_PREFIXES = {"inactive:": INACTIVE, "protect:": "protect", "replace:": None}
_SET_VERBS = frozenset({"set", "deactivate", "activate", "delete", "protect"})


class _State:
    __slots__ = ("comment", "comment_at", "indent", "items", "listing", "open_line", "opened",
                 "stack", "tag", "tree", "words")

    def __init__(self, tree: ConfigTree) -> None:
        self.tree = tree
        self.stack: list[Node] = [tree]
        self.opened: list[int] = [0]  # the line each open block began on
        self.words: list[str] = []
        self.items: list[str] = []
        self.listing = False
        self.comment = False
        self.comment_at = (0, 0)  # line and column of the `/*` of an open comment
        self.tag: str | None = None
        self.indent = 0  # of the line being read, for columns
        self.open_line = 0  # a line that ended inside a statement (no ';' or '{')

    def warn(self, line: int, code: str, message: str) -> None:
        where = Location(self.tree.path, line, 1)
        self.tree.diagnostics.append(Diagnostic(where, code, Severity.WARNING, message))

    def drop_pending(self) -> None:
        self.words, self.items, self.tag, self.listing, self.open_line = [], [], None, False, 0


@paused
def parse_junos(text: str, rules: DialectRules, path: str = "<config>") -> ConfigTree:
    """Every line is read into the tree or reported: nothing is dropped silently."""
    tree = ConfigTree(rules.name, path)
    state = _State(tree)
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        state.indent = len(raw) - len(raw.lstrip())
        if not line or (not state.comment and line.startswith("#")):
            continue
        first = line.split(None, 1)[0]
        if not state.comment and not state.listing and first in _SET_VERBS and (
                len(state.stack) == 1 or not line.endswith((";", "{", "}"))):
            # Inside braces `set` can be a keyword (`community { set C; }`), never a line
            # without a terminator.
            _before_set(state, number)
            _set_line(state, line, number)
        elif not state.comment and not state.words and line.startswith("!"):
            state.warn(number, "C501", f"not JunOS syntax (a comment from another tool?); "
                       f"line skipped: {line[:40]!r}")
        else:
            if state.open_line and not state.comment:
                state.warn(state.open_line, "C503", "statement has no ';' or '{' at the end "
                           f"of the line; read on with line {number}")
                state.open_line = 0
            _brace_line(state, line, number)
            if (state.words or state.tag) and not state.listing and not state.comment:
                state.open_line = number
    last = text.count("\n") + 1
    if state.comment:  # the rest of the file is not configuration: never act on it
        start, column = state.comment_at
        end = text.rstrip().count("\n") + 1
        lines = f"lines {start}-{end} were" if end > start else f"line {start} was"
        tree.diagnostics.append(Diagnostic(
            Location(tree.path, start, column), "C505", Severity.ERROR,
            f"'/*' comment is never closed: {lines} read as a comment (add the missing '*/')"))
        return tree  # what is unclosed after it follows from this
    if state.words or state.items:
        state.warn(state.open_line or last, "C502", "statement without ';' or '{' at end of "
                   f"file; skipped: {' '.join(state.words)[:40]!r}")
    if len(state.stack) > 1:
        unclosed = len(state.stack) - 1
        state.warn(last, "C113", f"{unclosed} unclosed '{{' at end of file (the innermost "
                   f"opened on line {state.opened[-1]})")
    return tree


def _before_set(state: _State, number: int) -> None:
    """A `set` line ends whatever brace text came before it."""
    if state.words or state.items:
        where = state.open_line or number
        state.warn(where, "C501", "neither a `set` command nor a complete statement; "
                   f"skipped: {' '.join(state.words)[:40]!r}")
        state.drop_pending()
    if len(state.stack) > 1:
        state.warn(number, "C504", f"`set` line inside the '{{' opened on line "
                   f"{state.opened[-1]}; that block is closed here")
        del state.stack[1:], state.opened[1:]


def _words(line: str) -> list[str]:
    return [tok for tok in _TOKEN.findall(line) if tok not in ";[]"]


def _set_line(state: _State, line: str, number: int) -> None:
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
    pos: int | None = 0
    if state.comment:
        end = line.find("*/")
        if end < 0:
            return
        state.comment, pos = False, end + 2
    while pos is not None:
        pos = _tokens(state, line, pos, number)


def _tokens(state: _State, line: str, pos: int, number: int) -> int | None:
    """Read tokens from `pos`; the position after a closed `/* */` comment, else None."""
    for found in _TOKEN.finditer(line, pos):
        token = found.group()
        if token == "/*":
            end = line.find("*/", found.end())
            if end < 0:
                state.comment = True
                state.comment_at = (number, state.indent + found.start() + 1)
                return None
            return end + 2
        if token.startswith("#") and not state.words:
            return None
        if token.startswith('"') and (len(token) == 1 or not token.endswith('"')):
            state.warn(number, "C114", "unterminated quoted string closed at end of line")
            token += '"'
        _token(state, token, number)
    return None


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
        state.opened.append(number)
    elif token == "}":
        if state.words:
            _leaf(state, number)
        if len(state.stack) > 1:
            state.stack.pop()
            state.opened.pop()
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
    """`set` lines for every leaf, then `deactivate` for inactive statements; in a
    remediation, `delete` lines first and `insert` lines last."""
    out: list[str] = []
    tail: list[str] = []
    deletes: list[str] = []
    inserts: list[str] = []
    _emit_set(tree, "", out, tail, deletes, inserts)
    lines = deletes + out + tail + inserts
    return "\n".join(lines) + "\n" if lines else ""


def _emit_set(node: Node, prefix: str, out: list[str], tail: list[str], deletes: list[str],
              inserts: list[str]) -> None:
    for child in node.children:
        tag = child.tag
        if isinstance(tag, tuple) and tag[0] == NEGATE:  # a remediation command
            deletes.append(f"delete {prefix}{tag[1]}")
            continue
        if isinstance(tag, tuple) and tag[0] == INSERT:
            _, template, item, where, anchor = tag
            path = prefix.rstrip()
            inserts.append(template.format(path=path, item=item, where=where, anchor=anchor,
                                           keyword=path.rsplit(" ", 1)[-1]))
            continue
        path = prefix + child.text
        if child.tag == INACTIVE:
            tail.append(f"deactivate {path}")
        if child.children:
            _emit_set(child, path + " ", out, tail, deletes, inserts)
        else:
            out.append(f"set {path}")
