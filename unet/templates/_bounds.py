"""Bounds on what one device's rendering may cost: time, and the size of every value.

The sandbox alone refuses `'a'*10**9` but not the many other ways to build a huge value
(`center`, `indent`, `'{:>1000000000}'.format`, `'%1000000000s'|format`, `replace`,
`join`, a `namespace` value doubled in a loop, `[[0]*5000000]*5000000`, `s ~ s` or `l + l`
in a recursive macro, `'{0}{0}'.format(s)`). Each of these is checked *before* the value is
built, against MAX_SIZE; a squared integer is checked by its bits. A value turned into text
is measured with its nested lists counted through: `[l, l]` nested forty deep is small in
memory but not as text. So is every list, tuple and dict a template builds (a literal,
a call's or filter's result, `+` and `*`): comparing or hashing such a value walks it with
every shared part counted again, which no deadline can interrupt. The values printed in one
rendering, macro output included, are bounded as a whole (MAX_PRINTED), and so is the memory
the rendering adds to the process (MAX_MEMORY, where it can be read cheaply). Time is bounded
by a deadline per device, checked by every loop, every call and attribute access in the
template and every output chunk: past it, rendering stops (T111).
"""

from __future__ import annotations

import contextlib
import inspect
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator, MappingView
from typing import Any

from jinja2 import pass_eval_context
from jinja2.filters import (
    do_batch,
    do_center,
    do_format,
    do_indent,
    do_join,
    do_replace,
    do_sum,
    sync_do_slice,
)
from jinja2.runtime import Macro
from jinja2.sandbox import safe_range
from jinja2.utils import Namespace, generate_lorem_ipsum

from unet.templates._filters import FilterUsage

__all__ = [
    "MAX_INT_BITS",
    "MAX_MEMORY",
    "MAX_SECONDS",
    "MAX_SIZE",
    "BoundedNamespace",
    "RenderLimit",
    "bound_filter",
    "bounded_filters",
    "bounded_iter",
    "bounded_lipsum",
    "bounded_range",
    "budget",
    "check_call",
    "check_concat",
    "check_deadline",
    "check_format",
    "check_format_args",
    "check_literal",
    "check_printed",
    "check_product",
    "check_result",
    "check_size",
    "check_substitution",
    "check_sum",
]

MAX_SIZE = 5_000_000  # characters of one value (the output bound too)
MAX_INT_BITS = 4096  # bits of one integer built by `*`
MAX_SECONDS = 5.0  # rendering time of one device
MAX_PRINTED = 4 * MAX_SIZE  # characters of all `{{ … }}` values of one device, macros' too
MAX_MEMORY = 512 * 2**20  # bytes one device's rendering may add to the process
_MEMORY_EVERY = 0.01  # seconds between two readings of the process's memory

# A width or precision of 7 digits or more in a format spec: `{:>1000000}`, `%1000000s`.
_WIDE_FORMAT = re.compile(r"%[-+ #0]*(\d{7,}|\*)|%[-+ #0]*\d*\.(\d{7,}|\*)|\{[^{}]*:[^{}]*\d{7,}")
_NESTED_SPEC = re.compile(r"\{[^{}]*:[^{}]*\{")
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_local = threading.local()


