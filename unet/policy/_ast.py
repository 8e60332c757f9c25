"""The syntax tree of a policy file, as written (positions kept for every node).

A node keeps where it starts as an offset into its text; its `at` (file, line, column) is
worked out when first read, which most nodes never are: a rule that compiles and passes
is not reported. Equality still compares `at`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import field
from typing import TYPE_CHECKING, Any

from unet.core import Location, Severity, record

__all__ = [
    "Action",
    "And",
    "Apply",
    "Assert",
    "Call",
    "Compare",
    "Condition",
    "Expr",
    "Index",
    "IsNull",
    "ListLit",
    "Literal",
    "Not",
    "ObjectLit",
    "Or",
    "Path",
    "Quantifier",
    "Regex",
    "Rule",
    "Set",
    "Source",
    "Truthy",
]


class Source:
    """A parsed text's file and line starts: turns an offset into the text into a Location."""

    __slots__ = ("_lines", "_offset", "path")

    def __init__(self, path: str, lines: list[int], offset: int = 0) -> None:
        self.path = path
        self._lines = lines  # where each line of the text starts
        self._offset = offset  # lines of the file before the text

    def location(self, pos: int) -> Location:
        line = bisect_right(self._lines, pos)
        return Location(self.path, self._offset + line, pos - self._lines[line - 1] + 1)

    @classmethod
    def at(cls, location: Location) -> Source:
        """A source whose every offset is `location` (for nodes made up when compiling)."""
        return _Fixed(location)


class _Fixed(Source):
    __slots__ = ("_location",)

    def __init__(self, location: Location) -> None:
        super().__init__(location.path, [0])
        self._location = location

    def location(self, pos: int) -> Location:
        return self._location


@record
class _Node:
    """What every node has, first: `at`, from `pos` in `src`, worked out when first read."""

    pos: int = field(compare=False, repr=False)  # of the node's first character, in src
    src: Source = field(compare=False, repr=False)
    at: Location = field(init=False)

    if not TYPE_CHECKING:  # mypy would let any attribute through a __getattr__
        def __getattr__(self, name: str) -> Any:
            if name != "at":
                raise AttributeError(name)
            at = self.src.location(self.pos)
            object.__setattr__(self, "at", at)
            return at


@record
class Literal(_Node):
    value: Any  # str, int, float, bool or None


@record
class Regex(_Node):
    pattern: str
    flags: str


@record
class Path(_Node):
    parts: tuple[str | int, ...]  # parts[0] is the root name: node, running, a loop variable...
    text: str  # as written, for messages


@record
class Call(_Node):
    callee: Path
    args: tuple[Expr, ...]


@record
class ListLit(_Node):
    items: tuple[Expr, ...]


@record
class ObjectLit(_Node):
    pairs: tuple[tuple[str, Expr], ...]


@record
class Index(_Node):
    """`base[key]` where the key is an expression, or the base a call: `lines("x")[-1]`."""

    base: Expr
    key: Expr


Expr = Literal | Regex | Path | Call | ListLit | ObjectLit | Index


@record
class Compare(_Node):
    op: str  # == != < <= > >= CONTAINS MATCHES STARTSWITH ENDSWITH HAS IN IS
    left: Expr
    right: Expr
    negate: bool


@record
class IsNull(_Node):
    operand: Expr
    negate: bool


@record
class Truthy(_Node):
    operand: Expr


@record
class Not(_Node):
    operand: Condition


@record
class And(_Node):
    operands: tuple[Condition, ...]


@record
class Or(_Node):
    operands: tuple[Condition, ...]


@record
class Quantifier(_Node):
    kind: str  # ANY ALL NONE
    variable: str
    collection: Expr
    where: Condition | None
    condition: Condition


Condition = Compare | IsNull | Truthy | Not | And | Or | Quantifier


@record
class Assert(_Node):
    condition: Condition
    text: str  # the condition as written


@record
class Set(_Node):
    target: Path
    value: Expr


@record
class Apply(_Node):
    template: str


Action = Assert | Set | Apply


@record
class Rule(_Node):
    id: str
    named: bool  # False for original-style rules without a RULE header
    severity: Severity
    title: str
    when: Condition
    when_text: str
    actions: tuple[Action, ...]
    message: tuple[str, Location] | None
