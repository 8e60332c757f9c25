"""The functions a policy can call: strings, numbers, addresses. Null in, null out.

Each takes plain values and returns a value or None (a wrong type is null, never an
error), so `int(node.vars.x) > 5` is simply false when x is missing or not a number.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from unet.policy._values import SafeRegex, regex_search
from unet.policy._values import as_text as _text
from unet.policy._version import Version

__all__ = ["FUNCTIONS_TABLE", "memoized"]

MAX_TEXT = 1_000_000  # characters a function may build (concat, replace, join)

# Results kept per function (then the memo starts over), and the longest string argument
# or result kept: a fleet rule calls address() on the same few hundred values thousands
# of times, and a hostile rule must not fill memory with megabyte strings.
MEMO_SIZE = 4096
MEMO_TEXT = 256


def _bounded(text: str) -> str | None:
    return text if len(text) <= MAX_TEXT else None


def _split(value: Any, separator: Any = None) -> list[str] | None:
    text = _text(value)
    if text is None:
        return None
    sep = _text(separator) if separator is not None else None
    return text.split(sep) if sep else text.split()


def _trim(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


def _replace(value: Any, old: Any, new: Any) -> str | None:
    text, a, b = _text(value), _text(old), _text(new)
    if text is None or a is None or b is None or not a:
        return None
    if len(b) > len(a) and text.count(a) * (len(b) - len(a)) + len(text) > MAX_TEXT:
        return None
    return text.replace(a, b)


def _concat(*values: Any) -> str | None:
    parts = [_text(v) for v in values]
    if any(p is None for p in parts):
        return None
    return _bounded("".join(p for p in parts if p is not None))


def _join(values: Any, separator: Any = ", ") -> str | None:
    sep = _text(separator)
    if not isinstance(values, list) or sep is None:
        return None
    parts = [_text(v) for v in values]
    if any(p is None for p in parts):
        return None
    texts = [p for p in parts if p is not None]
    if sum(map(len, texts)) + len(sep) * max(len(texts) - 1, 0) > MAX_TEXT:
        return None  # too long: said before building it
    return sep.join(texts)


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and len(value) < 40:
        try:  # "+-5" and "²" pass isdigit(), not int()
            return int(value.strip())
        except ValueError:
            return None
    return None


def _interface(value: Any) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface | None:
    text = _text(value)
    return None if text is None else _parse_interface(text)


@lru_cache(maxsize=8192)  # fleet rules compare the same addresses many times
def _parse_interface(text: str) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface | None:
    try:
        return ipaddress.ip_interface(text.strip())
    except ValueError:
        pass
    parts = text.split()  # IOS form: "10.0.0.1 255.255.255.0"
    if len(parts) == 2:
        try:
            return ipaddress.ip_interface(f"{parts[0]}/{parts[1]}")
        except ValueError:
            return None
    return None


def _address(value: Any) -> str | None:
    text = _text(value)
    return None if text is None else _address_text(text)


@lru_cache(maxsize=8192)  # a fleet rule compares every address with every other one
def _address_text(text: str) -> str | None:
    found = _parse_interface(text)
    return str(found.ip) if found is not None else None


def _network(value: Any) -> str | None:
    text = _text(value)
    return None if text is None else _network_text(text)


@lru_cache(maxsize=8192)
def _network_text(text: str) -> str | None:
    found = _parse_interface(text)
    return str(found.network) if found is not None else None


def _prefixlen(value: Any) -> int | None:
    found = _interface(value)
    return found.network.prefixlen if found is not None else None


def _in_subnet(value: Any, subnet: Any) -> bool | None:
    found, text = _interface(value), _text(subnet)
    if found is None or text is None:
        return None
    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None
    return found.version == network.version and found.ip in network


def _capture(value: Any, pattern: Any, group: Any = 1) -> str | None:
    """The text of a regex group of the first match (group 0: the whole match)."""
    text = _text(value)
    if text is None or not isinstance(pattern, SafeRegex):
        return None
    found = regex_search(pattern, text)
    if found is None:
        return None
    try:
        result = found.group(group if isinstance(group, int | str) else 1)
    except (IndexError, regex_error()):
        return None
    return result if isinstance(result, str) else None


def regex_error() -> type[Exception]:
    import regex

    error: type[Exception] = regex.error
    return error


def _escape(value: Any) -> str | None:
    import regex

    text = _text(value)
    return regex.escape(text) if text is not None else None


_KEPT = (bool, int, Version)  # immutable results, kept as they are


def memoized(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` with its results on plain arguments (str, int, null) kept in a bounded
    dict.

    For pure functions of their arguments only: the same arguments give the same result,
    so keeping it changes nothing but time. A call that raises is not kept (it raises the
    same way the next time). Other arguments (lists, mappings, floats, booleans, long
    strings) are passed on uncached, and only immutable results are kept.
    """
    memo: dict[Any, Any] = {}

    def keep(key: Any, result: Any) -> Any:
        if result is None or type(result) in _KEPT or (
                type(result) is str and len(result) <= MEMO_TEXT):
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[key] = result
        return result

    def call(*args: Any) -> Any:
        if len(args) == 1:  # most calls: address(i.ipv4); the key is the argument itself
            key = args[0]
            kind = type(key)  # first: 1.0 and true hash like 1, a list not at all
            if kind is str:
                if len(key) > MEMO_TEXT:
                    return function(key)
            elif kind is not int and key is not None:
                return function(key)
            found = memo.get(key, memo)  # (the memo itself is never a result)
            return found if found is not memo else keep(key, function(key))
        if not all(_plain(arg) for arg in args):
            return function(*args)
        if args in memo:
            return memo[args]
        return keep(args, function(*args))

    call.__wrapped__ = function  # type: ignore[attr-defined]
    call.memo = memo  # type: ignore[attr-defined]  # for callers that look up first
    return call


def _plain(value: Any) -> bool:
    """A value a memo may keep as a key: equal keys are the same value."""
    kind = type(value)
    return value is None or kind is int or (kind is str and len(value) <= MEMO_TEXT)


# name -> (function, fewest arguments, most arguments)
FUNCTIONS_TABLE: dict[str, tuple[Callable[..., Any], int, int]] = {
    "split": (_split, 1, 2),
    "trim": (_trim, 1, 1),
    "replace": (_replace, 3, 3),
    "concat": (_concat, 1, 16),
    "join": (_join, 1, 2),
    "int": (_int, 1, 1),
    # Address parsing is what fleet rules spend their time on: memoized. (String functions
    # such as trim or lower cost less than a memo lookup.)
    "address": (memoized(_address), 1, 1),
    "network": (memoized(_network), 1, 1),
    "prefixlen": (memoized(_prefixlen), 1, 1),
    "in_subnet": (memoized(_in_subnet), 2, 2),
    "capture": (_capture, 2, 3),
    "escape": (memoized(_escape), 1, 1),
}