class RenderLimit(Exception):
    """Rendering went past a bound: `code` is T111 (time) or T112 (size)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@contextlib.contextmanager
def budget(seconds: float = MAX_SECONDS) -> Iterator[None]:
    """Set this thread's rendering deadline, unless an outer budget (the device's) is set."""
    if getattr(_local, "deadline", None) is not None:
        yield
        return
    now = time.monotonic()
    _local.deadline = now + seconds
    _local.seconds = seconds
    _local.printed = 0
    _local.memory = _memory()
    _local.next_reading = now + _MEMORY_EVERY
    try:
        yield
    finally:
        _local.deadline = None


def check_deadline() -> None:
    deadline = getattr(_local, "deadline", None)
    if deadline is None:
        return
    now = time.monotonic()
    if now > deadline:
        raise RenderLimit("T111", f"rendering took longer than {_local.seconds:g}s "
                                  "(nested loops over large ranges?); stopped")
    if now >= _local.next_reading:
        _local.next_reading = now + _MEMORY_EVERY
        _check_memory()


def _check_memory() -> None:
    """Many values each under MAX_SIZE can still add up to gigabytes: the process's memory,
    against what it held when the device's rendering began."""
    start = _local.memory
    now = _memory() if start is not None else None
    if now is not None and now - start > MAX_MEMORY:
        raise RenderLimit("T112", f"rendering used over {MAX_MEMORY // 2**20} MiB of memory "
                                  "(many large values at once: in a list, in variables "
                                  "or in recursive macro calls?); stopped")


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _memory() -> int | None:
    """Bytes the process holds now (Linux: its resident set), its peak elsewhere (the peak
    only grows, so the bound still holds), or None where neither can be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak) if sys.platform == "darwin" else int(peak) * 1024


def check_size(size: int, what: str) -> None:
    if size > MAX_SIZE:
        raise RenderLimit("T112", f"{what} would make a value of {_count(size)} characters "
                                  f"or items, over the limit of {MAX_SIZE}")


def _count(size: int) -> str:
    return str(size) if size < 10**12 else f"about 10^{len(str(size)) - 1}"


def weight(value: Any, seen: dict[int, int] | None = None, *, text: bool = False) -> int:
    """Characters or items a value holds, nested lists and dict keys counted through, a part
    shared by several counted each time (as text, a comparison or a hash sees it), each
    object walked once. As `text`, a number counts its digits: a list of one 800-digit
    number five million times is 5,000,000 items but 4 GB of text."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, Namespace):  # its attributes are values like any other
        value = value._Namespace__attrs
    elif isinstance(value, MappingView):  # `{'a': x}.values()` prints as its items
        value = list(value)  # type: ignore[call-overload]  # views are iterable
    if not isinstance(value, list | tuple | dict | set | frozenset):
        if not text:
            return 1
        if seen is not None and id(value) in seen:  # one object listed millions of times
            return seen[id(value)]
        # As text, anything else is what it prints as (a macro is `<Macro 'its name'>`).
        size = _digits(value) if isinstance(value, int | float) else len(repr(value))
        if seen is not None:
            seen[id(value)] = size
        return size
    seen = {} if seen is None else seen
    key = id(value)
    if key in seen:
        return seen[key]
    seen[key] = len(value)  # a cycle counts once
    items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
    total = len(value) * (_PUNCTUATION if text else 1)  # `'', ` around each item printed
    kinds = set(map(type, items))  # a flat list of text or numbers is summed at C speed
    if kinds <= _STR or kinds <= _BYTES:
        total += sum(map(len, items))
    elif kinds <= _NUMBERS:
        if text:
            total += len(items) * _widest(items, kinds)
    else:
        total += sum(weight(v, seen, text=text) for v in items
                     if text or not isinstance(v, int | float))
    seen[key] = total
    return total


def _digits(number: int | float) -> int:
    if isinstance(number, float):
        return 24  # repr of any float
    return number.bit_length() // 3 + 2  # decimal digits and sign, over-counted


def _widest(numbers: Any, kinds: set[type]) -> int:
    """The characters of the longest number in a flat list of numbers, as text."""
    if float in kinds:
        return max(_digits(n) for n in numbers)
    return max(map(int.bit_length, numbers), default=0) // 3 + 2


_STR, _BYTES = frozenset({str}), frozenset({bytes})
_PUNCTUATION = 4  # characters around an item of a list printed: quotes, comma, space
_NUMBERS = frozenset({int, float, bool})


def check_product(left: Any, right: Any) -> None:
    """Before `left * right`: a repeated sequence or a product of integers that is too big."""
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise RenderLimit("T112", f"a product of integers over {MAX_INT_BITS} bits "
                                      "(a number squared in a loop?)")
        return
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(count, int) and count > 0:
            check_size(weight(seq) * count, "repeating a sequence")


def check_sum(left: Any, right: Any) -> None:
    """Before `left + right` on strings or lists (`l + l` doubled in a recursive macro)."""
    if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
        check_size(len(left) + len(right), "adding with +")


def check_concat(parts: tuple[Any, ...]) -> tuple[Any, ...]:
    """Before `a ~ b ~ …` joins its parts as text."""
    check_deadline()
    check_size(sum(_text_weight(p) for p in parts), "joining with ~")
    return parts


def check_substitution(text: Any, values: Any, what: str) -> None:
    """Before `%` or `.format`: every field may repeat the largest value (`'{0}{0}'`)."""
    if not isinstance(text, str):
        return
    if isinstance(values, dict):
        values = list(values.values())
    elif not isinstance(values, tuple | list):
        values = [values]
    largest = max((_text_weight(v) for v in values), default=0)
    fields = max(text.count("%"), text.count("{"))
    check_size(len(text) + fields * largest, what)


