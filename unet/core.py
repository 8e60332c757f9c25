"""Core types shared by every layer: diagnostics, provenance and the one fatal error.

These are plain immutable records (`record`) with no behaviour beyond ordering and
formatting, so every layer (config, inventory, policy, report, cli) can use
them without importing anything heavy.
"""

from __future__ import annotations

import enum
import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:
    def dataclass_transform(**_: object) -> Any:
        return lambda function: function

__all__ = [
    "MAX_MESSAGE",
    "Diagnostic",
    "Finding",
    "Location",
    "Provenance",
    "Severity",
    "UnetError",
    "count_by_severity",
    "cut",
    "has_errors",
    "paused_gc",
    "record",
]

_T = TypeVar("_T")


@overload
def record(cls: type[_T], /) -> type[_T]: ...
@overload
def record(*, order: bool = False) -> Callable[[type[_T]], type[_T]]: ...
@dataclass_transform(frozen_default=True, eq_default=True)
def record(cls: type[_T] | None = None, /, *, order: bool = False) -> Any:
    """An immutable value class: a slotted dataclass, hashable by value.

    mypy enforces immutability (the type checker sees a frozen dataclass); at run time
    the class is not frozen, because a frozen dataclass's `__init__` makes building the
    policy syntax tree a fifth slower and its class takes half again as long to create,
    which a first run pays for on every class it loads.
    """
    make = dataclass(slots=True, unsafe_hash=True, order=order)
    return make if cls is None else make(cls)

MAX_MESSAGE = 2000  # characters of one message; the rest is cut (a 900 KB literal echoed)


def cut(text: str, limit: int = MAX_MESSAGE) -> str:
    """`text` shortened to about `limit` characters, saying how much was left out; every
    diagnostic and finding message goes through it."""
    if len(text) <= limit:
        return text
    keep = limit // 2
    return f"{text[:keep]}... [{len(text) - 2 * keep} characters cut] ...{text[-keep:]}"


class Severity(enum.IntEnum):
    """How bad a diagnostic or finding is; higher is worse, so `max()` works."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (choose from {choices})") from None


@record(order=True)
class Location:
    """A position in a repository file: repo-relative `/` path, 1-based line and column.

    Line and column are 0 when unknown (a whole-file problem).
    """

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line and self.col:
            return f"{self.path}:{self.line}:{self.col}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


# Provenance of a resolved value is simply where it was written.
Provenance = Location


@record
class Diagnostic:
    """One problem with the user's input, reported as `path:line:col: CODE severity: message`."""

    location: Location
    code: str
    severity: Severity
    message: str
    # Other places worth showing next to this one (e.g. the first of two duplicate keys).
    related: tuple[Location, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", cut(self.message))

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.col, self.code, self.message)

    def __str__(self) -> str:
        loc = self.location
        # Always three positional fields so editors and `grep` see one shape.
        where = f"{loc.path}:{loc.line or 1}:{loc.col or 1}"
        return f"{where}: {self.code} {self.severity.label}: {self.message}"


@record
class Finding:
    """A device that breaks a policy rule.

    `location` is where to fix it: the YAML value the rule looked at (through
    inheritance, the file it came from) or the running-config line; `related` holds
    the policy rule's own location. `fingerprint` identifies the finding across
    commits (rule, device and what was looked at, never line numbers).
    """

    rule: str
    severity: Severity
    device: str
    message: str
    location: Location
    related: tuple[Location, ...] = ()
    fingerprint: str = ""
    # Set when a waiver accepts this finding: the waiver's reason.
    waived: str | None = None
    # Set for a finding on the running configuration that the intended one already
    # satisfies: why it is a deploy still to do rather than a violation of the change.
    pending: str | None = None
    # Against a baseline (`check --new-since`): "new", "unchanged" or "absent" (fixed).
    baseline: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", cut(self.message))

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.col, self.rule, self.device)


class paused_gc:  # lower case: used like a function, `with paused_gc():`
    """Pause Python's cycle collector while building many small acyclic objects (a
    syntax tree, compiled rules): it would otherwise rescan everything built so far,
    over and over. Reference counting still frees memory; nesting is fine."""

    __slots__ = ("_was",)

    def __enter__(self) -> None:
        self._was = gc.isenabled()
        gc.disable()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._was:
            gc.enable()


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def count_by_severity(diagnostics: Iterable[Diagnostic]) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)
    for d in diagnostics:
        counts[d.severity] += 1
    return counts


class UnetError(Exception):
    """A run cannot go on because of the user's input; carries every diagnostic found so far.

    The CLI turns this into exit code 2. Anything else escaping the core is a bug (exit 3).
    """

    def __init__(self, message: str, diagnostics: Iterable[Diagnostic] = ()) -> None:
        message = cut(message)
        super().__init__(message)
        self.message = message
        self.diagnostics = tuple(diagnostics)
