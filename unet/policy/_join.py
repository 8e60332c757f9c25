"""Quantifiers that look elements up instead of walking them all.

`NONE d IN fleet WHERE d.name != node.name SATISFIES d.vars.router_id ==
node.vars.router_id` walks the whole fleet on every device: a fleet of N devices
costs N² steps, and "no address is used twice" (an interface loop on each side)
N² × interfaces². When an element can only count if one of its values equals a
value that does not depend on the element (here `d.vars.router_id` must equal
`node.vars.router_id`), the quantifier instead keeps an index of its collection,
value -> positions, and walks only the elements the index gives, in their order.
Every one of them is still evaluated in full, so what a rule finds, where it
points and what it says are the same; only elements that could not count are
skipped.

The index is built the second time one quantifier walks the same collection (the
fleet on the second device; a device's interfaces on its second interface), so a
collection walked once costs nothing more. It is used only where skipping an
element changes nothing a user can see: the parts of the condition an element
is tested with neither search configurations nor use regexes (which can fail or
set a reason) nor hold ALL or NONE (which note the element they stopped at).

`elements_of` is how every quantifier walks a collection, looked up or not.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from unet.core import record
from unet.policy import _ast as ast
from unet.policy._configs import Section
from unet.policy._context import Context, Touched
from unet.policy._fields import CONFIG_ROOTS, FUNCTIONS

__all__ = ["Closures", "Lookup", "elements_of", "plan"]

Value = Callable[[Context], Any]
Test = Callable[[Context], bool]
# What the compiler built for the nodes below a quantifier, by id(node):
# a `==` comparison's (left, right), an ANY quantifier's (collection, where).
Closures = dict[int, tuple[Any, Any]]

_OUTER = ""  # stands for anything outside the quantifier's own variables
_UNKEYED = object()  # a value the index cannot hold (a list, a version...): walk them all
# Functions that may fail at run time (a regex that takes too long) or set a reason.
_UNSAFE_CALLS = frozenset({"capture"})
_STR_EQUALS: Any = str.__eq__  # a str subclass that keeps it compares as a str


@record
class _Plan:
    probe: Value  # what a counting element's value must equal
    keys: Callable[[Context], Iterator[Any]]  # the bound element's values, any of which


class Lookup:
    """The index of one quantifier: plan, and the last collection it walked."""

    def __init__(self, plan: _Plan, variable: str) -> None:
        self.plan = plan
        self.variable = variable
        # (collection, base) seen once; then (collection, base, elements, index, unkeyed).
        self._last: tuple[Any, ...] = ()

    def candidates(self, collection: Any, base: Touched | None, ctx: Context,
                   ) -> Iterable[tuple[Any, Touched | None]]:
        """The elements to walk, in order: all of them, or those the index gives."""
        if not isinstance(collection, list | dict) or base == ("links",):
            return elements_of(collection, base, ctx)  # nothing to keep, or per device
        last = self._last
        if not last or last[0] is not collection or last[1] != base:
            # Kept with the collection itself, so its id is not reused while it is here.
            self._last = (collection, base)
            return elements_of(collection, base, ctx)
        if len(last) == 2:
            last = self._last = (collection, base, *self._build(collection, base, ctx))
        _, _, every, index, unkeyed = last
        positions = self._positions(index, unkeyed, ctx)
        return every if positions is None else [every[p] for p in positions]

    def _build(self, collection: Any, base: Touched | None, ctx: Context,
               ) -> tuple[list[tuple[Any, Touched | None]], dict[Any, list[int]], list[int]]:
        every = list(elements_of(collection, base, ctx))
        index: dict[Any, list[int]] = {}
        unkeyed: list[int] = []
        keys = self.plan.keys
        saved = _Saved(ctx)
        try:
            for position, element in enumerate(every):
                ctx.scope[self.variable] = element
                ctx.steps = 0  # the index is the collection's, not this device's work
                try:
                    found = {_key(value) for value in keys(ctx)}
                except Exception:  # walked in full, where it fails as before
                    found = {_UNKEYED}
                finally:
                    del ctx.touched[saved.touched:]
                if _UNKEYED in found:
                    unkeyed.append(position)
                    continue
                for key in found:
                    if key is not None:  # null equals nothing
                        index.setdefault(key, []).append(position)
        finally:
            saved.restore(ctx)
            ctx.scope.pop(self.variable, None)
        return every, index, unkeyed

    def _positions(self, index: dict[Any, list[int]], unkeyed: list[int], ctx: Context,
                   ) -> list[int] | None:
        saved = _Saved(ctx)
        try:
            key = _key(self.plan.probe(ctx))
        except Exception:  # walked in full, where it fails as before
            return None
        finally:
            saved.restore(ctx)
        if key is _UNKEYED:
            return None
        found = index.get(key, []) if key is not None else []
        return sorted([*found, *unkeyed]) if unkeyed else found


class _Saved:
    """What working out an index or a probe must not change on the device's context."""

    __slots__ = ("reason", "steps", "touched")

    def __init__(self, ctx: Context) -> None:
        self.touched, self.steps, self.reason = len(ctx.touched), ctx.steps, ctx.reason

    def restore(self, ctx: Context) -> None:
        del ctx.touched[self.touched:]
        ctx.steps, ctx.reason = self.steps, self.reason