def check_result(value: Any, what: str) -> Any:
    """After a call, filter or operator: its result, so growth chained through calls stops
    here; a list, tuple, dict or set with its shared parts counted through (`[x, x]` nested
    sixty deep takes 2^60 steps to compare or hash)."""
    check_deadline()
    if isinstance(value, str | bytes):
        if len(value) > MAX_SIZE:
            check_size(len(value), what)
    elif isinstance(value, list | tuple | dict | set | frozenset):
        check_size(weight(value), what)
    return value


def check_literal(value: Any) -> Any:
    """A list, tuple or dict written in the template, once built (`[x, x]` in a loop)."""
    return check_result(value, f"a {type(value).__name__} written in the template")


def check_printed(value: Any) -> None:
    """Before `{{ value }}` is printed: its text, and all text printed so far by the device."""
    check_deadline()
    size = _text_weight(value)
    check_size(size, "printing a value")
    printed = getattr(_local, "printed", None)
    if printed is not None and getattr(_local, "deadline", None) is not None:
        _local.printed = printed + size
        if _local.printed > MAX_PRINTED:
            raise RenderLimit("T112", f"the values printed add up to over {MAX_PRINTED} "
                                      "characters (a macro printing a value in a loop?); "
                                      "rendering stopped")


def _text_weight(value: Any) -> int:
    return weight(value, text=True)


def check_format(text: Any) -> None:
    if isinstance(text, str) and _WIDE_FORMAT.search(text):
        raise RenderLimit("T112", "a format width or precision of a million or more")


def check_call(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any] | None = None) -> None:
    """Before a call from a template: the deadline, a macro's `varargs` and `kwargs` (built
    by Jinja from the arguments: hashing them walks every shared part), and str and bytes
    methods that pad to a width, replace, join, translate or encode."""
    check_deadline()
    if isinstance(obj, Macro):  # only these build new values from the arguments
        if obj.catch_varargs and len(args) > len(obj.arguments):
            check_size(weight(args[len(obj.arguments):]), f"the varargs of {obj.name}")
        if obj.catch_kwargs and kwargs:
            check_size(weight(kwargs), f"the kwargs of {obj.name}")
    owner = getattr(obj, "__self__", None)
    if not isinstance(owner, str | bytes):
        return
    name = getattr(obj, "__name__", "")
    kind = type(owner).__name__
    if name in _WIDTH_METHODS and args and isinstance(args[0], int):
        size = len(owner) * args[0] if name == "expandtabs" else args[0]
        check_size(size, f"{kind}.{name}({args[0]})")
    elif name == "replace" and len(args) >= 2:
        check_size(_replaced(owner, args[0], args[1], args[2] if len(args) > 2 else -1),
                   f"{kind}.replace")
    elif name == "join" and args:
        check_size(_joined(owner, args[0]), f"{kind}.join")
    elif name == "translate" and args and isinstance(args[0], dict):
        longest = max((len(v) for v in args[0].values() if isinstance(v, str)), default=1)
        check_size(len(owner) * longest, f"{kind}.translate")
    elif name in ("encode", "decode"):
        codec = args[0] if args else (kwargs or {}).get("encoding", "utf-8")
        if str(codec).lower().replace("_", "-") not in _CODECS:
            # punycode and idna take quadratic time on a long text
            raise RenderLimit("T112", f"{kind}.{name}({codec!r}): only "
                                      f"{', '.join(sorted(_CODECS))} are allowed")


_CODECS = frozenset({"utf-8", "utf8", "ascii", "latin-1", "latin1", "iso-8859-1",
                     "utf-16", "utf-16-le", "utf-16-be"})


def _replaced(text: str | bytes, old: Any, new: Any, count: Any) -> int:
    if not isinstance(old, type(text)) or not isinstance(new, type(text)):
        return len(text)  # the call itself fails
    hits = text.count(old) if old else len(text) + 1  # type: ignore[arg-type]
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * (len(new) - len(old))


def _joined(separator: str | bytes, items: Any) -> int:
    if not isinstance(items, list | tuple | str):
        return 0
    return max(len(items) - 1, 0) * len(separator) + weight(list(items), text=True)


