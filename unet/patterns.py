"""The one way to compile a regular expression that came from the user.

Every user-supplied pattern (match expressions, MATCHES, template headers,
normalisers, serve filters, template filters) goes through `compile_pattern`:

- before compiling, a lexical scan refuses what would exhaust memory or the
  stack when compiled: over-long patterns, groups nested too deeply and repeat
  counts (alone or multiplied through nested groups) above `MAX_REPEAT`;
- the `regex` module compiles it, and every match is bounded in time: a
  match that runs past `timeout` seconds raises `PatternTimeout`, which covers
  every backtracking shape (alternation, lookarounds, bounded repeats,
  polynomial `.*.*.*`), not only the ones a static check can see.

Errors carry the 0-based offset in the pattern so callers can point at a column.
"""

from __future__ import annotations

import re as _re
import re._parser as _sre  # type: ignore[import-not-found]  # stable in 3.11+; wording only
from collections.abc import Callable, Iterator
from typing import Any

import regex

__all__ = [
    "DEFAULT_TIMEOUT",
    "DOTALL",
    "IGNORECASE",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_REPEAT",
    "MULTILINE",
    "VERBOSE",
    "Pattern",
    "PatternError",
    "PatternTimeout",
    "compile_pattern",
    "has_nested_quantifiers",
    "literal_prefix",
]

DEFAULT_TIMEOUT = 0.5  # seconds for one match
MAX_LENGTH = 10_000  # characters in one pattern
MAX_DEPTH = 100  # nested groups
MAX_REPEAT = 100_000  # a repeat count, multiplied through the groups that contain it

IGNORECASE = regex.IGNORECASE
MULTILINE = regex.MULTILINE
DOTALL = regex.DOTALL
VERBOSE = regex.VERBOSE

_QUANTIFIER = _re.compile(r"\{(\d*)(?:,(\d*))?\}")


