"""Entry points that pick the parser, emitter and rule table for a dialect."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from unet.config._diff import ConfigDiff
from unet.config._diff import detect_profile as _detect_profile
from unet.config._diff import diff as _diff
from unet.config._emit_brace import emit_brace
from unet.config._match import Match
from unet.config._parse_indent import emit_indent, parse_indent
from unet.config._parse_junos import emit_set, parse_junos
from unet.config._tree import CONTEXT, ConfigTree, Node, cap_depth
from unet.config.dialects import DIALECTS, get_dialect
from unet.config.rules import DialectRules
from unet.core import Diagnostic, Location, Severity

__all__ = ["Detection", "detect_dialect", "detect_profile", "diff", "emit", "parse", "slice"]

Parser = Callable[[str, DialectRules, str], ConfigTree]
Emitter = Callable[[Node, DialectRules], str]

_PARSERS: dict[str, Parser] = {"indent": parse_indent, "junos": parse_junos}
# (syntax, form) -> emitter; form None is the dialect's usual form.
_EMITTERS: dict[tuple[str, str | None], Emitter] = {
    ("indent", None): emit_indent,
    ("indent", "indent"): emit_indent,
    ("junos", None): emit_brace,
    ("junos", "brace"): emit_brace,
    ("junos", "set"): emit_set,
}


def parse(text: str, dialect: str | DialectRules = "ios", *, path: str = "<config>") -> ConfigTree:
    """Parse configuration text; warnings are in `tree.diagnostics`, never raised.

    Lines ending in a lone CR are split there (C402), in a file with no other line end; in
    one whose lines end in LF a lone CR is part of its line (C403), never a line of its own.
    A tree nested deeper than MAX_DEPTH is cut to that depth (C401, an error) so no tree
    operation can exhaust the stack.
    """
    rules = get_dialect(dialect)
    text, cr_line, cr_col, split = _line_ends(text)
    tree = _PARSERS[rules.syntax](text, rules, path)
    if cr_line and split:
        tree.diagnostics.insert(0, Diagnostic(
            Location(path, cr_line), "C402", Severity.WARNING,
            "lines end in a lone CR (old Mac line endings); each CR was read as a line end"))
    elif cr_line:
        tree.diagnostics.insert(0, Diagnostic(
            Location(path, cr_line, cr_col), "C403", Severity.WARNING,
            "a CR inside the line (the file's lines end in LF): read as part of the line, "
            "which no command sent to a device may hold"))
    if tree.deep or rules.syntax != "indent":  # JunOS paths can nest in one `set` line
        cap_depth(tree)
    return tree


def _line_ends(text: str) -> tuple[str, int, int, bool]:
    """The text, the 1-based line and column of its first lone CR (0: none), and whether lone CRs
    were made line ends: only in a file that has no other (an old Mac file). Inside an LF
    file a CR is data: `ntp server 10.0.0.5<CR>hostname x` is one line, not two."""
    if "\r" not in text.replace("\r\n", ""):
        return text, 0, 0, False
    before = text.replace("\r\n", "\n")
    first = before.index("\r")
    line = before.count("\n", 0, first) + 1
    col = first - before.rfind("\n", 0, first)
    if "\n" in before.rstrip("\n"):
        return before, line, col, False
    return before.replace("\r", "\n"), line, 1, True


def emit(tree: Node, dialect: str | DialectRules | None = None, *, form: str | None = None) -> str:
    """Configuration text for a tree (or a remediation). JunOS `form` is "brace" or "set"."""
    name = dialect if dialect is not None else getattr(tree, "dialect", "ios")
    rules = get_dialect(name)
    emitter = _EMITTERS.get((rules.syntax, form))
    if emitter is None:
        raise ValueError(f"{rules.name} has no {form!r} form")
    return emitter(tree, rules)


def diff(running: ConfigTree, intended: ConfigTree, *, profile: str | None = None) -> ConfigDiff:
    """Hierarchical diff of two trees of the same dialect. `profile` (switch, router)
    picks the platform defaults; detected from `running` when not given."""
    if running.dialect != intended.dialect:
        raise ValueError(f"cannot diff {running.dialect} against {intended.dialect}")
    return _diff(running, intended, get_dialect(running.dialect), profile=profile)


def detect_profile(tree: ConfigTree) -> str | None:
    """The device profile of a full configuration (IOS: switch or router)."""
    return _detect_profile(tree, get_dialect(tree.dialect))


def slice(tree: ConfigTree, match: Match | str) -> ConfigTree:
    """The lines matching `match`, with their ancestors and all their descendants."""
    expression = Match.parse(match) if isinstance(match, str) else match
    out = ConfigTree(tree.dialect, tree.path)
    _slice(tree, expression, 0, out)
    return out


def _slice(node: Node, match: Match, depth: int, out: Node) -> None:
    last = depth == len(match.levels) - 1
    for child in node.children:
        if not match.line(depth, child.text):
            continue
        if last:
            out.adopt(child.copy())
            continue
        section = Node(child.text, child.line)
        section.tag = child.tag if child.tag is not None else CONTEXT
        _slice(child, match, depth + 1, section)
        if section.children:
            out.adopt(section)


# Syntaxes whose tree has one word per level (JunOS): a statement spans levels.
_WORD_TREES = frozenset({"junos"})


def trim(tree: ConfigTree, depth: int) -> ConfigTree:
    """`tree` (changed in place) with `depth` levels kept. In a word tree a statement cut
    at the last level keeps its words up to where it branches, so `description "x"` stays
    whole and `unit 0` keeps its name."""
    words = get_dialect(tree.dialect).syntax in _WORD_TREES
    _trim(tree, depth, words)
    return tree


def _trim(node: Node, depth: int, words: bool) -> None:
    for child in node.children:
        if depth > 1:
            _trim(child, depth - 1, words)
            continue
        end = child
        while words and len(end.children) == 1:  # the statement's own words
            end = end.children[0]
        end.children, end.index = [], {}


class Detection(NamedTuple):
    """The detected dialect; `certain` is False on a tie or when nothing matched."""

    name: str
    certain: bool
    scores: dict[str, int]


_SIGNATURES: dict[str, list[tuple[re.Pattern[str], int]]] = {}


def detect_dialect(text: str) -> Detection:
    """Score each dialect's signatures on the first 64 KiB; the best score wins."""
    sample = text[:65536]
    scores = {}
    for name, rules in DIALECTS.items():
        if rules.name != name:
            continue  # aliases such as iosxe share a table
        patterns = _SIGNATURES.setdefault(
            name, [(re.compile(p, re.MULTILINE), w) for p, w in rules.signatures]
        )
        scores[name] = sum(w * min(len(p.findall(sample)), 3) for p, w in patterns)
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    best, score = ranked[0]
    if score == 0:
        return Detection("ios", False, scores)
    return Detection(best, score > ranked[1][1], scores)