class BoundedNamespace(Namespace):
    """`namespace()` whose attributes cannot grow past the bounds (`ns.s = ns.s ~ ns.s`),
    whether set later or given to `namespace(v=…)` (a tuple nested 200,000 deep through
    namespaces in a loop would crash the interpreter when hashed: its depth stops here)."""

    def __init__(*args: Any, **kwargs: Any) -> None:  # as Namespace's own: no `self`
        Namespace.__init__(*args, **kwargs)
        self = args[0]
        for name, value in self._Namespace__attrs.items():
            BoundedNamespace._check(name, value)

    def __setitem__(self, name: str, value: Any) -> None:
        BoundedNamespace._check(name, value)  # its attributes hide methods
        super().__setitem__(name, value)

    @staticmethod
    def _check(name: str, value: Any) -> None:
        check_deadline()
        if isinstance(value, int) and not isinstance(value, bool):
            if value.bit_length() > MAX_INT_BITS:
                raise RenderLimit("T112", f"namespace value over {MAX_INT_BITS} bits")
        else:
            check_size(weight(value), f"namespace attribute {name!r}")


def bounded_iter(items: Any) -> Any:
    """A `for` loop's iterable, checking the deadline every 1000 items (a list or a
    mapping as it is, for `loop.length`, when it is short)."""
    if isinstance(items, list | tuple | dict) and len(items) <= 1000:
        return items
    return _iterated(items)


def _iterated(items: Any) -> Iterator[Any]:
    for i, item in enumerate(items):
        if not i % 1000:
            check_deadline()
        yield item


def bounded_range(*args: int) -> Iterator[int]:
    """`range()` for templates: Jinja's item limit, and the deadline every 1000 items."""
    for i, item in enumerate(safe_range(*args)):
        if not i % 1000:
            check_deadline()
        yield item


def _width(value: Any) -> int:
    return len(value) if isinstance(value, str) else value if isinstance(value, int) else 0


def _center(value: str, width: int = 80) -> str:
    check_size(_width(width), f"center({width})")
    return do_center(value, width)


