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
from unet.policy._version import Version

__all__ = ["FUNCTIONS_TABLE"]

MAX_TEXT = 1_000_000  # characters a function may build (concat, replace, join)


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | Version):
        return str(value)
    return None


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
    return _bounded(sep.join(p for p in parts if p is not None))


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit() and len(value) < 40:
        return int(value.strip())
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


# name -> (function, fewest arguments, most arguments)
FUNCTIONS_TABLE: dict[str, tuple[Callable[..., Any], int, int]] = {
    "split": (_split, 1, 2),
    "trim": (_trim, 1, 1),
    "replace": (_replace, 3, 3),
    "concat": (_concat, 1, 16),
    "join": (_join, 1, 2),
    "int": (_int, 1, 1),
    "address": (_address, 1, 1),
    "network": (_network, 1, 1),
    "prefixlen": (_prefixlen, 1, 1),
    "in_subnet": (_in_subnet, 2, 2),
    "capture": (_capture, 2, 3),
    "escape": (_escape, 1, 1),
}