class PatternError(ValueError):
    """A pattern that cannot be compiled safely; `offset` is 0-based in the pattern text."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class PatternTimeout(TimeoutError):
    """One match ran longer than its time budget (catastrophic backtracking)."""

    def __init__(self, source: str, seconds: float, length: int) -> None:
        shown = source if len(source) <= 80 else source[:77] + "..."
        super().__init__(f"regex {shown!r} took longer than {seconds:g}s on a "
                         f"{length}-character text (catastrophic backtracking?); rewrite it")
        self.source = source
        self.seconds = seconds


class Pattern:
    """A compiled user pattern whose every match is bounded in time."""

    __slots__ = ("_compiled", "prefix", "source", "timeout")

    def __init__(self, compiled: regex.Pattern[str], source: str, timeout: float) -> None:
        self._compiled = compiled
        self.source = source
        self.timeout = timeout
        # Most config patterns start with literal words ("ntp server .*"): a line that
        # does not start with them cannot match at its start, and is refused without
        # running the regex (match and fullmatch are tried on every line of a config).
        self.prefix = literal_prefix(source) if not compiled.flags & _PREFIX_UNSAFE else ""

    def __repr__(self) -> str:
        return f"Pattern({self.source!r})"

    @property
    def flags(self) -> int:
        return int(self._compiled.flags)

    @property
    def groups(self) -> int:
        return int(self._compiled.groups)

    def search(self, text: str, pos: int = 0) -> regex.Match[str] | None:
        return self._run(self._compiled.search, text, pos)  # type: ignore[no-any-return]

    def match(self, text: str, pos: int = 0) -> regex.Match[str] | None:
        if self.prefix and not text.startswith(self.prefix, pos):
            return None
        return self._run(self._compiled.match, text, pos)  # type: ignore[no-any-return]

    def fullmatch(self, text: str, pos: int = 0) -> regex.Match[str] | None:
        if self.prefix and not text.startswith(self.prefix, pos):
            return None
        return self._run(self._compiled.fullmatch, text, pos)  # type: ignore[no-any-return]

    def finditer(self, text: str) -> Iterator[regex.Match[str]]:
        try:
            yield from self._compiled.finditer(text, timeout=self.timeout, concurrent=True)
        except TimeoutError:
            raise PatternTimeout(self.source, self.timeout, len(text)) from None

    def sub(self, replacement: str | Callable[[regex.Match[str]], str], text: str,
            count: int = 0) -> str:
        try:
            return str(self._compiled.sub(replacement, text, count=count,
                                          timeout=self.timeout, concurrent=True))
        except TimeoutError:
            raise PatternTimeout(self.source, self.timeout, len(text)) from None

    def _run(self, method: Callable[..., Any], text: str, pos: int) -> Any:
        try:
            # `concurrent` releases the GIL while matching: str is immutable, so it is safe.
            return method(text, pos, timeout=self.timeout, concurrent=True)
        except TimeoutError:
            raise PatternTimeout(self.source, self.timeout, len(text)) from None


# Characters that stand for themselves in a pattern (no flags that change that).
_PREFIX_LITERAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                            " -_/:,=!@%&<>~'\";")
_PREFIX_REPEAT = frozenset("*+?{")
_PREFIX_UNSAFE = regex.IGNORECASE | regex.VERBOSE | regex.FULLCASE


def literal_prefix(source: str) -> str:
    """The literal text every match of `source` starts with ('' when unsure): the leading
    literal characters, without the last one if a quantifier follows it, and nothing at
    all when the pattern has an alternative (`a|b`) anywhere."""
    if "|" in source or "(?" in source:  # an inline flag may apply to the whole pattern
        return ""
    end = 0
    while end < len(source) and source[end] in _PREFIX_LITERAL:
        end += 1
    if end < len(source) and source[end] in _PREFIX_REPEAT:
        end -= 1
    return source[:max(end, 0)]


def compile_pattern(text: str, *, flags: int = 0, timeout: float = DEFAULT_TIMEOUT) -> Pattern:
    """Compile a user pattern, refusing compile-time bombs; raises PatternError."""
    if len(text) > MAX_LENGTH:
        raise PatternError(f"pattern too large: {len(text)} characters (at most {MAX_LENGTH})",
                           MAX_LENGTH)
    verbose = bool(flags & regex.VERBOSE)
    unclosed = _scan(text, verbose=False) if not verbose else None
    if verbose or "(?" in text:
        # Verbose mode (a flag, or `(?x)` anywhere, late ones apply to all of it) ignores
        # whitespace even inside `{9 9 9}` and before a quantifier: read the pattern as the
        # engine does, without it and its comments.
        bare, offsets = _unverbose(text)
        try:
            found = _scan(bare, verbose=False)
        except PatternError as exc:
            raise PatternError(exc.message, offsets[min(exc.offset, len(offsets) - 1)]) \
                from None
        if verbose:
            unclosed = offsets[found] if found is not None else None
    try:
        compiled = regex.compile(text, flags | regex.VERSION0)
    except regex.error as exc:
        raise _explained(text, exc, unclosed) from None
    except (OverflowError, RecursionError, MemoryError, ValueError) as exc:
        raise PatternError(f"pattern too large to compile ({type(exc).__name__})", 0) from None
    return Pattern(compiled, text, timeout)


def _explained(text: str, exc: regex.error, unclosed: int | None) -> PatternError:
    """The error to show: `re`'s wording and position when it agrees the pattern is bad
    (users know it from Python), else the `regex` module's."""
    try:
        _sre.parse(text)
    except _re.error as familiar:
        return PatternError(familiar.msg, familiar.pos or 0)
    except (OverflowError, RecursionError, ValueError):
        pass
    offset = getattr(exc, "pos", None) or 0
    if unclosed is not None and offset >= len(text):
        offset = unclosed  # point at the group or set left open, not at the end
    return PatternError(str(getattr(exc, "msg", exc)), offset)


def _scan(text: str, *, verbose: bool) -> int | None:
    """Refuse deep nesting and huge (or multiplied) repeat counts before compiling; returns
    the offset of the set or innermost group left open, if any.

    Tracks, per open group, the largest repeat weight inside it; a `{m,n}` after an
    atom multiplies that atom's weight by max(m, n).
    """
    # (offset of "(", largest weight inside, verbose outside the group)
    stack: list[tuple[int, int, bool]] = []
    inner = 1  # largest weight in the current group so far
    last = 1  # weight of the atom just before the current position
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i, last = i + 2, 1
            continue
        if c == "[":
            end = _skip_class(text, i)
            if end < 0:
                return i
            i, last = end, 1
            continue
        if verbose and c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if text.startswith("(?#", i):  # a comment, to its first `)`: nothing in it counts
            end = text.find(")", i)
            if end < 0:
                return i
            i = end + 1
            continue
        flags = _INLINE_FLAGS.match(text, i) if c == "(" else None
        if flags is not None and flags.group(3) == ")":  # `(?x)`: from here on
            verbose = _verbose(verbose, flags)
            i = flags.end()
            continue
        if c == "(":
            if len(stack) >= MAX_DEPTH:
                raise PatternError(
                    f"pattern too large: groups nested more than {MAX_DEPTH} deep", i)
            stack.append((i, inner, verbose))
            if flags is not None:  # `(?x:...)`: within the group only
                verbose = _verbose(verbose, flags)
            inner, i = 1, i + 1 if flags is None else flags.end()
            continue
        if c == ")" and stack:
            _, outer, verbose = stack.pop()
            last, inner = inner, max(outer, inner)
            i += 1
            continue
        if c == "{":
            found = _QUANTIFIER.match(text, i)
            if found and (found.group(1) or found.group(2)):
                count = max(_count(found.group(1)), _count(found.group(2)))
                weight = last * max(count, 1)
                if weight > MAX_REPEAT:
                    raise PatternError(
                        f"pattern too large: repeat count {_short_number(found.group(0))} "
                        f"(multiplied through its groups) over {MAX_REPEAT}", i)
                inner, last = max(inner, weight), weight
                i = found.end()
                continue
        last = 1
        i += 1
    return stack[-1][0] if stack else None


