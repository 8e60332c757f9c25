"""Fast lookup of the first rule matching a lineage: filter by depth and by the literal
prefix of the last level with str methods, and only then run the regexes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Generic, Protocol, TypeVar

import regex

from unet.config._match import Match

__all__ = ["RuleIndex", "literal_prefix"]

_META = set(".^$*+?{}[]\\|()")


class _HasMatch(Protocol):
    @property
    def match(self) -> Match: ...


R = TypeVar("R", bound=_HasMatch)


def literal_prefix(pattern: str) -> str:
    """The fixed text every match of `pattern` starts with ('' when unknown)."""
    out: list[str] = []
    for position, char in enumerate(pattern):
        if char in _META:
            if char in "*?{" and out:
                out.pop()  # the quantifier makes the previous char optional
            break
        out.append(char)
        if position + 1 < len(pattern) and pattern[position + 1] in "*?{":
            out.pop()
            break
    return "".join(out)


class RuleIndex(Generic[R]):
    """Rules of one kind, with a cheap pre-filter per rule."""

    __slots__ = ("by_char", "entries", "wild")

    def __init__(self, rules: Sequence[R]) -> None:
        self.entries: list[tuple[R, int, str]] = []
        for rule in rules:
            levels = rule.match.levels
            depth = len(levels) if rule.match.anchored else -len(levels)
            last = levels[-1].strip()
            self.entries.append((rule, depth, "" if last == "*" else literal_prefix(last)))
        # Rules that can match a line starting with a given character, in table order.
        self.wild = [e for e in self.entries if not e[2]]
        chars = {e[2][0] for e in self.entries if e[2]}
        self.by_char = {c: [e for e in self.entries if not e[2] or e[2][0] == c] for c in chars}

    def first(self, lineage: Sequence[str]) -> tuple[R, regex.Match[str] | bool] | None:
        size, text = len(lineage), lineage[-1]
        for rule, depth, prefix in self.by_char.get(text[:1], self.wild):
            if (depth > 0 and depth != size) or (depth < 0 and -depth > size):
                continue
            if prefix and not text.startswith(prefix):
                continue
            found = rule.match.lineage(lineage)
            if found:
                return rule, found
        return None

    def all(self, lineage: Sequence[str]) -> Iterator[tuple[R, regex.Match[str] | bool]]:
        """Every rule matching `lineage`, in table order."""
        size, text = len(lineage), lineage[-1]
        for rule, depth, prefix in self.by_char.get(text[:1], self.wild):
            if (depth > 0 and depth != size) or (depth < 0 and -depth > size):
                continue
            if prefix and not text.startswith(prefix):
                continue
            found = rule.match.lineage(lineage)
            if found:
                yield rule, found

    @property
    def depths(self) -> frozenset[int]:
        """The lineage lengths anchored rules match at (empty if any rule floats)."""
        if any(depth < 0 for _, depth, _ in self.entries):
            return frozenset()
        return frozenset(depth for _, depth, _ in self.entries)

    @property
    def prefixes(self) -> tuple[str, ...] | None:
        """The literal prefixes every match starts with; None when a rule has none."""
        found = tuple(prefix for _, _, prefix in self.entries)
        return found if all(found) else None
