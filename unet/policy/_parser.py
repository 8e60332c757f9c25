"""Policy text -> syntax tree, with every syntax error in plain words at file:line:col.

The grammar lives in `grammar.lark` and is compiled once per process. A file is
split into rules before parsing, so one run reports an error in every broken rule,
not just the first one of the file.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from unet.core import Diagnostic, Location, Severity
from unet.policy import _ast as ast

__all__ = ["MAX_POLICY_BYTES", "parse_condition", "parse_policy"]

MAX_POLICY_BYTES = 1024 * 1024
MAX_NESTING = 100

KEYWORDS = ("WHEN", "THEN", "AND", "OR", "NOT", "ASSERT", "SET", "TO", "APPLY", "IS", "NULL",
            "IN", "RULE", "SEVERITY", "MESSAGE", "ANY", "ALL", "NONE", "WHERE", "SATISFIES",
            "CONTAINS", "MATCHES", "STARTSWITH", "ENDSWITH", "HAS")

# What the parser calls a terminal -> what a network engineer calls it.
_HUMAN = {
    "COMPARE": "a comparison (==, !=, <, <=, >, >=)",
    "NAME": "a field name",
    "RULE_ID": "a rule id",
    "SEVERITY_NAME": "a severity (error, warning, info)",
    "DQ_STRING": "a string",
    "SQ_STRING": "a string",
    "NUMBER": "a number",
    "REGEX": "a /regex/",
    "LPAR": "'('", "RPAR": "')'", "LSQB": "'['", "RSQB": "']'", "LBRACE": "'{'",
    "RBRACE": "'}'", "COMMA": "','", "DOT": "'.'", "COLON": "':'",
    "TRUE": "true", "FALSE": "false", "NULL": "NULL", "__ANON_0": "null",
    "$END": "the end of the file",
}
_OPERATOR_WORDS = ("CONTAINS", "MATCHES", "STARTSWITH", "ENDSWITH", "HAS", "IN", "IS")


@cache
def _lark() -> Lark:
    grammar = resources.files("unet.policy").joinpath("grammar.lark").read_text("utf-8")
    options: dict[str, Any] = {
        "parser": "lalr", "lexer": "contextual", "propagate_positions": True,
        "maybe_placeholders": False, "start": ["start", "condition"]}
    try:
        # Building the LALR tables costs ~0.2 s a process; Lark keeps them in a file
        # named after the grammar, the options and its own version.
        return Lark(grammar, cache=str(_grammar_cache(grammar)), **options)
    except OSError:  # an unwritable cache directory only costs the time
        return Lark(grammar, **options)


def _grammar_cache(grammar: str) -> Path:
    import lark

    from unet.paths import cache_dir

    digest = hashlib.sha256(f"{grammar}{lark.__version__}".encode()).hexdigest()[:16]
    directory = cache_dir() / "grammar"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"policy-{digest}.lark"


def parse_policy(text: str, path: str) -> tuple[list[ast.Rule], list[Diagnostic]]:
    """All rules of one policy file and every syntax error in it."""
    if len(text.encode("utf-8", errors="ignore")) > MAX_POLICY_BYTES:
        return [], [_error(Location(path, 1, 1), "P102", "policy file is larger than 1 MiB")]
    rules: list[ast.Rule] = []
    problems: list[Diagnostic] = []
    stem = PurePosixPath(path).stem
    for offset, chunk in _chunks(text):
        nesting = _nesting_problem(chunk, path, offset)
        if nesting is not None:
            problems.append(nesting)
            continue
        try:
            tree = _lark().parse(chunk, start="start")
        except UnexpectedInput as exc:
            problems.append(_syntax_error(exc, chunk, path, offset))
            continue
        except RecursionError:
            problems.append(_error(Location(path, offset + 1, 1), "P103",
                                   "this rule is nested too deeply"))
            continue
        builder = _Builder(chunk, path, offset, stem)
        rules.extend(builder.transform(tree).children)
    return rules, problems


def parse_condition(text: str, source: str = "<condition>") -> tuple[ast.Condition | None,
                                                                     list[Diagnostic]]:
    """A lone condition (for `--where` and waivers), with errors at `source`:1:col."""
    nesting = _nesting_problem(text, source, 0)
    if nesting is not None:
        return None, [nesting]
    try:
        tree = _lark().parse(text, start="condition")
    except UnexpectedInput as exc:
        return None, [_syntax_error(exc, text, source, 0)]
    except RecursionError:
        return None, [_error(Location(source, 1, 1), "P103", "the condition is nested too deeply")]
    condition, _ = _Builder(text, source, 0, source).transform(tree)
    return condition, []


_STRIP = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|//.*|#.*')
_STARTS = re.compile(r"^\s*(RULE|WHEN)\b")


def _chunks(text: str) -> list[tuple[int, str]]:
    """Split a file at the lines where rules start: (line offset, text) pairs."""
    lines = text.splitlines(keepends=True)
    chunks: list[tuple[int, list[str]]] = [(0, [])]
    in_comment = False
    seen_when = False
    for number, line in enumerate(lines):
        opened = in_comment  # a line that starts inside /* ... */ cannot start a rule
        visible, in_comment = _visible(line, in_comment)
        start = None if opened else _STARTS.match(visible)
        if start and (start.group(1) == "RULE" or seen_when) and chunks[-1][1]:
            chunks.append((number, []))
            seen_when = False
        chunks[-1][1].append(line)
        seen_when = seen_when or re.search(r"\bWHEN\b", visible) is not None
    return [(offset, "".join(body)) for offset, body in chunks if "".join(body).strip()]


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


def _nesting_problem(chunk: str, path: str, offset: int) -> Diagnostic | None:
    depth = 0
    for number, line in enumerate(chunk.splitlines()):
        for column, char in enumerate(line):
            depth += char in "([{"
            depth -= char in ")]}"
            if depth > MAX_NESTING:
                return _error(Location(path, offset + number + 1, column + 1), "P103",
                              f"brackets nested more than {MAX_NESTING} deep")
    return None


def _error(location: Location, code: str, message: str) -> Diagnostic:
    return Diagnostic(location, code, Severity.ERROR, message)


# ---- syntax errors ---------------------------------------------------------------------

def _syntax_error(exc: UnexpectedInput, chunk: str, path: str, offset: int) -> Diagnostic:
    line, column = getattr(exc, "line", 1) or 1, getattr(exc, "column", 1) or 1
    if isinstance(exc, UnexpectedCharacters):
        message = _unexpected_character(chunk, exc)
    elif isinstance(exc, UnexpectedToken):
        message = _unexpected_token(exc)
        if exc.token.type == "$END":
            line, column = _end_position(chunk)
    elif isinstance(exc, UnexpectedEOF):
        line, column = _end_position(chunk)
        message = f"the rule ends too early: expected {_expected(exc.expected)}"
    else:
        message = str(exc)
    return _error(Location(path, offset + line, column), "P101", message)


def _unexpected_character(chunk: str, exc: UnexpectedCharacters) -> str:
    char = exc.char
    position = exc.pos_in_stream or 0
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
        return "unclosed regex: add the closing '/' (a regex is written /pattern/flags)"
    allowed = {a for a in exc.allowed or () if not a.endswith("COMMENT") and a != "WS"}
    word = re.match(r"[A-Za-z_][\w-]*", chunk[position:])
    if word and allowed == {"SEVERITY_NAME"}:
        return f"unknown severity '{word.group()}'; use error, warning or info"
    if word:
        known = _known_word(word.group(), allowed)
        if known:
            return known
    shown = repr(word.group()) if word else repr(char)
    return f"unexpected {shown}; expected {_expected(allowed)}"


def _known_word(word: str, expected: set[str]) -> str | None:
    """Messages for a word where the grammar wanted something else."""
    if word.upper() in KEYWORDS and word != word.upper():
        return f"'{word}' must be written in capitals: {word.upper()}"
    keywords = [name for name in expected if name in KEYWORDS]
    close = difflib.get_close_matches(word.upper(), keywords, n=1)
    if close:
        return f"unexpected '{word}' (did you mean {close[0]}?)"
    if "COMPARE" in expected and word.isupper():  # an operator-looking word after an operand
        close = difflib.get_close_matches(word.upper(), _OPERATOR_WORDS + KEYWORDS, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        return (f"unknown operator '{word}'{hint}; use ==, !=, <, <=, >, >=, CONTAINS, "
                "MATCHES, STARTSWITH, ENDSWITH, IN, IS or HAS")
    return None


def _unexpected_token(exc: UnexpectedToken) -> str:
    token, expected = exc.token, set(exc.expected)
    found = f"'{token}'"
    if expected == {"SEVERITY_NAME"}:
        return f"unknown severity '{token}'; use error, warning or info"
    if "THEN" in expected and token.type in ("ASSERT", "SET", "APPLY"):
        return f"missing THEN before {token}"
    if "THEN" in expected and token.type == "$END":
        return "the rule has no THEN: write WHEN <condition> THEN <action>"
    if token.type == "$END":
        return f"the rule ends too early: expected {_expected(expected)}"
    if re.fullmatch(r"[A-Za-z_][\w-]*", str(token)):  # lexed as NAME, RULE_ID, ...
        known = _known_word(str(token), expected)
        if known:
            return known
    if expected <= {"WHEN", "RULE", "SEVERITY", "DQ_STRING", "SQ_STRING"} and "WHEN" in expected:
        return f"unexpected {found}; a rule starts with WHEN (or RULE <id>)"
    return f"unexpected {found}; expected {_expected(expected)}"


def _expected(names: Any) -> str:
    human = sorted({_HUMAN.get(n, n) for n in names if not n.endswith("COMMENT")})
    if len(human) > 6:
        human = [*human[:6], "..."]
    return " or ".join(human) if len(human) <= 2 else ", ".join(human)


def _end_position(chunk: str) -> tuple[int, int]:
    lines = chunk.rstrip().splitlines() or [""]
    return len(lines), len(lines[-1]) + 1


# ---- tree -> AST -------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/", "\\": "\\",
            '"': '"', "'": "'"}


def _unescape(body: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("u"):
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, "\\" + code)

    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", replace, body)


class _Builder(Transformer[Token, Any]):
    """Turn Lark's tree into the AST of `_ast.py`, keeping positions and source text."""

    def __init__(self, chunk: str, path: str, offset: int, stem: str) -> None:
        super().__init__()
        self.chunk = chunk
        self.file = path  # not `path`: Transformer looks rules up by attribute name
        self.offset = offset
        self.stem = stem

    def _at(self, meta: Any) -> Location:
        return Location(self.file, self.offset + meta.line, meta.column)

    def _text(self, meta: Any) -> str:
        return " ".join(self.chunk[meta.start_pos: meta.end_pos].split())

    # -- rules
    @v_args(meta=True)
    def rule(self, meta: Any, children: list[Any]) -> ast.Rule:
        header = children[0] if isinstance(children[0], dict) else {}
        rest = children[1:] if header else children
        when, actions = rest[0], rest[1]
        message = rest[2] if len(rest) > 2 else None
        when_text = self._text(when[1])
        rule_id = header.get("id") or self._anonymous_id(meta)
        return ast.Rule(
            id=rule_id, named="id" in header,
            severity=Severity.parse(header.get("severity", "error")),
            title=header.get("title", ""), when=when[0], when_text=when_text,
            actions=tuple(actions), message=message, at=self._at(meta))

    def _anonymous_id(self, meta: Any) -> str:
        # Stable while the rule's text is unchanged, wherever it moves in the file.
        digest = hashlib.sha1(self._text(meta).encode(), usedforsecurity=False).hexdigest()
        return f"{self.stem}-{digest[:6]}"

    def start(self, children: list[Any]) -> Tree[Any]:
        return Tree("start", children)

    def header(self, children: list[Any]) -> dict[str, str]:
        found: dict[str, str] = {"id": str(children[0])}
        for child in children[1:]:
            found.update(child)
        return found

    def severity(self, children: list[Token]) -> dict[str, str]:
        return {"severity": str(children[0])}

    def title(self, children: list[ast.Literal]) -> dict[str, str]:
        return {"title": children[0].value}

    @v_args(meta=True)
    def message(self, meta: Any, children: list[ast.Literal]) -> tuple[str, Location]:
        return children[0].value, self._at(meta)

    def actions(self, children: list[ast.Action]) -> list[ast.Action]:
        return children

    @v_args(meta=True)
    def assert_action(self, meta: Any, children: list[Any]) -> ast.Assert:
        condition, cond_meta = children[0]
        return ast.Assert(condition, self._text(cond_meta), self._at(meta))

    @v_args(meta=True)
    def set_action(self, meta: Any, children: list[Any]) -> ast.Set:
        return ast.Set(children[0], children[1], self._at(meta))

    @v_args(meta=True)
    def apply_action(self, meta: Any, children: list[ast.Literal]) -> ast.Apply:
        return ast.Apply(children[0].value, self._at(meta))

    # -- conditions: each returns (node, meta) so parents can quote the source text
    def __default__(self, data: Any, children: list[Any], meta: Any) -> Any:
        raise NotImplementedError(f"grammar rule without a builder: {data}")  # pragma: no cover

    def _cond(self, node: ast.Condition, meta: Any) -> tuple[ast.Condition, Any]:
        return node, meta

    @v_args(meta=True)
    def or_(self, meta: Any, children: list[Any]) -> tuple[ast.Condition, Any]:
        if len(children) == 1:
            return children[0]  # type: ignore[no-any-return]
        return ast.Or(tuple(c[0] for c in children), self._at(meta)), meta

    @v_args(meta=True)
    def and_(self, meta: Any, children: list[Any]) -> tuple[ast.Condition, Any]:
        if len(children) == 1:
            return children[0]  # type: ignore[no-any-return]
        return ast.And(tuple(c[0] for c in children), self._at(meta)), meta

    @v_args(meta=True)
    def not_(self, meta: Any, children: list[Any]) -> tuple[ast.Condition, Any]:
        return ast.Not(children[0][0], self._at(meta)), meta

    @v_args(meta=True)
    def truthy(self, meta: Any, children: list[Any]) -> tuple[ast.Condition, Any]:
        return ast.Truthy(children[0], self._at(meta)), meta

    @v_args(meta=True)
    def compare(self, meta: Any, children: list[Any]) -> tuple[ast.Condition, Any]:
        left, op, right = children
        return ast.Compare(str(op), left, right, False, self._at(meta)), meta

    @v_args(meta=True)
    def not_compare(self, meta: Any, children: list[Any]) -> tuple[ast.Condition, Any]:
        left, op, right = children
        return ast.Compare(str(op), left, right, True, self._at(meta)), meta

    @v_args(meta=True)
    def in_(self, meta: Any, children: list[Any]) -> tuple[ast.Condition, Any]:
        return ast.Compare("IN", children[0], children[1], False, self._at(meta)), meta

    @v_args(meta=True)
    def not_in(self, meta: Any, children: list[Any]) -> tuple[ast.Condition, Any]:
        return ast.Compare("IN", children[0], children[1], True, self._at(meta)), meta

    @v_args(meta=True)
    def is_value(self, meta: Any, children: list[Any]) -> tuple[ast.Condition, Any]:
        return ast.Compare("IS", children[0], children[1], False, self._at(meta)), meta

    @v_args(meta=True)
    def is_not_value(self, meta: Any, children: list[Any]) -> tuple[ast.Condition, Any]:
        return ast.Compare("IS", children[0], children[1], True, self._at(meta)), meta

    @v_args(meta=True)
    def is_null(self, meta: Any, children: list[Any]) -> tuple[ast.Condition, Any]:
        return ast.IsNull(children[0], False, self._at(meta)), meta

    @v_args(meta=True)
    def is_not_null(self, meta: Any, children: list[Any]) -> tuple[ast.Condition, Any]:
        return ast.IsNull(children[0], True, self._at(meta)), meta

    def word_op(self, children: list[Token]) -> str:
        return str(children[0])

    def quant(self, children: list[Token]) -> str:
        return str(children[0])

    def where(self, children: list[Any]) -> Any:
        return ("where", children[0][0])

    @v_args(meta=True)
    def quantifier(self, meta: Any, children: list[Any]) -> tuple[ast.Condition, Any]:
        kind, variable, collection = children[0], str(children[1]), children[2]
        where = children[3][1] if len(children) == 5 else None
        condition = children[-1][0]
        return ast.Quantifier(kind, variable, collection, where, condition, self._at(meta)), meta

    # -- operands
    @v_args(meta=True)
    def path(self, meta: Any, children: list[Any]) -> ast.Path:
        parts = (str(children[0]), *children[1:])
        return ast.Path(parts, self._at(meta), self._text(meta))

    def attr(self, children: list[Token]) -> str:
        return str(children[0])

    def item(self, children: list[Any]) -> str | int:
        value = children[0]
        if isinstance(value, Token):  # NUMBER
            return int(float(value))
        return value.value if isinstance(value, ast.Literal) else value  # type: ignore[no-any-return]

    @v_args(meta=True)
    def call(self, meta: Any, children: list[Any]) -> ast.Call:
        return ast.Call(children[0], tuple(children[1:]), self._at(meta))

    @v_args(meta=True)
    def list_literal(self, meta: Any, children: list[Any]) -> ast.ListLit:
        return ast.ListLit(tuple(children), self._at(meta))

    @v_args(meta=True)
    def object_literal(self, meta: Any, children: list[Any]) -> ast.ObjectLit:
        return ast.ObjectLit(tuple(children), self._at(meta))

    def pair(self, children: list[Any]) -> tuple[str, Any]:
        key = children[0]
        return (key.value if isinstance(key, ast.Literal) else str(key)), children[1]

    @v_args(meta=True)
    def string(self, meta: Any, children: list[Token]) -> ast.Literal:
        return ast.Literal(_unescape(str(children[0])[1:-1]), self._at(meta))

    @v_args(meta=True)
    def number(self, meta: Any, children: list[Token]) -> ast.Literal:
        text = str(children[0])
        value = float(text) if any(c in text for c in ".eE") else int(text)
        return ast.Literal(value, self._at(meta))

    @v_args(meta=True)
    def regex(self, meta: Any, children: list[Token]) -> ast.Regex:
        text = str(children[0])
        end = text.rfind("/")
        return ast.Regex(text[1:end], text[end + 1:], self._at(meta))

    @v_args(meta=True)
    def true(self, meta: Any, children: list[Any]) -> ast.Literal:
        return ast.Literal(True, self._at(meta))

    @v_args(meta=True)
    def false(self, meta: Any, children: list[Any]) -> ast.Literal:
        return ast.Literal(False, self._at(meta))

    @v_args(meta=True)
    def null(self, meta: Any, children: list[Any]) -> ast.Literal:
        return ast.Literal(None, self._at(meta))