def _unverbose(text: str) -> tuple[str, list[int]]:
    """`text` without the whitespace and `#` comments verbose mode ignores (sets and escapes
    kept as they are), and each kept character's offset in `text`."""
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)

    def keep(start: int, end: int) -> None:
        out.append(text[start:end])
        offsets.extend(range(start, end))

    while i < n:
        c = text[i]
        if c == "\\":
            keep(i, min(i + 2, n))
            i += 2
        elif text.startswith("(?#", i):  # kept whole: the scan skips it as the engine does
            end = text.find(")", i)
            end = n if end < 0 else end + 1
            keep(i, end)
            i = end
        elif c == "[":
            end = _skip_class(text, i)
            end = n if end < 0 else end
            keep(i, end)
            i = end
        elif c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif c.isspace():
            i += 1
        else:
            keep(i, i + 1)
            i += 1
    offsets.append(n)
    return "".join(out), offsets


# `(?x)`, `(?-x)`, `(?ix:` ...: inline flags; only x (verbose) changes how the rest reads.
_INLINE_FLAGS = _re.compile(r"\(\?([a-zA-Z0-9]*)(?:-([a-zA-Z0-9]*))?([:)])")  # V0, V1 too


def _verbose(now: bool, flags: _re.Match[str]) -> bool:
    if "x" in (flags.group(2) or ""):
        return False
    return now or "x" in flags.group(1)


def _count(digits: str | None) -> int:
    if not digits:
        return 0
    return MAX_REPEAT + 1 if len(digits) > 9 else int(digits)


def _short_number(text: str) -> str:
    return text if len(text) <= 24 else text[:20] + "...}"


def _skip_class(text: str, start: int) -> int:
    """The offset after a `[...]` character class (a leading `]` or `^]` is literal); -1
    when it is never closed."""
    i = start + 1
    if i < len(text) and text[i] == "^":
        i += 1
    if i < len(text) and text[i] == "]":
        i += 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "]":
            return i + 1
        i += 1
    return -1


_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None))
_MAXREPEAT = _sre.MAXREPEAT


def has_nested_quantifiers(text: str) -> bool:
    """The early, static check: an unbounded repeat inside another (`(a+)+`, `(a|b+)*`).
    A pattern `re` cannot parse (regex-only syntax) is left to the time budget."""
    try:
        return _nested_unbounded(_sre.parse(text).data, inside=False)
    except (_re.error, OverflowError, RecursionError):
        return False


def _nested_unbounded(items: list[tuple[object, object]], *, inside: bool) -> bool:
    """True when an unbounded repeat sits inside another unbounded repeat."""
    for op, arg in items:
        for body, unbounded in _bodies(op, arg):
            if unbounded and inside:
                return True
            if _nested_unbounded(body, inside=inside or unbounded):
                return True
    return False


def _bodies(op: object, arg: object) -> list[tuple[list[tuple[object, object]], bool]]:
    """The sub-patterns of one parsed node, each with whether it repeats without bound."""
    if op in _REPEATS and op is not None:
        repeat: Any = arg
        high: int = repeat[1]
        body: Any = repeat[2]
        return [(list(body), high == _MAXREPEAT or high > 100)]
    if op is _sre.SUBPATTERN:
        return [(list(arg[-1]), False)]  # type: ignore[index]
    if op is _sre.BRANCH:
        return [(list(branch), False) for branch in arg[1]]  # type: ignore[index]
    return []
