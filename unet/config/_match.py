"""Match expressions: `level1||level2||...`, one full-line regex per depth, `*` for any line.

Each level is compiled by `unet.patterns.compile_pattern` (compile-time bombs
refused, every match bounded in time: `PatternTimeout`). Patterns with nested
unbounded quantifiers (`(a+)+`, `(a*)*`, `(a|b+)*`) are also rejected early,
when the expression is parsed, and each line is matched on at most `MAX_LINE`
characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from functools import lru_cache

import regex

from unet.core import record
from unet.patterns import Pattern, PatternError, compile_pattern, has_nested_quantifiers

__all__ = ["MAX_LINE", "SEPARATOR", "Match", "MatchError"]

SEPARATOR = "||"
MAX_LINE = 4096


class MatchError(ValueError):
    """An invalid match expression; says which level (1-based) and where (0-based offset)."""

    def __init__(self, message: str, *, expression: str, level: int, position: int) -> None:
        super().__init__(f"{message} (level {level}, position {position} in {expression!r})")
        self.reason = message
        self.expression = expression
        self.level = level
        self.position = position


@record
class Match:
    """A compiled match expression; `None` in `patterns` is the `*` wildcard."""

    levels: tuple[str, ...]
    anchored: bool = True
    _patterns: tuple[Pattern | None, ...] | None = field(
        default=None, init=False, compare=False, repr=False)

    @classmethod
    def parse(cls, expression: str, *, anchored: bool = True, deferred: bool = False) -> Match:
        """Compile `a||b||c`; `anchored=False` lets the last levels match at any depth.

        `deferred=True` compiles on first use instead: for the built-in dialect tables, whose
        expressions are all compiled by the tests, so a run pays only for the rules it consults.
        """
        if not expression.strip():
            raise MatchError("empty match expression", expression=expression, level=1, position=0)
        match = cls(tuple(expression.split(SEPARATOR)), anchored)
        if not deferred:
            match.patterns  # noqa: B018 - compiling is the check
        return match

    @property
    def patterns(self) -> tuple[Pattern | None, ...]:
        """One compiled pattern per level (compiled once, on first use)."""
        if self._patterns is None:
            expression = str(self)
            patterns, offset = [], 0
            for number, level in enumerate(self.levels, 1):
                patterns.append(_compile(level, expression, number, offset))
                offset += len(level) + len(SEPARATOR)
            object.__setattr__(self, "_patterns", tuple(patterns))
        assert self._patterns is not None
        return self._patterns

    def __str__(self) -> str:
        return SEPARATOR.join(self.levels)

    def line(self, depth: int, text: str) -> bool:
        """Whether `text` at `depth` (0-based) matches this level; deeper than the expression
        always matches (descendants of a match belong to it)."""
        if depth >= len(self.patterns):
            return True
        pattern = self.patterns[depth]
        return pattern is None or pattern.fullmatch(text[:MAX_LINE]) is not None

    def lineage(self, texts: Sequence[str]) -> regex.Match[str] | bool:
        """Match a whole lineage (ancestors then the line itself), level for level.

        Returns the last level's `regex.Match` (for capture groups) or a bool.
        """
        count = len(self.patterns)
        if len(texts) != count:
            if self.anchored or len(texts) < count:
                return False
            texts = texts[len(texts) - count :]
        found: regex.Match[str] | bool = False
        for pattern, text in zip(self.patterns, texts, strict=True):
            if pattern is None:
                found = True
                continue
            found = pattern.fullmatch(text[:MAX_LINE]) or False
            if not found:
                return False
        return found


def _compile(level: str, expression: str, number: int, offset: int) -> Pattern | None:
    text = level.strip()
    if text == "*":
        return None
    lead = offset + len(level) - len(level.lstrip())
    if not text:
        raise MatchError("empty level", expression=expression, level=number, position=offset)
    compiled, problem = _level(text)
    if problem is not None:
        message, at = problem
        raise MatchError(message, expression=expression, level=number, position=lead + at)
    return compiled


@lru_cache(maxsize=4096)
def _level(text: str) -> tuple[Pattern | None, tuple[str, int] | None]:
    """One level's pattern, or its problem (message, offset in `text`); the same level text
    recurs across rules and dialects (`.*`, `interface .*`), so it is compiled once.
    A `Pattern` is immutable, so sharing it is safe."""
    try:
        compiled = compile_pattern(text)
    except PatternError as exc:
        return None, (exc.message, exc.offset)
    if has_nested_quantifiers(text):
        return None, ("nested unbounded quantifiers (like `(a+)+`) can take exponential time", 0)
    return compiled, None