def _key(value: Any) -> Any:
    """A value as the index holds it: equal values (as `==` compares them) have equal
    keys; None for null, which equals nothing; _UNKEYED for what cannot be held."""
    kind = type(value)
    if kind is str:
        return value
    if value is None:
        return None
    if kind is bool:
        return ("bool", value)
    if kind is int or (kind is float and not math.isnan(value)):
        return ("number", value)  # 1 == 1.0, as in the language
    if isinstance(value, str) and getattr(kind, "__eq__", None) is _STR_EQUALS:
        return str(value)
    return _UNKEYED


def plan(node: ast.Quantifier, closures: Closures) -> Lookup | None:
    """The lookup for a quantifier, or None when it must walk every element."""
    if (node.where is not None and not _safe(node.where)) or not _safe(node.condition):
        return None
    # An element failing WHERE never counts; for ANY and NONE, nor one failing SATISFIES.
    parts = [node.where] if node.where is not None else []
    if node.kind != "ALL":
        parts.append(node.condition)
    local = frozenset({node.variable})
    for part in parts:
        found = _necessary(part, local, closures)
        if found is not None:
            return Lookup(found, node.variable)
    return None


def _necessary(node: ast.Condition, local: frozenset[str], closures: Closures,
               ) -> _Plan | None:
    """An equality `node` cannot be true without: one side read from the `local`
    variables only, the other from none of them."""
    if isinstance(node, ast.And):
        for operand in node.operands:
            found = _necessary(operand, local, closures)
            if found is not None:
                return found
        return None
    if isinstance(node, ast.Compare):
        sides = closures.get(id(node))
        if sides is None or node.op != "==" or node.negate:
            return None
        left, right = _reads(node.left, local), _reads(node.right, local)
        for (mine, value), (other, probe) in (((left, sides[0]), (right, sides[1])),
                                              ((right, sides[1]), (left, sides[0]))):
            if mine and mine <= local and not other & local:
                return _Plan(probe, _one(value))
        return None
    if isinstance(node, ast.Quantifier) and node.kind == "ANY":
        return _through(node, local, closures)
    return None


def _through(node: ast.Quantifier, local: frozenset[str], closures: Closures,
             ) -> _Plan | None:
    """`ANY j IN d.interfaces SATISFIES address(j.ipv4) == address(i.ipv4)`: the element
    counts only if one of its members' values equals the probe."""
    compiled = closures.get(id(node))
    inner = local | {node.variable}
    if compiled is None or not _reads(node.collection, local) <= local or (
            node.where is not None and not _reads(node.where, inner) <= inner):
        return None
    items, where = compiled
    variable = node.variable
    for part in [*([node.where] if node.where is not None else []), node.condition]:
        found = _necessary(part, inner, closures)
        if found is not None:
            return _Plan(found.probe, _members_keys(items, where, variable, found.keys))
    return None


def elements_of(collection: Any, base: Touched | None, ctx: Context,
                ) -> Iterable[tuple[Any, Touched | None]]:
    """(element, what it is) for each member of a collection a quantifier walks."""
    if collection is None:
        return ()
    if isinstance(collection, dict):
        return _members(collection, base, ctx)
    if isinstance(collection, list) and base == ("links",):
        return ctx.links()
    if isinstance(collection, list):
        return _items(collection, base)
    return ()


def _items(collection: list[Any], base: Touched | None,
           ) -> Iterator[tuple[Any, Touched | None]]:
    for index, item in enumerate(collection):
        if isinstance(item, Section):
            yield item, item.location
        else:
            yield item, (*base, index) if isinstance(base, tuple) else base


# Mappings a device's evaluation has turned into elements, kept while it runs.
MAX_MEMBERS = 1024


