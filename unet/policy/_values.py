"""What the operators mean: strings compare as strings, null compares false, no surprises.

- A missing value is null; every comparison with null is false (use IS NULL).
- Values of different types are never equal and never ordered ("10" is not 10,
  true is not 1), except versions, which compare with strings and numbers.
- CONTAINS: substring of a string, element of a list, key of a mapping.
- MATCHES: a regex search in a string (numbers are matched as their text), bounded
  in time: a pattern that backtracks catastrophically is stopped and reported.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import regex

from unet.core import Location
from unet.patterns import PatternError, PatternTimeout, compile_pattern
from unet.policy._version import Version

__all__ = ["OPERATORS", "EvaluationBudgetExceeded", "PolicyEvaluationError", "SafeRegex",
           "a_kind", "as_text", "data_regex", "equal", "kind_words", "regex_search", "show_value",
           "truthy"]

REGEX_TIMEOUT = 1.0  # seconds for one match
_FLAGS = {"i": regex.IGNORECASE, "m": regex.MULTILINE, "s": regex.DOTALL, "x": regex.VERBOSE}


class PolicyEvaluationError(Exception):
    """A rule could not be evaluated on a device (e.g. a regex that takes too long);
    `at` is the expression that failed, once known (else the rule is named)."""

    code = "P301"
    at: Location | None = None


class EvaluationBudgetExceeded(PolicyEvaluationError):
    """A rule took more steps on one device than any real check needs."""

    code = "P305"


class SafeRegex:
    """A compiled regex whose matches are bounded in time.

    A value it timed out on fails again at once (same pattern, same text: same outcome),
    so a hostile value costs its timeout once, and what a device gets never depends on
    which devices were evaluated before it.
    """

    __slots__ = ("pattern", "source", "timed_out")

    def __init__(self, source: str, flags: str = "") -> None:
        value = 0
        for flag in flags:
            value |= _FLAGS[flag]
        self.source = source
        self.pattern = compile_pattern(source, flags=value, timeout=REGEX_TIMEOUT)
        self.timed_out: set[str] = set()

    def search(self, text: str) -> bool:
        return self.match(text) is not None

    def match(self, text: str) -> Any:
        """The first match (a regex Match object), or None."""
        return regex_search(self, text)


def regex_search(pattern: SafeRegex, text: str) -> Any:
    """Every policy regex match goes through here: bounded in time, same answer every time."""
    if text in pattern.timed_out:
        raise _too_long(pattern, text)
    try:
        return pattern.pattern.search(text)
    except PatternTimeout:
        if len(pattern.timed_out) < 64:
            pattern.timed_out.add(text)
        raise _too_long(pattern, text) from None


def _too_long(pattern: SafeRegex, text: str) -> PolicyEvaluationError:
    return PolicyEvaluationError(
        f"regex /{pattern.source}/ took longer than {REGEX_TIMEOUT:g}s on a "
        f"{len(text)}-character value (catastrophic backtracking?); rewrite it")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Version):
        return "version"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def _versions(a: Any, b: Any) -> tuple[Version, Version] | None:
    if isinstance(a, Version) or isinstance(b, Version):
        va, vb = Version.of(a), Version.of(b)
        if va is not None and vb is not None:
            return va, vb
    return None


def equal(a: Any, b: Any) -> bool:
    if type(a) is str and type(b) is str:  # the common case, decided without _kind
        return a == b
    if a is None or b is None:
        return False
    versions = _versions(a, b)
    if versions:
        return versions[0] == versions[1]
    if _kind(a) != _kind(b):
        return False
    if isinstance(a, list | tuple | dict) and a is b:  # a value set into itself: shared
        return True
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):  # by the same rules inside: true is not 1 there either
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    return bool(a == b)


def _ordered(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        if a is None or b is None:
            return False
        versions = _versions(a, b)
        if versions:
            return test(*versions)
        kind = _kind(a)
        if kind != _kind(b) or kind not in ("number", "string"):
            return False
        return test(a, b)

    return compare


def _contains(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    if isinstance(a, str):
        return isinstance(b, str) and b in a
    if isinstance(a, list | tuple):
        return any(equal(item, b) for item in a)
    if isinstance(a, dict):  # a key: a list or mapping never is one
        return not isinstance(b, list | dict) and b in a
    return False


def _matches(a: Any, b: Any) -> bool:
    text = as_text(a)
    if text is None or b is None:
        return False
    if isinstance(b, SafeRegex):
        return b.search(text)
    source = as_text(b)  # a number is a pattern as its text
    if source is None:
        raise PolicyEvaluationError(f"{a_kind(b)} is not a pattern")
    try:
        pattern = data_regex(source)
    except PatternError as exc:  # a pattern from data: the rule cannot be evaluated
        raise PolicyEvaluationError(f"invalid regex {show_value(source, 80)} (from data): "
                                    f"{exc.message}") from None
    return pattern.search(text)


def as_text(value: Any) -> str | None:
    """A value used as text: a string, or a number or version as written; None for
    null, true/false, a list or a mapping."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | Version) and not isinstance(value, bool):
        return str(value)
    return None


