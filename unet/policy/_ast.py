"""The syntax tree of a policy file, as written (positions kept for every node)."""

from __future__ import annotations

from typing import Any

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
    "Truthy",
]


@record
class Literal:
    value: Any  # str, int, float, bool or None
    at: Location


@record
class Regex:
    pattern: str
    flags: str
    at: Location


@record
class Path:
    parts: tuple[str | int, ...]  # parts[0] is the root name: node, running, a loop variable...
    at: Location
    text: str  # as written, for messages


@record
class Call:
    callee: Path
    args: tuple[Expr, ...]
    at: Location


@record
class ListLit:
    items: tuple[Expr, ...]
    at: Location


@record
class ObjectLit:
    pairs: tuple[tuple[str, Expr], ...]
    at: Location


@record
class Index:
    """`base[key]` where the key is an expression, or the base a call: `lines("x")[-1]`."""

    base: Expr
    key: Expr
    at: Location


Expr = Literal | Regex | Path | Call | ListLit | ObjectLit | Index


@record
class Compare:
    op: str  # == != < <= > >= CONTAINS MATCHES STARTSWITH ENDSWITH HAS IN IS
    left: Expr
    right: Expr
    negate: bool
    at: Location


@record
class IsNull:
    operand: Expr
    negate: bool
    at: Location


@record
class Truthy:
    operand: Expr
    at: Location


@record
class Not:
    operand: Condition
    at: Location


@record
class And:
    operands: tuple[Condition, ...]
    at: Location


@record
class Or:
    operands: tuple[Condition, ...]
    at: Location


@record
class Quantifier:
    kind: str  # ANY ALL NONE
    variable: str
    collection: Expr
    where: Condition | None
    condition: Condition
    at: Location


Condition = Compare | IsNull | Truthy | Not | And | Or | Quantifier


@record
class Assert:
    condition: Condition
    text: str  # the condition as written
    at: Location


@record
class Set:
    target: Path
    value: Expr
    at: Location


@record
class Apply:
    template: str
    at: Location


Action = Assert | Set | Apply


@record
class Rule:
    id: str
    named: bool  # False for original-style rules without a RULE header
    severity: Severity
    title: str
    when: Condition
    when_text: str
    actions: tuple[Action, ...]
    message: tuple[str, Location] | None
    at: Location  # the rule's first line