def _indent(s: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    check_size(len(str(s)) + (str(s).count("\n") + 1) * _width(width), "indent")
    return do_indent(s, width, first, blank)


def _format(value: str, *args: Any, **kwargs: Any) -> str:
    check_format(value)
    check_substitution(value, args or kwargs, "format")
    return do_format(value, *args, **kwargs)


@pass_eval_context
def _replace(eval_ctx: Any, s: str, old: str, new: str, count: int | None = None) -> str:
    check_size(_replaced(str(s), old, new, -1 if count is None else count), "replace")
    return do_replace(eval_ctx, s, old, new, count)


@pass_eval_context
def _join(eval_ctx: Any, value: Any, d: str = "", attribute: str | int | None = None) -> str:
    items = value if isinstance(value, list | tuple | str) else list(value)
    if attribute is None:
        check_size(_joined(str(d), items), "join")
    return str(do_join(eval_ctx, items, d, attribute))


def _batch(value: Any, linecount: int, fill_with: Any = None) -> Iterator[list[Any]]:
    check_size(linecount if isinstance(linecount, int) else 0, f"batch({linecount})")
    return do_batch(value, linecount, fill_with)


def _slice(value: Any, slices: int, fill_with: Any = None) -> Iterator[list[Any]]:
    check_size(slices if isinstance(slices, int) else 0, f"slice({slices})")
    sliced: Iterator[list[Any]] = sync_do_slice(value, slices, fill_with)
    return sliced


def bounded_lipsum(n: int = 5, html: bool = True, min: int = 20,
                   max: int = 100) -> str:
    check_size(n * max if isinstance(n, int) and isinstance(max, int) else 0, "lipsum")
    return str(generate_lorem_ipsum(n, html, min, max))


def check_format_args(text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """`'{0:{1}}'.format('a', 10**9)`: a width taken from an argument."""
    if _NESTED_SPEC.search(text):
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and value > 999_999:
                raise RenderLimit("T112", "a format width or precision of a million or more")


def _sum(environment: Any, iterable: Any, attribute: str | int | None = None,
         start: Any = 0) -> Any:
    items = iterable if isinstance(iterable, list | tuple) else list(iterable)
    if attribute is None and isinstance(start, str | list | tuple):
        check_size(len(start) + sum(len(i) if isinstance(i, str | list | tuple) else 1
                                    for i in items), "sum")
    return do_sum(environment, items, attribute, start)


_sum.jinja_pass_arg = do_sum.jinja_pass_arg  # type: ignore[attr-defined]

# Filters that make text of their value: `[l, l]` nested forty deep is small in memory and
# huge as text, so the value is measured with its nested lists counted through first.
_TEXT_FILTERS = frozenset({
    "capitalize", "center", "e", "escape", "forceescape", "indent", "lower", "pprint",
    "safe", "string", "striptags", "title", "tojson", "trim", "truncate", "upper", "urlencode",
    "urlize", "wordcount", "wordwrap", "xmlattr",
})


def bounded_filters() -> dict[str, Callable[..., Any]]:
    """Jinja's built-in filters that can build a huge string or list, each checked first."""
    return {"center": _center, "indent": _indent, "format": _format, "replace": _replace,
            "join": _join, "batch": _batch, "slice": _slice, "sum": _sum}


MAX_WRAPPED = 100_000  # characters `wordwrap` takes: it is quadratic on a long word
# Filters that look items up by `attribute='a.b'` (`sort` also by 'a,b'): every item walks
# the path, in Jinja's code, where no deadline is checked.
# The position of `attribute` after the value, when given positionally (None: by name only).
_ATTRIBUTE_FILTERS: dict[str, int | None] = {
    "sort": 2, "unique": 1, "min": 1, "max": 1, "sum": 0, "join": 1, "groupby": 0,
    "selectattr": 0, "rejectattr": 0, "map": None}
MAX_ATTRIBUTE_PARTS = 32


def _check_attribute(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    at = _ATTRIBUTE_FILTERS[name]
    value = kwargs.get("attribute", args[at] if at is not None and at < len(args) else None)
    if isinstance(value, str) and value.count(".") + value.count(",") >= MAX_ATTRIBUTE_PARTS:
        raise RenderLimit("T112", f"{name}: an attribute path of more than "
                                  f"{MAX_ATTRIBUTE_PARTS} parts")


def bound_filter(name: str, function: Callable[..., Any], *,
                 text: bool = False) -> Callable[..., Any]:
    """Every filter: its result measured after (a doubling chained through a recursive macro
    stops at the bound); a filter that makes text of its value (`text`, or one of Jinja's
    that do) has its value measured before."""
    pass_arg = getattr(function, "jinja_pass_arg", None)
    skip = 0 if pass_arg is None else 1
    text = text or name in _TEXT_FILTERS  # wordwrap is one of these
    limit = MAX_WRAPPED if name == "wordwrap" else MAX_SIZE

    def bounded(*args: Any, **kwargs: Any) -> Any:
        if name in _ATTRIBUTE_FILTERS:
            _check_attribute(name, args[skip + 1:], kwargs)
        if text and len(args) > skip:
            size = weight(args[skip], text=True)
            if size > limit:
                raise RenderLimit("T112", f"{name} of {_count(size)} characters or items "
                                          f"(at most {limit:,})")
        try:
            result = function(*args, **kwargs)
        except TypeError as exc:
            # arguments that do not fit, or a value of a type the filter cannot take
            # (`'a'|center('x')`): said at the filter, not as Python's TypeError at 1:1
            usage = _misused(name, function, args, kwargs, skip + 1)
            raise FilterUsage(name, usage or f"filter '{name}': {exc}") from None
        return check_result(result, name)

    bounded.__doc__ = function.__doc__
    if pass_arg is not None:
        bounded.jinja_pass_arg = pass_arg  # type: ignore[attr-defined]
    return bounded


def _misused(name: str, function: Callable[..., Any], args: tuple[Any, ...],
             kwargs: dict[str, Any], implicit: int) -> str | None:
    """How filter `name` is written, when `args` do not fit it (Python's own words count
    the value and the context among the arguments: "takes 1 positional argument but 2 were
    given" for `|netmask(24)`); None when they fit."""
    try:
        signature = inspect.signature(function)
        signature.bind(*args, **kwargs)
    except TypeError as exc:
        why = str(exc)
    except ValueError:  # no signature to compare with
        return None
    else:
        return None
    parameters = [p for p in list(signature.parameters.values())[implicit:]
                  if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if not parameters:
        return f"filter '{name}' takes no arguments: write `|{name}`"
    written = ", ".join(p.name if p.default is inspect.Parameter.empty else
                        f"{p.name}={p.default!r}" for p in parameters)
    return f"filter '{name}' is written `|{name}({written})`: {why}"
