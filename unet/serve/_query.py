"""NetBox-style list queries: field filters with lookups, paging, `brief` and `fields`.

    ?role=core&role=edge          same field repeated: OR
    ?role=core&platform=ios       different fields: AND
    ?name__isw=leaf&platform__n=junos

Unknown parameters are an error that names them, so a typo never silently returns
everything.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from unet.core import record
from unet.patterns import (
    IGNORECASE,
    Pattern,
    PatternError,
    PatternTimeout,
    compile_pattern,
    has_nested_quantifiers,
)

__all__ = ["DEFAULT_LIMIT", "LOOKUPS", "MAX_LIMIT", "Query", "QueryError", "flag", "page",
           "parse_query"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
MAX_FIELDS = 100  # parameters in one query
PAGING = frozenset({"limit", "offset", "brief", "fields", "q"})


class QueryError(ValueError):
    """A query the API cannot answer (400)."""


def _text(value: Any) -> str:
    return "" if value is None else str(value).lower()


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _ordered(op: Callable[[float, float], bool]) -> Callable[[Any, str], bool]:
    def test(value: Any, wanted: str) -> bool:
        a, b = _number(value), _number(wanted)
        if a is not None and b is not None:
            return op(a, b)
        return value is not None and op(str(value), wanted)  # type: ignore[arg-type]
    return test


REGEX_TIMEOUT = 0.2  # seconds for one match: a filter that backtracks is a 400, not a hang


@functools.lru_cache(maxsize=64)  # bounded: the patterns come from anyone who can connect
def _compiled(wanted: str, flags: int) -> Pattern:
    pattern = compile_pattern(wanted, flags=flags, timeout=REGEX_TIMEOUT)
    if has_nested_quantifiers(wanted):  # the early answer; the time budget catches the rest
        raise PatternError("nested unbounded quantifiers (like `(a+)+`) can take "
                           "exponential time", 0)
    return pattern


def _regex(flags: int) -> Callable[[Any, str], bool]:
    def test(value: Any, wanted: str) -> bool:
        try:
            pattern = _compiled(wanted, flags)
            return value is not None and pattern.search(str(value)) is not None
        except PatternError as exc:
            raise QueryError(f"S100 invalid regular expression at position {exc.offset}: "
                             f"{exc.message}") from None
        except PatternTimeout as exc:
            raise QueryError(f"S101 {exc}") from None
    return test


def _empty(value: Any, wanted: str) -> bool:
    is_empty = value in (None, "", [], {})
    return is_empty == (wanted.lower() in _TRUE)


# lookup suffix -> test(value, wanted); `n` + lookup negates (NetBox: __n, __nic, __nisw ...).
LOOKUPS: dict[str, Callable[[Any, str], bool]] = {
    # booleans compare as true/false, whatever case the query uses
    "exact": lambda v, w: _text(v) == w.lower() if isinstance(v, bool) else
    (v is not None and str(v) == w),
    "ie": lambda v, w: _text(v) == w.lower(),
    "ic": lambda v, w: w.lower() in _text(v),
    "isw": lambda v, w: _text(v).startswith(w.lower()),
    "iew": lambda v, w: _text(v).endswith(w.lower()),
    "gt": _ordered(lambda a, b: a > b),
    "gte": _ordered(lambda a, b: a >= b),
    "lt": _ordered(lambda a, b: a < b),
    "lte": _ordered(lambda a, b: a <= b),
    "regex": _regex(0),
    "iregex": _regex(IGNORECASE),
    "empty": _empty,
}
# Fields that hold a reason or null: `field=true|false` asks whether there is one.
REASON_FLAGS = frozenset({"waived"})
_TRUE = frozenset({"true", "1", "yes", "on"})
_BOOLEAN_WORDS = frozenset({*_TRUE, "false", "0", "no", "off"})
_NEGATABLE = ("exact", "ie", "ic", "isw", "iew", "regex", "iregex")


@record
class Filter:
    field: str
    lookup: str
    negate: bool
    values: tuple[str, ...]

    def matches(self, record: dict[str, Any]) -> bool:
        value = record.get(self.field)
        test = LOOKUPS[self.lookup]
        if self.lookup == "empty":
            return test(value, self.values[-1])
        if self.field in REASON_FLAGS and self.lookup == "exact":
            # `waived=false`: not waived; the field holds the waiver's reason, or null
            wanted = {w.lower() in _TRUE for w in self.values}
            return ((value not in (None, "")) in wanted) != self.negate
        # A list matches when any element does (groups=core: a member of core).
        items = value if isinstance(value, list) else [value]
        hit = any(test(item, wanted) for wanted in self.values for item in items)
        return hit != self.negate


@dataclass(slots=True)
class Query:
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    brief: bool = False
    fields: tuple[str, ...] = ()
    search: str | None = None
    filters: list[Filter] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)  # endpoint options (explain ...)

    def select(self, records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        needle = self.search.lower() if self.search else None
        if needle is None and not self.filters:
            return records if isinstance(records, list) else list(records)
        return [r for r in records
                if (needle is None or needle in _text(r.get("name")))
                and all(f.matches(r) for f in self.filters)]


def parse_pairs(query_string: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(query_string, keep_blank_values=True, strict_parsing=bool(query_string),
                         errors="strict", max_num_fields=MAX_FIELDS)
    except (ValueError, UnicodeDecodeError) as exc:
        raise QueryError(f"malformed query string: {exc}") from None


def _split_key(key: str) -> tuple[str, str, bool]:
    name, _, lookup = key.partition("__")
    if not lookup:
        return name, "exact", False
    if lookup in LOOKUPS:
        return name, lookup, False
    if lookup == "n":
        return name, "exact", True
    if lookup.startswith("n") and lookup[1:] in _NEGATABLE:
        return name, lookup[1:], True
    raise QueryError(f"unknown lookup '__{lookup}' in '{key}' "
                     f"(use one of: n, {', '.join(LOOKUPS)}, or n + ic/isw/iew/ie/regex)")


def _integer(name: str, text: str, low: int, high: int | None) -> int:
    if not text.isdigit() or int(text) < low or (high is not None and int(text) > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise QueryError(f"'{name}' must be a whole number {bound}, got {text!r}")
    return int(text)


def flag(name: str, text: str) -> bool:
    """A yes/no parameter: `maybe` is a 400, not silently "no"."""
    if text.lower() not in _BOOLEAN_WORDS:
        raise QueryError(f"'{name}' must be true or false, got {text!r}")
    return text.lower() in _TRUE


def parse_query(query_string: str, *, filters: Sequence[str] = (),
                options: Sequence[str] = (), paging: bool | None = None) -> Query:
    """The query of a list (`filters`: filterable fields) or record endpoint (`options`).

    `paging` (default: whether there are filters) accepts limit, offset, brief, fields
    and q: a list with no records yet still pages."""
    paging = bool(filters) if paging is None else paging
    query = Query()
    grouped: dict[tuple[str, str, bool], list[str]] = {}
    unknown: list[str] = []
    seen: set[str] = set()
    for key, value in parse_pairs(query_string):
        if key in options or (key in PAGING and paging):
            if key in seen:  # `limit=1&limit=1000`: which one was meant?
                raise QueryError(f"'{key}' is given more than once; give it once")
            seen.add(key)
        if key in options:
            query.options[key] = value
        elif key in PAGING and paging:
            _paging(query, key, value)
        elif filters and _split_key(key)[0] in filters:
            _check_filter_value(key, value)
            grouped.setdefault(_split_key(key), []).append(value)
        elif key not in unknown:
            unknown.append(key)
    if unknown:
        known = sorted({*options, *(PAGING if paging else ()), *filters})
        raise QueryError(f"unknown query parameter{'s' if len(unknown) > 1 else ''}: "
                         f"{', '.join(unknown)} (known: {', '.join(known) or 'none'})")
    query.filters = [Filter(f, lookup, neg, tuple(v)) for (f, lookup, neg), v in grouped.items()]
    return query


def _check_filter_value(key: str, value: str) -> None:
    """`__empty` and a reason flag (`waived`) take true or false."""
    name, lookup, _ = _split_key(key)
    if lookup == "empty" or (name in REASON_FLAGS and lookup == "exact"):
        flag(key, value)


def _paging(query: Query, key: str, value: str) -> None:
    if key == "limit":
        query.limit = _integer("limit", value, 1, MAX_LIMIT)
    elif key == "offset":
        query.offset = _integer("offset", value, 0, None)
    elif key == "brief":
        query.brief = flag("brief", value)
    elif key == "fields":
        query.fields = tuple(f.strip() for f in value.split(",") if f.strip())
    else:
        query.search = value


def page(records: list[dict[str, Any]], query: Query, *, url: str,
         pairs: list[tuple[str, str]], brief: Callable[[dict[str, Any]], dict[str, Any]],
         known_fields: Iterable[str]) -> dict[str, Any]:
    """`{count, next, previous, results}` for one slice of the selected records."""
    chosen = query.select(records)
    window = chosen[query.offset:query.offset + query.limit]
    if query.fields:
        missing = sorted(set(query.fields) - set(known_fields))
        if missing:
            raise QueryError(f"unknown field{'s' if len(missing) > 1 else ''} in 'fields': "
                             f"{', '.join(missing)}")
        window = [{k: r[k] for k in query.fields if k in r} for r in window]
    elif query.brief:
        window = [brief(r) for r in window]
    return {"count": len(chosen),
            "next": _link(url, pairs, query.offset + query.limit, query, len(chosen)),
            "previous": _link(url, pairs, query.offset - query.limit, query, len(chosen)),
            "results": window}


def _link(url: str, pairs: list[tuple[str, str]], offset: int, query: Query,
          count: int) -> str | None:
    if offset >= count or (query.offset == 0 and offset < 0):
        return None
    rest = [(k, v) for k, v in pairs if k not in ("limit", "offset")]
    rest += [("limit", str(query.limit))]
    if offset > 0:
        rest.append(("offset", str(offset)))
    return f"{url}?{urlencode(rest)}"
