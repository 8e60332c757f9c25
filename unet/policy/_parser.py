"""Policy text -> syntax tree, with every syntax error in plain words at file:line:col.

A recursive-descent parser over a one-regex lexer (no parser tables to build at start-up,
tens of microseconds a rule). A file with a syntax error is parsed again split into rules, so
one run reports an error in every broken rule, not just the first one of the file. The grammar:

    start      := rule*
    rule       := [header] WHEN condition THEN action ([","] action)* [MESSAGE string]
    header     := RULE rule-id [SEVERITY (error | warning | info)] [string]
    action     := ASSERT condition | SET path TO operand | APPLY string
    condition  := and (OR and)*
    and        := not (AND not)*
    not        := NOT not | "(" condition ")" | quantifier | comparison
    quantifier := (ANY | ALL | NONE) name IN operand [WHERE condition] (SATISFIES | SATISFY)
                  condition
    comparison := operand [op operand | IS [NOT] (NULL | operand) | NOT (word-op | IN) operand]
    op         := == | != | < | <= | > | >= | word-op | IN
    word-op    := CONTAINS | MATCHES | STARTSWITH | ENDSWITH | HAS
    operand    := string | number | /regex/flags | true | false | null
                | name ("." name | "[" operand "]")* ["(" [operand ("," operand)*] ")"]
                  ("." name | "[" operand "]")*
                | "[" [operand ("," operand)*] [","] "]"
                | "{" [(name | string) ":" operand ("," ...)*] [","] "}"

Keywords are upper case and whole words: `ANDROID` is a name, `WHENnode` is not `WHEN node`.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from functools import cache
from itertools import accumulate
from pathlib import PurePosixPath
from typing import Any, NoReturn

from unet.core import Diagnostic, Location, Severity, paused_gc
from unet.policy import _ast as ast

__all__ = ["KEYWORDS", "MAX_POLICY_BYTES", "parse_condition", "parse_policy"]

MAX_POLICY_BYTES = 1024 * 1024
MAX_NESTING = 100

KEYWORDS = ("WHEN", "THEN", "AND", "OR", "NOT", "ASSERT", "SET", "TO", "APPLY", "IS", "NULL",
            "IN", "RULE", "SEVERITY", "MESSAGE", "ANY", "ALL", "NONE", "WHERE", "SATISFIES",
            "SATISFY", "CONTAINS", "MATCHES", "STARTSWITH", "ENDSWITH", "HAS")
_KEYWORDS = frozenset(KEYWORDS)
_LITERAL_WORDS = {"true": True, "false": False, "null": None}

# What the parser calls a token -> what a network engineer calls it.
_HUMAN = {
    "COMPARE": "a comparison (==, !=, <, <=, >, >=)",
    "NAME": "a field name",
    "RULE_ID": "a rule id",
    "SEVERITY_NAME": "a severity (error, warning, info)",
    "STRING": "a string",
    "NUMBER": "a number",
    "REGEX": "a /regex/",
    "(": "'('", ")": "')'", "[": "'['", "]": "']'", "{": "'{'", "}": "'}'", ",": "','",
    ".": "'.'", ":": "':'",
    "$END": "the end of the file",
}
_OPERATOR_WORDS = ("CONTAINS", "MATCHES", "STARTSWITH", "ENDSWITH", "HAS", "IN", "IS")
_WORD_OPS = frozenset(("CONTAINS", "MATCHES", "STARTSWITH", "ENDSWITH", "HAS"))
_QUANTIFIERS = frozenset(("ANY", "ALL", "NONE"))
_ACTIONS = frozenset(("ASSERT", "SET", "APPLY"))
_AFTER_ACTION = (",", "ASSERT", "SET", "APPLY")
_AFTER_RULE = ("RULE", "WHEN", "$END")
_SEVERITIES = {name: Severity.parse(name) for name in ("error", "warning", "info")}
_OPERAND_START = frozenset(("STRING", "NUMBER", "REGEX", "true", "false", "null", "NAME", "[",
                            "{"))
_CONDITION_START = _OPERAND_START | {"NOT", "(", *_QUANTIFIERS}
_AFTER_OPERAND = frozenset(("COMPARE", "IS", "NOT", "IN", *_WORD_OPS))
_SEGMENT = frozenset((".", "[", "("))

# One match per token: what to skip (spaces, comments), then the token.
_TOKEN = r"""
    (?>[ \t\f\r\n]*(?:(?://|\#)[^\n]*[ \t\f\r\n]*|/\*(?s:.*?)\*/[ \t\f\r\n]*)*)
    (?:(?P<word>[A-Za-z_][A-Za-z0-9_]*)
      |(?P<string>"[^"\\\n]*(?:\\.[^"\\\n]*)*"|'[^'\\\n]*(?:\\.[^'\\\n]*)*')
      |(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
      |(?P<compare>==|!=|<=|>=|<|>)
      |(?P<regex>/(?![/*])(?:[^/\\\n]|\\.)+/[imsx]*)
      |(?P<punct>[()\[\]{},.:]))
"""
# Lark's WS (ASCII only) and comments: blanks, then each comment followed by blanks.
_SPACE = r"[ \t\f\r\n]*(?:(?://|#)[^\n]*[ \t\f\r\n]*|/\*(?s:.*?)\*/[ \t\f\r\n]*)*"
_RULE_ID = rf"(?>{_SPACE})([A-Za-z0-9][A-Za-z0-9_.:\-]*)"


@cache
def _one_at_a_time() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The patterns of `_lex_each`: a token, a skip and a rule id (compiled when a text
    first has a character that fits no token: a run without one never pays for them)."""
    return re.compile(_TOKEN, re.VERBOSE), re.compile(_SPACE), re.compile(_RULE_ID)


_KINDS = {"string": "STRING", "number": "NUMBER", "compare": "COMPARE", "regex": "REGEX"}


class _SyntaxProblem(Exception):
    def __init__(self, index: int, expected: set[str], shown: set[str]) -> None:
        super().__init__()
        self.index = index
        self.expected = expected
        self.shown = shown


class _TooDeep(Exception):
    def __init__(self, index: int, what: str) -> None:
        super().__init__()
        self.index = index
        self.what = what


class _BadLiteral(Exception):
    """A token that lexes but is no value: said at `column` characters into the token."""

    def __init__(self, index: int, column: int, message: str) -> None:
        super().__init__()
        self.index = index
        self.column = column
        self.message = message


_PROBLEMS = (_SyntaxProblem, _TooDeep, _BadLiteral)
_INFINITY = float("inf")
MAX_DIGITS = 64  # of an integer literal, as in YAML files (U101): no number has more


def parse_policy(text: str, path: str) -> tuple[list[ast.Rule], list[Diagnostic]]:
    """All rules of one policy file and every syntax error in it."""
    if len(text.encode("utf-8", errors="ignore")) > MAX_POLICY_BYTES:
        return [], [_error(Location(path, 1, 1), "P102", "policy file is larger than 1 MiB")]
    stem = PurePosixPath(path).stem
    text = text.removeprefix("\ufeff")  # a byte-order mark some editors write: not text
    with paused_gc():
        # A file without errors parses in one piece (lexed once); a file with an error
        # is parsed again rule by rule, so that every broken rule is reported.
        rules = _parse_whole(text, path, stem)
        return (rules, []) if rules is not None else _parse_chunks(text, path, stem)


def _parse_whole(text: str, path: str, stem: str) -> list[ast.Rule] | None:
    """The rules of a file without a syntax error; None if it has one."""
    try:
        return _Parser(text, path, 0, stem, glued=True).rules()
    except _PROBLEMS:
        return None


def _parse_chunks(text: str, path: str, stem: str) -> tuple[list[ast.Rule], list[Diagnostic]]:
    """Every rule of a file and an error for every broken one: each rule's lines apart."""
    rules: list[ast.Rule] = []
    problems: list[Diagnostic] = []
    digests: dict[str, str] = {}  # short id of an unnamed rule -> its text's whole digest
    for offset, chunk in _chunks(text):
        parser = _Parser(chunk, path, offset, stem, digests)
        try:
            rules.extend(parser.rules())
        except _PROBLEMS as exc:
            problems.append(parser.diagnostic(exc))
    return rules, problems


def parse_condition(text: str, source: str = "<condition>") -> tuple[ast.Condition | None,
                                                                     list[Diagnostic]]:
    """A lone condition (for `--where` and waivers), with errors at `source`:1:col."""
    try:  # dotted names as one token, as a file is parsed whole
        return _Parser(text, source, 0, source, glued=True).lone_condition(), []
    except _PROBLEMS:
        pass
    parser = _Parser(text, source, 0, source)  # again, to say what is wrong and where
    try:
        return parser.lone_condition(), []
    except _PROBLEMS as exc:
        return None, [parser.diagnostic(exc)]


_STRIP = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|//.*|#.*')
_STARTS = re.compile(r"^\s*(RULE|WHEN)\b")
_WHEN = re.compile(r"\bWHEN\b")


def _chunks(text: str) -> list[tuple[int, str]]:
    """Split a file at the lines where rules start: (line offset, text) pairs."""
    lines = text.split("\n")  # lines end at "\n" only, as they do in locations
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    chunks: list[tuple[int, list[str]]] = [(0, [])]
    in_comment = False
    seen_when = False
    for number, line in enumerate(lines):
        opened = in_comment  # a line that starts inside /* ... */ cannot start a rule
        if not in_comment and "/*" not in line:
            visible = _STRIP.sub(" ", line) if ('"' in line or "'" in line or "/" in line
                                                or "#" in line) else line
        else:
            visible, in_comment = _visible(line, in_comment)
        start = None if opened else _STARTS.match(visible)
        if start and (start.group(1) == "RULE" or seen_when) and chunks[-1][1]:
            chunks.append((number, []))
            seen_when = False
        chunks[-1][1].append(line)
        seen_when = seen_when or ("WHEN" in visible and _WHEN.search(visible) is not None)
    return [(offset, "".join(body)) for offset, body in chunks
            if "".join(body).strip(" \t\f\r\n")]  # the whitespace the lexer skips


def _visible(line: str, in_comment: bool) -> tuple[str, bool]:
    """The line without strings and comments, and whether a block comment stays open."""
    out = ""
    rest = line
    while rest:
        if in_comment:
            end = rest.find("*/")
            if end < 0:
                return out, True
            rest, in_comment = rest[end + 2:], False
            continue
        start = rest.find("/*")
        head = rest if start < 0 else rest[:start]
        out += _STRIP.sub(" ", head)
        if start < 0:
            break
        rest, in_comment = rest[start + 2:], True
    return out, in_comment


def _error(location: Location, code: str, message: str) -> Diagnostic:
    return Diagnostic(location, code, Severity.ERROR, message)


# ---- the lexer -----------------------------------------------------------------------------

# The same tokens as _TOKEN (a rule id glued to its RULE), for `findall`: (skip, token) pairs,
# the last one (what follows the last token, "") ending at the end of the text.
def _all_tokens(word: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?>({_SPACE}))(RULE(?![A-Za-z0-9_])(?>{_SPACE})[A-Za-z0-9][A-Za-z0-9_.:\-]*"
        rf"|{word}|[()\[\]{{}},.:]"  # the commonest first
        r"""|"[^"\\\n]*(?:\\.[^"\\\n]*)*"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'|==|!=|<=|>=|<|>"""
        r"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
        r"|/(?![/*])(?:[^/\\\n]|\\.)+/[imsx]*|\Z)")


_WORD = "[A-Za-z_][A-Za-z0-9_]*"


@cache
def _apart_tokens() -> re.Pattern[str]:
    """Every token, dotted names apart: for parsing a text with an error again."""
    return _all_tokens(_WORD)


# `node.interfaces` as one NAME token, not three: a third fewer tokens in a usual rule. The
# parser takes it apart where a path is read, and refuses it anywhere else (and when its
# first word is a keyword), so that such a file is parsed again with the tokens apart and
# the error said as usual. A RULE after a dot starts a token of its own, as it does apart
# ("RULE <id>" is lexed as one).
_GLUED_TOKENS = _all_tokens(rf"{_WORD}(?:\.(?!RULE(?![A-Za-z0-9_])){_WORD})*")
_RULE_ID_END = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]*\Z")
_FIXED_KIND = {**{word: word for word in KEYWORDS}, **{word: word for word in _LITERAL_WORDS},
               **{op: "COMPARE" for op in ("==", "!=", "<=", ">=", "<", ">")},
               **{char: char for char in "()[]{},.:"}}
_SPACE_START = frozenset(" \t\f\r\n/#")  # what follows RULE in "RULE <id>"
_FIRST_KIND = {**{char: "STRING" for char in "\"'"}, **{char: "NUMBER" for char in "-0123456789"},
               "/": "REGEX"}


def _lex(text: str, glued: bool = False) -> tuple[list[str], list[str], list[int], list[int]]:
    """Kinds, texts, start and end offsets of every token (dotted names as one token if
    `glued`); an ERROR token where no token fits (the parser reports it when it gets there),
    then $END."""
    return _lex_whole(text, _GLUED_TOKENS if glued else _apart_tokens()) or _lex_each(text)


def _lex_whole(text: str, tokens: re.Pattern[str],
               ) -> tuple[list[str], list[str], list[int], list[int]] | None:
    """`_lex` in one `findall` (half the time), or None when a character fits no token:
    `findall` skips it, so the matches do not add up to the text, and `_lex_each` says
    where."""
    pairs = tokens.findall(text)
    ends = list(accumulate([len(skip) + len(token) for skip, token in pairs]))
    size = len(text)
    if not ends or ends[-1] != size:
        return None
    while pairs and not pairs[-1][1]:  # what follows the last token (up to twice)
        pairs.pop()
        ends.pop()
    values = [token for _, token in pairs]
    starts = [end - len(token) for end, token in zip(ends, values, strict=True)]
    fixed, first = _FIXED_KIND.get, _FIRST_KIND.get
    kinds = [fixed(token) or first(token[0], "NAME") for token in values]
    if "RULE" in text:
        glued = [i for i, token in enumerate(values)
                 if token[4:5] in _SPACE_START and token.startswith("RULE")]
        for i in reversed(glued):  # "RULE <id>" -> RULE, RULE_ID
            rule_id = _RULE_ID_END.search(values[i], 4).group()  # type: ignore[union-attr]
            kinds[i:i + 1] = ["RULE", "RULE_ID"]
            values[i:i + 1] = ["RULE", rule_id]
            starts[i:i + 1] = [starts[i], ends[i] - len(rule_id)]
            ends[i:i + 1] = [starts[i] + 4, ends[i]]
    kinds.append("$END")
    values.append("")
    starts.append(size)
    ends.append(size)
    return kinds, values, starts, ends


def _lex_each(text: str) -> tuple[list[str], list[str], list[int], list[int]]:
    """`_lex` one match at a time, stopping at the first character that fits no token."""
    kinds: list[str] = []
    values: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    token, skip, rule_id_after = _one_at_a_time()
    match = token.match
    pos, size = 0, len(text)
    while True:
        found = match(text, pos)
        if found is None:
            pos = skip.match(text, pos).end()  # type: ignore[union-attr]
            if pos < size:
                kinds.append("ERROR")
                values.append(text[pos])
                starts.append(pos)
                ends.append(pos + 1)
            break
        group = found.lastgroup
        value = found.group(group)  # type: ignore[arg-type]
        start, pos = found.start(group), found.end()  # type: ignore[arg-type]
        if group == "word":
            kind = value if value in _KEYWORDS else _LITERAL_KIND.get(value, "NAME")
        elif group == "punct":
            kind = value
        else:
            kind = _KINDS[group]  # type: ignore[index]
        kinds.append(kind)
        values.append(value)
        starts.append(start)
        ends.append(pos)
        if kind == "RULE":  # a rule id may hold - . : and start with a digit
            rule_id = rule_id_after.match(text, pos)
            if rule_id is not None:
                kinds.append("RULE_ID")
                values.append(rule_id.group(1))
                starts.append(rule_id.start(1))
                ends.append(pos := rule_id.end())
    kinds.append("$END")
    values.append("")
    starts.append(size)
    ends.append(size)
    return kinds, values, starts, ends


_LITERAL_KIND = {"true": "true", "false": "false", "null": "null"}


# ---- the parser ----------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/", "\\": "\\",
            '"': '"', "'": "'"}
# A surrogate pair first (JSON's way to write a character beyond U+FFFF), then \uXXXX.
_ESCAPE = re.compile(r"\\(u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
                     r"|u[0-9a-fA-F]{4}|u|.)", re.DOTALL)


class _BadEscape(Exception):
    def __init__(self, position: int, message: str) -> None:
        super().__init__()
        self.position = position
        self.message = message


def _unescape(body: str) -> str:
    """The text of a string literal's body; _BadEscape at a \\u that makes no character."""
    if "\\" not in body:
        return body

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code == "u":
            raise _BadEscape(match.start(), "\\u takes four hex digits (\\u00e9 is é)")
        if code.startswith("u"):
            if len(code) > 5:  # a surrogate pair: one character
                high, low = int(code[1:5], 16), int(code[7:], 16)
                return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            if 0xD800 <= (point := int(code[1:], 16)) <= 0xDFFF:
                raise _BadEscape(match.start(), f"\\{code} is half of a surrogate pair, not a "
                                 "character; write the character itself or both halves")
            return chr(point)
        return _ESCAPES.get(code, "\\" + code)

    return _ESCAPE.sub(replace, body)


Span = tuple[Any, int, int]  # a node, the index of its first token and of its last


class _Parser:
    """One chunk of policy text: tokens, a cursor, and what was expected at the cursor."""

    def __init__(self, chunk: str, path: str, offset: int, stem: str,
                 digests: dict[str, str] | None = None, *, glued: bool = False) -> None:
        self.chunk = chunk
        self.digests = {} if digests is None else digests
        self.file = path
        self.offset = offset
        self.stem = stem
        self.kinds, self.values, self.starts, self.ends = _lex(chunk, glued)
        self.i = 0
        self.depth = 0
        # What was tried at token `i`; `cut` marks where the last finished action's part
        # starts (after an action, the message lists what may follow the action).
        self.expected: list[str] = []
        self.cut: tuple[int, int] = (-1, 0)
        lines = [0]  # where each line starts
        newline = chunk.find("\n")
        while newline >= 0:
            lines.append(newline + 1)
            newline = chunk.find("\n", newline + 1)
        self.src = ast.Source(path, lines, offset)
        self.inner: dict[int, tuple[int, int]] = {}  # bracketed condition -> its own span
        self.lone = False  # parsing a lone condition (--where, a waiver), not rules

    # -- helpers
    def _at(self, index: int) -> Location:
        return self.src.location(self.starts[index])

    def _own_text(self, node: Any, first: int, last: int) -> str:
        if self.inner:
            first, last = self.inner.get(id(node), (first, last))
        return self._text(first, last)

    def _text(self, first: int, last: int) -> str:
        return " ".join(self.chunk[self.starts[first]: self.ends[last]].split())

    def _take(self) -> int:
        index = self.i
        self.i = index + 1
        self.expected.clear()
        return index

    def _accept(self, kind: str) -> bool:
        if self.kinds[self.i] == kind:
            self._take()
            return True
        self.expected.append(kind)
        return False

    def _expect(self, kind: str) -> int:
        if self.kinds[self.i] != kind:
            self.expected.append(kind)
            self._fail()
        return self._take()

    def _fail(self, *more: str) -> NoReturn:
        self.expected.extend(more)
        full = set(self.expected)
        cut_index, cut_at = self.cut
        shown = set(self.expected[cut_at:]) if cut_index == self.i else full
        raise _SyntaxProblem(self.i, full, shown)

    def _deeper(self, what: str) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _TooDeep(self.i - 1, what)  # at the bracket or word that went too deep

    # -- rules
    def rules(self) -> list[ast.Rule]:
        found = []
        while self.kinds[self.i] != "$END":
            found.append(self.rule())
        return found

    def lone_condition(self) -> ast.Condition:
        self.lone = True
        node, _, _ = self.condition()
        self._expect("$END")
        return node  # type: ignore[no-any-return]

    def rule(self) -> ast.Rule:
        first = self.i
        rule_id, named, severity, title = "", False, "error", ""
        if self._accept("RULE"):
            if self.kinds[self.i] != "RULE_ID" or self.values[self.i] in _KEYWORDS:
                self._fail("RULE_ID")
            rule_id, named = self.values[self._take()], True
            if self._accept("SEVERITY"):
                if self.kinds[self.i] != "NAME" or self.values[self.i] not in _SEVERITIES:
                    self.expected.clear()
                    self._fail("SEVERITY_NAME")
                severity = self.values[self._take()]
            if self.kinds[self.i] == "STRING":
                title = self._string(self._take())
        self._expect("WHEN")
        when, when_first, when_last = self.condition()
        self._expect("THEN")
        actions = [self.action()]
        while True:
            self.cut = (self.i, len(self.expected))
            kind = self.kinds[self.i]
            if kind == ",":
                self._take()
            elif kind not in _ACTIONS:
                self.expected.extend(_AFTER_ACTION)
                break
            actions.append(self.action())
        message = None
        if self._accept("MESSAGE"):
            at = self._at(self.i - 1)
            message = (self._string(self._expect("STRING")), at)
        else:
            self.expected.extend(_AFTER_RULE)
            if self.kinds[self.i] not in _AFTER_RULE:
                self._fail()
        last = self.i - 1
        if not named:
            # Stable while the rule's text is unchanged, wherever it moves in the file.
            digest = hashlib.sha1(self._text(first, last).encode(),
                                  usedforsecurity=False).hexdigest()
            rule_id = f"{self.stem}-{digest[:6]}"
            # Two different texts sharing six hex digits (likely among a few thousand
            # rules of one file) must not look like one rule used twice (P205).
            if self.digests.setdefault(rule_id, digest) != digest:
                rule_id = f"{self.stem}-{digest[:16]}"
        return ast.Rule(self.starts[first], self.src, rule_id, named, _SEVERITIES[severity],
                        title, when, self._own_text(when, when_first, when_last),
                        tuple(actions), message)

    def action(self) -> ast.Action:
        first = self.i
        kind = self.kinds[first]
        if kind == "ASSERT":
            self._take()
            condition, start, last = self.condition()
            return ast.Assert(self.starts[first], self.src, condition,
                              self._own_text(condition, start, last))
        if kind == "SET":
            self._take()
            if self.kinds[self.i] != "NAME":
                self._fail("NAME")
            target, _, _ = self._operand_path()
            if not isinstance(target, ast.Path):
                raise _SyntaxProblem(self.i, {"TO"}, {"TO"})
            self._expect("TO")
            value, _, _ = self.operand()
            return ast.Set(self.starts[first], self.src, target, value)
        if kind == "APPLY":
            self._take()
            return ast.Apply(self.starts[first], self.src, self._string(self._expect("STRING")))
        self._fail(*_ACTIONS)

    # -- conditions
    def condition(self) -> Span:
        node, first, last = self.and_()
        if self.kinds[self.i] != "OR":
            self.expected.append("OR")
            return node, first, last
        operands = [node]
        while self._accept("OR"):
            node, _, last = self.and_()
            operands.append(node)
        return ast.Or(self.starts[first], self.src, tuple(operands)), first, last

    def and_(self) -> Span:
        node, first, last = self.not_()
        if self.kinds[self.i] != "AND":
            self.expected.append("AND")
            return node, first, last
        operands = [node]
        while self._accept("AND"):
            node, _, last = self.not_()
            operands.append(node)
        return ast.And(self.starts[first], self.src, tuple(operands)), first, last

    def not_(self) -> Span:
        first = self.i
        kind = self.kinds[first]
        if kind == "NOT":
            self._take()
            self._deeper("conditions nested (NOT, quantifiers, brackets)")
            node, _, last = self.not_()
            self.depth -= 1
            return ast.Not(self.starts[first], self.src, node), first, last
        if kind == "(":
            self._take()
            self._deeper("brackets nested")
            node, start, last = self.condition()
            close = self._expect(")")
            self.depth -= 1
            # `ASSERT (a == 1)` reads as written inside the brackets; a parent's text
            # (`NOT (a == 1)`) includes them.
            self.inner.setdefault(id(node), (start, last))
            return node, first, close
        if kind in _QUANTIFIERS:
            return self.quantifier()
        if kind not in _OPERAND_START:
            self._fail(*_CONDITION_START)
        return self.comparison()

    def quantifier(self) -> Span:
        first = self._take()
        self._deeper("conditions nested (NOT, quantifiers, brackets)")
        variable = self.values[self._expect("NAME")]
        if "." in variable:  # a glued `x.y` (parsed again apart, to say where)
            raise _SyntaxProblem(self.i - 1, {"NAME"}, {"NAME"})
        self._expect("IN")
        collection, _, _ = self.operand()
        where = None
        if self._accept("WHERE"):
            where, _, _ = self.condition()
        if not (self._accept("SATISFIES") or self._accept("SATISFY")):
            self._fail()
        body, _, last = self.condition()
        self.depth -= 1
        return (ast.Quantifier(self.starts[first], self.src, self.values[first], variable,
                               collection, where, body), first, last)

    def comparison(self) -> Span:
        first = self.i
        left, _, _ = self.operand()
        kind = self.kinds[self.i]
        pos = left.pos  # every operand starts at its first token
        if kind == "COMPARE":
            op = self.values[self._take()]
            right, _, last = self.operand()
            return ast.Compare(pos, self.src, op, left, right, False), first, last
        if kind in _WORD_OPS or kind == "IN":
            self._take()
            right, _, last = self.operand()
            return ast.Compare(pos, self.src, kind, left, right, False), first, last
        if kind == "IS":
            self._take()
            negate = self._accept("NOT")
            if self._accept("NULL"):
                return ast.IsNull(pos, self.src, left, negate), first, self.i - 1
            right, _, last = self.operand()
            return ast.Compare(pos, self.src, "IS", left, right, negate), first, last
        if kind == "NOT":
            self._take()
            op = self.kinds[self.i]
            if op not in _WORD_OPS and op != "IN":
                self._fail(*_WORD_OPS, "IN")
            self._take()
            right, _, last = self.operand()
            return ast.Compare(pos, self.src, op, left, right, True), first, last
        self.expected.extend(_AFTER_OPERAND)
        return ast.Truthy(pos, self.src, left), first, self.i - 1

    # -- operands
    def operand(self) -> Span:
        first = self.i
        kind = self.kinds[first]
        value = self.values[first]
        if kind == "STRING":
            self._take()
            return ast.Literal(self.starts[first], self.src, self._string(first)), first, first
        if kind == "NAME":
            return self._operand_path()
        if kind == "NUMBER":
            self._take()
            if len(value) > MAX_DIGITS and value.lstrip("-+").isdigit():
                raise _BadLiteral(first, 0, f"a number of {len(value)} digits; no value has "
                                  f"more than {MAX_DIGITS}")
            number: float = float(value) if ("." in value or "e" in value or "E" in value) \
                else int(value)
            if number in (_INFINITY, -_INFINITY):
                raise _BadLiteral(first, 0, f"{value} is too large for a number")
            return ast.Literal(self.starts[first], self.src, number), first, first
        if kind in _LITERAL_KIND:
            self._take()
            return ast.Literal(self.starts[first], self.src, _LITERAL_WORDS[kind]), first, first
        if kind == "REGEX":
            self._take()
            end = value.rfind("/")
            return ast.Regex(self.starts[first], self.src, value[1:end], value[end + 1:]), \
                first, first
        if kind == "[":
            return self._list()
        if kind == "{":
            return self._object()
        self._fail(*_OPERAND_START)

    def _operand_path(self) -> Span:
        """`node.interfaces["Gi1"].mtu`, `running.lines("...")[-1]`, `split(x, ",")[0]`."""
        first = self._take()
        head = self.values[first]
        parts: list[str | int] = [head]
        if "." in head:  # glued: `node.interfaces`
            parts = head.split(".")  # type: ignore[assignment]
            if parts[0] in _FIXED_KIND:  # `NOT.x`, `true.x`: parsed again apart
                raise _SyntaxProblem(first, {"NAME"}, {"NAME"})
        kinds = self.kinds
        if kinds[first + 1] not in _SEGMENT:  # the whole path in one token, the usual
            self.expected.extend(_SEGMENT)
            return self._path(parts, first, first), first, first
        node: ast.Expr | None = None  # set once the path is called or indexed by an expression
        last = first
        while True:
            kind = kinds[self.i]
            if kind == ".":
                self._take()
                if not (kinds[self.i] in ("NAME", *_LITERAL_KIND) or kinds[self.i] in _KEYWORDS):
                    self._fail("NAME")
                last = self._take()
                name = self.values[last]
                if node is None:
                    parts.extend(name.split(".") if "." in name else (name,))
                elif "." not in name:
                    node = ast.Index(node.pos, node.src, node,
                                     ast.Literal(self.starts[last], self.src, name))
                else:  # `lines("x").a.b` glued: each name at its own column
                    within = 0
                    for segment in name.split("."):
                        key = ast.Literal(self.starts[last] + within, self.src, segment)
                        node = ast.Index(node.pos, node.src, node, key)
                        within += len(segment) + 1
            elif kind == "[":
                self._take()
                self._deeper("brackets nested")
                key, _, _ = self.operand()
                before, last = last, self._expect("]")
                self.depth -= 1
                if node is None and isinstance(key, ast.Literal) and (
                        isinstance(key.value, str) or (isinstance(key.value, int | float)
                                                       and not isinstance(key.value, bool))):
                    parts.append(key.value if isinstance(key.value, str) else int(key.value))
                else:
                    base = node if node is not None else self._path(parts, first, before)
                    node = ast.Index(base.pos, base.src, base, key)
            elif kind == "(" and node is None:
                self._take()
                self._deeper("brackets nested")
                args: list[ast.Expr] = []
                if kinds[self.i] != ")":
                    self.expected.append(")")
                    args.append(self.operand()[0])
                    while self._accept(","):
                        args.append(self.operand()[0])
                callee = self._path(parts, first, last)
                last = self._expect(")")
                self.depth -= 1
                node = ast.Call(self.starts[first], self.src, callee, tuple(args))
            else:
                self.expected.extend(_SEGMENT)
                break
        if node is None:
            return self._path(parts, first, last), first, last
        return node, first, last

    def _path(self, parts: list[str | int], first: int, last: int) -> ast.Path:
        text = self.values[first] if first == last else self._text(first, last)
        return ast.Path(self.starts[first], self.src, tuple(parts), text)

    def _list(self) -> Span:
        first = self._take()
        self._deeper("brackets nested")
        items: list[ast.Expr] = []
        while not self._accept("]"):
            items.append(self.operand()[0])
            if not self._accept(","):
                self._expect("]")
                break
        self.depth -= 1
        return ast.ListLit(self.starts[first], self.src, tuple(items)), first, self.i - 1

    def _object(self) -> Span:
        first = self._take()
        self._deeper("brackets nested")
        pairs: list[tuple[str, ast.Expr]] = []
        while not self._accept("}"):
            kind = self.kinds[self.i]
            if kind == "STRING":
                key = self._string(self._take())
            elif kind == "NAME" or kind in _KEYWORDS or kind in _LITERAL_KIND:
                key = self.values[self._take()]
                if "." in key:  # a glued `a.b` (parsed again apart, to say where)
                    raise _SyntaxProblem(self.i - 1, {"NAME"}, {"NAME"})
            else:
                self._fail("NAME", "STRING")
            self._expect(":")
            pairs.append((key, self.operand()[0]))
            if not self._accept(","):
                self._expect("}")
                break
        self.depth -= 1
        return ast.ObjectLit(self.starts[first], self.src, tuple(pairs)), first, self.i - 1

    def _string(self, index: int) -> str:
        try:
            return _unescape(self.values[index][1:-1])
        except _BadEscape as exc:
            raise _BadLiteral(index, exc.position + 1, exc.message) from None

    # -- errors
    def diagnostic(self, exc: _SyntaxProblem | _TooDeep | _BadLiteral) -> Diagnostic:
        if isinstance(exc, _TooDeep):
            return _error(self._at(exc.index), "P103", f"{exc.what} more than {MAX_NESTING} deep")
        if isinstance(exc, _BadLiteral):  # literals are on one line
            at = self._at(exc.index)
            return _error(Location(at.path, at.line, at.col + exc.column), "P101", exc.message)
        kind, value = self.kinds[exc.index], self.values[exc.index]
        if kind == "$END":
            line, column = _end_position(self.chunk)
            location = Location(self.file, self.offset + line, column)
        else:
            location = self._at(exc.index)
        if kind == "ERROR":
            message = _unexpected_character(self.chunk, self.starts[exc.index], exc.shown)
        else:
            message = _unexpected_token(kind, value, exc.expected, exc.shown,
                                        "condition" if self.lone else "rule")
        return _error(location, "P101", message)


# ---- syntax errors in words --------------------------------------------------------------

def _unexpected_character(chunk: str, position: int, allowed: set[str]) -> str:
    char = chunk[position]
    following = chunk[position + 1: position + 2]
    if char == "=" and following != "=":
        return "'=' is not a comparison; use '==' (or IS) to compare"
    if char == "!" and following != "=":
        return "'!' is not an operator; use NOT, or '!=' for 'not equal'"
    if char in "&|":
        return f"'{char}' is not an operator; use {'AND' if char == '&' else 'OR'}"
    if char in "\"'":
        return "unclosed string: add the closing quote before the end of the line"
    if char == "/":
        if chunk.startswith("/*", position):
            return "unclosed comment: add the closing '*/'"
        return "unclosed regex: add the closing '/' (a regex is written /pattern/flags)"
    return f"unexpected {char!r}; expected {_expected(allowed)}"


# Words that were operators in other languages or the original's drafts.
_WORD_HINTS = {
    "IS_SET": "write IS NOT NULL",
    "IS_NOT_SET": "write IS NULL",
    "ISNULL": "write IS NULL (keywords are separate words)",
    "ISNOTNULL": "write IS NOT NULL (keywords are separate words)",
    "NOTNULL": "write IS NOT NULL",
}


def _known_word(word: str, expected: set[str]) -> str | None:
    """Messages for a word where the grammar wanted something else."""
    if word in _KEYWORDS:
        return None
    if word.upper() in _KEYWORDS:
        return f"'{word}' must be written in capitals: {word.upper()}"
    if word in _WORD_HINTS:
        return f"'{word}' is not an operator; {_WORD_HINTS[word]}"
    keywords = [name for name in expected if name in _KEYWORDS]
    glued = next((k for k in sorted(keywords, key=len, reverse=True)
                  if word.startswith(k) and len(word) > len(k)), None)
    if glued is not None:
        return (f"unexpected '{word}': keywords are whole words; write '{glued} "
                f"{word[len(glued):]}' if {glued} was meant")
    close = difflib.get_close_matches(word.upper(), keywords, n=1)
    if close:
        return f"unexpected '{word}' (did you mean {close[0]}?)"
    if "COMPARE" in expected and word.isupper():  # an operator-looking word after an operand
        close = difflib.get_close_matches(word.upper(), _OPERATOR_WORDS + KEYWORDS, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        return (f"unknown operator '{word}'{hint}; use ==, !=, <, <=, >, >=, CONTAINS, "
                "MATCHES, STARTSWITH, ENDSWITH, IN, IS or HAS")
    return None


def _unexpected_token(kind: str, value: str, expected: set[str], shown: set[str],
                      whole: str = "rule") -> str:
    found = f"'{value}'"
    if expected == {"SEVERITY_NAME"}:
        return f"unknown severity '{value}'; use error, warning or info"
    if "THEN" in expected and kind in _ACTIONS:
        return f"missing THEN before {value}"
    if "THEN" in expected and kind == "$END":
        return "the rule has no THEN: write WHEN <condition> THEN <action>"
    if kind == "$END":
        return f"the {whole} ends too early: expected {_expected(shown)}"
    if "RULE_ID" in expected:
        return f"RULE needs an id before {found}, e.g. RULE ssh-only"
    if re.fullmatch(r"[A-Za-z_][\w-]*", value):
        known = _known_word(value, expected)
        if known:
            return known
    if "NULL" in expected and kind == "NAME" and value.lower() == "null":
        return "write NULL in capitals after IS"
    starts = shown - {"$END"}
    if starts <= {"WHEN", "RULE", "SEVERITY", "STRING"} and "WHEN" in starts:
        return f"unexpected {found}; a rule starts with WHEN (or RULE <id>)"
    return f"unexpected {found}; expected {_expected(shown)}"


def _expected(names: Any) -> str:
    human = sorted({_HUMAN.get(n, n) for n in names})
    if len(human) > 6:
        human = [*human[:6], "..."]
    return " or ".join(human) if len(human) <= 2 else ", ".join(human)


def _end_position(chunk: str) -> tuple[int, int]:
    lines = chunk.rstrip().splitlines() or [""]
    return len(lines), len(lines[-1]) + 1