def _members(collection: dict[Any, Any], base: Touched | None, ctx: Context,
             ) -> list[tuple[Any, Touched | None]]:
    """A mapping's elements (each a new dict with its "name"), made once per collection
    and device: `ALL i IN node.interfaces SATISFIES NONE d IN fleet SATISFIES ANY j IN
    d.interfaces ...` walks each device's interfaces once per interface of this one.
    Keyed by identity, with the mapping kept (so its id is not reused): rules never change
    data in place (SET copies along its path)."""
    memo = ctx.members
    key = (id(collection), base)
    found = memo.get(key)
    if found is not None and found[0] is collection:
        return found[1]
    members = []
    for name, value in collection.items():
        element = {**value, "name": name} if isinstance(value, dict) else {"name": name,
                                                                            "value": value}
        members.append((element, (*base, name) if isinstance(base, tuple) else base))
    if len(memo) >= MAX_MEMBERS:
        memo.clear()
    memo[key] = (collection, members)
    return members


def _one(value: Value) -> Callable[[Context], Iterator[Any]]:
    def keys(ctx: Context) -> Iterator[Any]:
        yield value(ctx)

    return keys


def _members_keys(items: Value, where: Test | None, variable: str,
                  member_keys: Callable[[Context], Iterator[Any]],
                  ) -> Callable[[Context], Iterator[Any]]:
    """The values of every member (that passes `where`) of the bound element's collection."""
    def keys(ctx: Context) -> Iterator[Any]:
        touched, scope = ctx.touched, ctx.scope
        mark = len(touched)
        collection = items(ctx)
        base = touched[mark] if len(touched) > mark else None
        try:
            for member in list(elements_of(collection, base, ctx)):
                scope[variable] = member
                if where is None or where(ctx):
                    yield from member_keys(ctx)
        finally:
            scope.pop(variable, None)

    return keys


def _reads(node: Any, local: frozenset[str]) -> frozenset[str]:
    """The `local` variables an expression or condition reads, with _OUTER when it reads
    anything else (the device, a configuration, another loop's variable)."""
    found: set[str] = set()
    # (node, the variables of quantifiers inside `node` it is under: neither kind)
    stack: list[tuple[Any, frozenset[str]]] = [(node, frozenset())]
    while stack:
        item, inside = stack.pop()
        if isinstance(item, ast.Path):
            root = str(item.parts[0])
            if root not in inside:
                found.add(root if root in local else _OUTER)
        elif isinstance(item, ast.Quantifier):
            stack.append((item.collection, inside))
            deeper = inside | {item.variable}
            stack += [(c, deeper) for c in (item.where, item.condition) if c is not None]
        elif isinstance(item, ast.Call):
            if not (len(item.callee.parts) == 1 and item.callee.parts[0] in FUNCTIONS):
                found.add(_OUTER)  # running.lines(...)
            stack += [(arg, inside) for arg in item.args]
        else:
            stack += [(child, inside) for child in _children(item)]
    return frozenset(found)


def _children(item: Any) -> list[Any]:
    if isinstance(item, ast.Index):
        return [item.base, item.key]
    if isinstance(item, ast.ListLit):
        return list(item.items)
    if isinstance(item, ast.ObjectLit):
        return [v for _, v in item.pairs]
    if isinstance(item, ast.Compare):
        return [item.left, item.right]
    if isinstance(item, ast.IsNull | ast.Truthy | ast.Not):
        return [item.operand]
    if isinstance(item, ast.And | ast.Or):
        return list(item.operands)
    if isinstance(item, ast.Quantifier):
        return [c for c in (item.collection, item.where, item.condition) if c is not None]
    if isinstance(item, ast.Call):
        return list(item.args)
    return []  # a literal, a regex, a path


def _safe(node: Any) -> bool:
    """Whether skipping an element that fails `node` changes nothing but the work done:
    no configuration read or searched (HAS, MATCHES, running.lines, capture) and no ALL
    or NONE, whose stop leaves a reason or an element behind."""
    stack = [node]
    while stack:
        item = stack.pop()
        if (isinstance(item, ast.Compare) and item.op in ("HAS", "MATCHES")) or \
                (isinstance(item, ast.Quantifier) and item.kind != "ANY") or \
                (isinstance(item, ast.Path) and item.parts[0] in CONFIG_ROOTS):
            return False
        if isinstance(item, ast.Call):
            name = item.callee.parts
            if not (len(name) == 1 and name[0] in FUNCTIONS) or name[0] in _UNSAFE_CALLS:
                return False
        stack += _children(item)
    return True