_A_KIND = {"bool": "true/false", "list": "a list", "mapping": "a mapping"}


def a_kind(value: Any) -> str:
    """"a list", "true/false", "a number"...: what a value is, for a message."""
    return kind_words(_kind(value))


def kind_words(kind: str) -> str:
    """A kind ("number", "bool", ...) as a message says it: "a number", "true/false"."""
    return _A_KIND.get(kind, f"a {kind}")

_DATA_REGEXES: dict[str, SafeRegex] = {}
_DATA_REGEXES_KEPT = 256


def data_regex(text: str) -> SafeRegex:
    """A pattern from data, compiled once for the run (an ALL over many elements matches
    the same one each time)."""
    found = _DATA_REGEXES.get(text)
    if found is None:
        if len(_DATA_REGEXES) >= _DATA_REGEXES_KEPT:
            _DATA_REGEXES.clear()
        found = _DATA_REGEXES[text] = SafeRegex(text)
    return found


def _affix(method: str) -> Callable[[Any, Any], bool]:
    def test(a: Any, b: Any) -> bool:
        return isinstance(a, str) and isinstance(b, str) and bool(getattr(a, method)(b))

    return test


def _in(a: Any, b: Any) -> bool:
    return _contains(b, a)


def _is(a: Any, b: Any) -> bool:
    return (a is None and b is None) or equal(a, b)


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": equal,
    "!=": lambda a, b: a is not None and b is not None and not equal(a, b),
    "<": _ordered(lambda a, b: a < b),
    "<=": _ordered(lambda a, b: a <= b),
    ">": _ordered(lambda a, b: a > b),
    ">=": _ordered(lambda a, b: a >= b),
    "CONTAINS": _contains,
    "MATCHES": _matches,
    "STARTSWITH": _affix("startswith"),
    "ENDSWITH": _affix("endswith"),
    "IN": _in,
    "IS": _is,
}


def truthy(value: Any) -> bool:
    """A value used as a condition: true, a non-empty string/list/mapping, a non-zero number."""
    return bool(value) if not isinstance(value, Version) else True


_SHOWN_DEPTH = 50  # levels of nesting shown; a value SET into itself can have thousands


def show_value(value: Any, limit: int = 120) -> str:
    """`value` as JSON (non-JSON values as their text), cut to `limit` characters.

    Only what is shown is produced, so a value that `SET x TO [x, x]` has doubled thirty
    times, or nested a thousand deep, costs no more than a short one."""
    parts: list[str] = []
    size = 0

    def emit(text: str) -> bool:  # True once enough is written
        nonlocal size
        parts.append(text)
        size += len(text)
        return size > limit

    def walk(item: Any, depth: int) -> bool:
        if isinstance(item, dict | list | tuple):
            if depth >= _SHOWN_DEPTH:
                return emit("...")
            mapping = isinstance(item, dict)
            if emit("{" if mapping else "["):
                return True
            elements: Any = item.items() if isinstance(item, dict) else item
            for number, element in enumerate(elements):
                if number and emit(", "):
                    return True
                if mapping:
                    key, element = element
                    if emit(json.dumps(str(key)[:limit]) + ": "):
                        return True
                if walk(element, depth + 1):
                    return True
            return emit("}" if mapping else "]")
        if item is None or isinstance(item, bool | float):
            return emit(json.dumps(item))
        if isinstance(item, int):
            return emit(str(item) if item.bit_length() < 1000 else "a number too large to show")
        text = item if isinstance(item, str) else str(item)
        return emit(json.dumps(text[:limit + 1]))

    walk(value, 0)
    text = "".join(parts)
    return text if len(text) <= limit else text[:limit - 3] + "..."
