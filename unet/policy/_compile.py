"""Syntax tree -> Python closures, checked once: unknown fields, bad regexes, bad matches.

Every expression compiles to `fn(ctx) -> value` and every condition to
`fn(ctx) -> bool`; evaluating a rule on a device is calling closures, with no
tree walk per device. Mistakes in a policy are collected as diagnostics at the
exact column, before any device is evaluated.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from unet.config import Match, MatchError
from unet.core import Diagnostic, Location, Severity, cut
from unet.inventory import did_you_mean, dotted_path
from unet.patterns import PatternError
from unet.policy import _ast as ast
from unet.policy._configs import ConfigView, Section
from unet.policy._context import Context, Touched
from unet.policy._fields import (
    CONFIG_METHODS,
    CONFIG_ROOTS,
    FIELDS,
    FUNCTIONS,
    element_kind,
    field_kind,
)
from unet.policy._values import OPERATORS, PolicyEvaluationError, SafeRegex, truthy
from unet.policy._version import Version

__all__ = ["CompiledRule", "Compiler", "Failure"]

Value = Callable[[Context], Any]
Test = Callable[[Context], bool]
Action = Callable[[Context], "Failure | None"]


@dataclass(frozen=True, slots=True)
class Failure:
    """An ASSERT that did not hold: what to say, where to point, what identifies it."""

    message: str
    location: Location
    key: str  # what was looked at (data path or config lineage), for the fingerprint
    related: Location


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: ast.Rule
    when: Test
    actions: tuple[Action, ...]

    @property
    def id(self) -> str:
        return self.rule.id

    def fingerprint(self, device: str, key: str) -> str:
        text = f"{self.rule.id}\0{device}\0{key}"
        return hashlib.sha256(text.encode()).hexdigest()[:20]


class _Unknown(Exception):
    """A compile error inside an expression; becomes one diagnostic."""

    def __init__(self, at: Location, code: str, message: str) -> None:
        super().__init__(message)
        self.at = at
        self.code = code
        self.message = message


class Compiler:
    """Compiles rules (and lone conditions), collecting every mistake as a diagnostic."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self._scope: dict[str, str] = {}  # loop variable -> kind

    # ---- entry points ------------------------------------------------------------------
    def rule(self, rule: ast.Rule) -> CompiledRule | None:
        before = len(self.diagnostics)
        when: Test | None = self._guard(lambda: self.condition(rule.when))
        actions = [self._guard(functools.partial(self._action, action, rule))
                   for action in rule.actions]
        if len(self.diagnostics) > before or when is None or None in actions:
            return None
        return CompiledRule(rule, when, tuple(a for a in actions if a is not None))

    def lone_condition(self, node: ast.Condition) -> Test | None:
        """A condition outside a rule (`--where`, waivers); None when it has errors."""
        test: Test | None = self._guard(lambda: self.condition(node))
        return test

    def condition(self, node: ast.Condition) -> Test:
        method = getattr(self, f"_c_{type(node).__name__.lower()}")
        test: Test = method(node)
        return test

    def _guard(self, build: Callable[[], Any]) -> Any:
        try:
            return build()
        except _Unknown as exc:
            self.diagnostics.append(Diagnostic(exc.at, exc.code, Severity.ERROR, exc.message))
            return None

    # ---- actions -----------------------------------------------------------------------
    def _action(self, action: ast.Action, rule: ast.Rule) -> Action:
        if isinstance(action, ast.Assert):
            return self._assert(action, rule)
        if isinstance(action, ast.Set):
            return self._set(action)
        return self._apply(action)

    def _assert(self, action: ast.Assert, rule: ast.Rule) -> Action:
        test = self.condition(action.condition)
        render = self._message(rule.message, _loop_variables(rule)) if rule.message else None
        text = action.text

        def run(ctx: Context) -> Failure | None:
            ctx.touched.clear()
            ctx.reason = None
            ctx.witness.clear()
            if test(ctx):
                return None
            location, key, detail = _blame(ctx)
            message = render(ctx) if render else f"expected {text}{detail}{_witness(ctx)}"
            return Failure(message, location, key, action.at)

        return run

    def _set(self, action: ast.Set) -> Action:
        target = _data_path(action.target)
        if target is None:
            raise _Unknown(action.target.at, "P206",
                           f"SET can change the device's data (node.<field> or "
                           f"custom_data.<field>), not '{action.target.text}'")
        self._path(action.target)  # unknown fields are errors here too
        value = self._expr(action.value)
        origin = action.at

        def run(ctx: Context) -> None:
            ctx.set(target, value(ctx), origin)

        return run

    def _apply(self, action: ast.Apply) -> Action:
        template, origin = action.template, action.at

        def run(ctx: Context) -> None:
            ctx.apply(template, origin)

        return run

    def _message(self, message: tuple[str, Location],
                 loop_variables: frozenset[str] = frozenset()) -> Callable[[Context], str]:
        """`MESSAGE "{node.name} lacks {node.vars.x}"`: placeholders are field paths, or a
        quantifier's variable (`{server}`): the element that made the rule fail."""
        text, at = message
        parts: list[str | Value] = []
        for piece in re.split(r"(\{\{|\}\}|\{[^{}]*\})", text):
            if piece in ("{{", "}}"):
                parts.append(piece[0])
            elif piece.startswith("{") and piece.endswith("}"):
                names = tuple(piece[1:-1].strip().split("."))
                if names[0] in loop_variables:
                    parts.append(self._value_text(_witnessed(names)))
                    continue
                path = ast.Path(names, at, piece[1:-1].strip())
                parts.append(self._value_text(self._path(path)[0]))
            elif piece:
                parts.append(piece)

        def render(ctx: Context) -> str:
            return "".join(p if isinstance(p, str) else p(ctx) for p in parts)

        return render

    @staticmethod
    def _value_text(get: Value) -> Callable[[Context], str]:
        def show(ctx: Context) -> str:
            value = get(ctx)
            if isinstance(value, list):
                return ", ".join(map(str, value))
            return "null" if value is None else str(value)

        return show

    # ---- conditions --------------------------------------------------------------------
    def _c_and(self, node: ast.And) -> Test:
        tests = [self.condition(c) for c in node.operands]
        return lambda ctx: all(t(ctx) for t in tests)

    def _c_or(self, node: ast.Or) -> Test:
        tests = [self.condition(c) for c in node.operands]
        return lambda ctx: any(t(ctx) for t in tests)

    def _c_not(self, node: ast.Not) -> Test:
        test = self.condition(node.operand)
        return lambda ctx: not test(ctx)

    def _c_truthy(self, node: ast.Truthy) -> Test:
        get, _ = self._operand(node.operand)
        return lambda ctx: truthy(get(ctx))

    def _c_isnull(self, node: ast.IsNull) -> Test:
        get, _ = self._operand(node.operand)
        if node.negate:
            return lambda ctx: get(ctx) is not None
        return lambda ctx: get(ctx) is None

    def _c_compare(self, node: ast.Compare) -> Test:
        if node.op == "HAS":
            return self._has(node)
        if node.op in ("==", "!=") and _is_null(node.right):
            return self._c_isnull(ast.IsNull(node.left, node.op == "!=", node.at))
        left, _ = self._operand(node.left)
        right = self._pattern(node.right) if node.op == "MATCHES" else self._operand(node.right)[0]
        test = OPERATORS[node.op]
        if not node.negate:
            return lambda ctx: test(left(ctx), right(ctx))
        if node.op == "IS":
            return lambda ctx: not test(left(ctx), right(ctx))

        def negated(ctx: Context) -> bool:
            a, b = left(ctx), right(ctx)
            return a is not None and b is not None and not test(a, b)

        return negated

    def _pattern(self, node: ast.Expr) -> Value:
        """The right side of MATCHES: a /regex/ or a string, compiled (and checked) once."""
        if isinstance(node, ast.Regex | ast.Literal) and isinstance(
                getattr(node, "pattern", getattr(node, "value", None)), str):
            source = node.pattern if isinstance(node, ast.Regex) else node.value
            flags = node.flags if isinstance(node, ast.Regex) else ""
            compiled = _safe_regex(source, flags, node.at, isinstance(node, ast.Regex))
            return lambda ctx: compiled
        get, _ = self._operand(node)
        return get

    def _has(self, node: ast.Compare) -> Test:
        """`running HAS "line vty .*||transport input ssh"`."""
        config, kind = self._operand(node.left)
        if kind not in ("config", "section"):
            raise _Unknown(node.left.at, "P207",
                           "HAS looks into a configuration: write running HAS \"...\", "
                           "intended HAS \"...\" or <section> HAS \"...\"")
        match = self._match_arg(node.right)
        negate = node.negate

        def has(ctx: Context) -> bool:
            view = _view(config(ctx))
            if view is None:
                ctx.reason = "there is no configuration to look into"
                return False
            expression = match(ctx)
            sections = view.sections(expression) if negate else None
            found = bool(sections) if negate else view.has(expression)
            if not found and not negate:
                where, ctx.reason = view.nearest(expression)
                ctx.touched.append(where)
            elif found and sections:
                ctx.touched.append(sections[0].location)
                ctx.reason = f"found '{sections[0].text}'"
            return found != negate

        return has

    def _c_quantifier(self, node: ast.Quantifier) -> Test:
        items, kind = self._operand(node.collection)
        if node.variable in self._scope:
            raise _Unknown(node.at, "P208", f"'{node.variable}' is already a loop variable here")
        self._scope[node.variable] = element_kind(kind)
        try:
            where = self.condition(node.where) if node.where else None
            test = self.condition(node.condition)
        finally:
            del self._scope[node.variable]
        variable, quantifier = node.variable, node.kind

        def run(ctx: Context) -> bool:
            mark = len(ctx.touched)
            collection = items(ctx)
            whole = ctx.touched[mark] if len(ctx.touched) > mark else None
            base = whole if whole is not None else None
            outcome = quantifier != "ANY"
            for element in _elements(collection, base, ctx):
                ctx.scope[variable] = element
                if where is not None and not where(ctx):
                    continue
                if test(ctx):
                    if quantifier != "ALL":
                        outcome = quantifier == "ANY"
                        if quantifier == "NONE":  # the element that should not exist
                            ctx.witness[variable] = element[0]
                        break
                elif quantifier == "ALL":
                    outcome = False
                    ctx.witness[variable] = element[0]  # the element that failed
                    break
            ctx.scope.pop(variable, None)
            if not outcome and quantifier != "ALL" and whole is not None:
                ctx.touched.append(whole)  # blame the collection, not its last element
            return outcome

        return run

    # ---- operands ----------------------------------------------------------------------
    def _operand(self, node: ast.Expr) -> tuple[Value, str]:
        if isinstance(node, ast.Path):
            return self._path(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        return self._expr(node), "any"

    def _expr(self, node: ast.Expr) -> Value:
        if isinstance(node, ast.Literal):
            value = node.value
            return lambda ctx: value
        if isinstance(node, ast.Regex):
            compiled = _safe_regex(node.pattern, node.flags, node.at, True)
            return lambda ctx: compiled
        if isinstance(node, ast.ListLit):
            items = [self._operand(i)[0] for i in node.items]
            return lambda ctx: [i(ctx) for i in items]
        if isinstance(node, ast.ObjectLit):
            pairs = [(k, self._operand(v)[0]) for k, v in node.pairs]
            return lambda ctx: {k: v(ctx) for k, v in pairs}
        return self._operand(node)[0]

    def _path(self, node: ast.Path) -> tuple[Value, str]:
        root, rest = node.parts[0], node.parts[1:]
        if root in self._scope:
            return self._walk_variable(str(root), rest, node)
        if root in CONFIG_ROOTS:
            if rest:
                raise _Unknown(node.at, "P201", f"'{node.text}': a configuration has no fields; "
                               f"use {root} HAS \"...\" or {root}.sections(\"...\")")
            which = str(root)
            return (lambda ctx: ctx.config(which)), "config"
        if root == "derived":
            return self._derived(node)
        parts = _data_path(node)
        if parts is None:
            choices = [*FIELDS["device"], "node", "custom_data", *CONFIG_ROOTS, *self._scope]
            hint = did_you_mean(str(root), choices)
            raise _Unknown(node.at, "P201", f"unknown field '{root}'{hint}")
        kind = self._check_fields(parts, "device", node, prefix="node")
        return _data_getter(parts), kind

    def _derived(self, node: ast.Path) -> tuple[Value, str]:
        """`derived.x`: the device's facts from `unet pull` (state/<device>.yaml)."""
        parts = node.parts[1:]
        if parts and str(parts[0]) not in FIELDS["derived"]:
            hint = did_you_mean(str(parts[0]), FIELDS["derived"])
            self.diagnostics.append(Diagnostic(
                node.at, "P210", Severity.WARNING,
                f"'derived.{parts[0]}' is not collected by `unet pull`{hint}, so it is always "
                f"null; collected: {', '.join(FIELDS['derived'])}"))
            return (lambda ctx: None), "any"
        kind = self._check_fields(parts, "derived", node, prefix="derived")

        def get(ctx: Context) -> Any:
            state = ctx.derived()
            if state is None:
                return None
            ctx.touched.append(state.location(parts))
            return _walk(state.data, parts) if parts else state.data

        return get, kind

    def _check_fields(self, parts: tuple[Any, ...], kind: str, node: ast.Path, *,
                      prefix: str) -> str:
        seen = prefix
        for part in parts:
            following = field_kind(kind, part)
            if following is None:
                names = FIELDS.get(kind, {})
                hint = did_you_mean(f"{seen}.{part}", [f"{seen}.{name}" for name in names])
                raise _Unknown(node.at, "P201", f"unknown field '{seen}.{part}'{hint}; "
                               f"{_kind_name(kind)} fields are: {', '.join(sorted(names))}")
            kind = following
            seen = f"{seen}.{part}"
        return kind

    def _walk_variable(self, name: str, rest: tuple[Any, ...], node: ast.Path,
                       ) -> tuple[Value, str]:
        kind = self._check_fields(rest, self._scope[name], node, prefix=name)
        section_attr = self._scope[name] == "section" and rest

        def get(ctx: Context) -> Any:
            value, base = ctx.scope[name]
            if section_attr:
                return getattr(value, str(rest[0]), None) if rest[0] != "line" else value.node.line
            value = _walk(value, rest)
            if base is not None:
                ctx.touched.append((*base, *rest) if isinstance(base, tuple) else base)
            return value

        return get, kind

    def _call(self, node: ast.Call) -> tuple[Value, str]:
        callee = node.callee.parts
        if len(callee) == 1 and callee[0] in FUNCTIONS:
            return self._function(str(callee[0]), node)
        if len(callee) == 2 and callee[1] in CONFIG_METHODS:
            target, kind = self._path(ast.Path(callee[:1], node.at, str(callee[0])))
            if kind not in ("config", "section"):
                raise _Unknown(node.at, "P203", f"{callee[1]}() works on running, intended or "
                               f"a section, not on '{callee[0]}'")
            return self._method(str(callee[1]), target, node)
        name = ".".join(map(str, callee))
        choices = [*FUNCTIONS, *(f"running.{m}" for m in CONFIG_METHODS)]
        raise _Unknown(node.at, "P203", f"unknown function '{name}'{did_you_mean(name, choices)}; "
                       f"functions: {', '.join(choices)}")

    def _function(self, name: str, node: ast.Call) -> tuple[Value, str]:
        if len(node.args) != 1:
            raise _Unknown(node.at, "P203", f"{name}() takes exactly one argument")
        arg, _ = self._operand(node.args[0])
        if name == "version":
            return (lambda ctx: Version.of(arg(ctx))), "any"
        if name == "len":
            return (lambda ctx: _length(arg(ctx))), "any"
        method = str.lower if name == "lower" else str.upper
        return (lambda ctx: method(v) if isinstance(v := arg(ctx), str) else None), "any"

    def _method(self, name: str, target: Value, node: ast.Call) -> tuple[Value, str]:
        if len(node.args) != 1:
            raise _Unknown(node.at, "P203", f"{name}() takes one match expression, "
                           "e.g. \"interface .*||description .*\"")
        match = self._match_arg(node.args[0])

        def call(ctx: Context) -> Any:
            view = _view(target(ctx))
            if view is None:
                return None
            ctx.touched.append(view.location)  # a quantifier over the result blames the config
            return getattr(view, name)(match(ctx))

        return call, "sections" if name == "sections" else "any"

    def _match_arg(self, node: ast.Expr) -> Callable[[Context], Match]:
        if isinstance(node, ast.Literal) and isinstance(node.value, str):
            compiled = _match(node.value, node.at)
            return lambda ctx: compiled
        get, _ = self._operand(node)
        cache: dict[str, Match] = {}

        def dynamic(ctx: Context) -> Match:
            text = str(get(ctx))
            if text not in cache:
                try:
                    cache[text] = Match.parse(text)
                except MatchError as exc:  # an expression from data: the rule cannot run
                    raise PolicyEvaluationError(
                        f"invalid match expression {cut(text, 80)!r} (from data): "
                        f"{exc.reason}") from None
            return cache[text]

        return dynamic


# ---- helpers ----------------------------------------------------------------------------

def _is_null(node: ast.Expr) -> bool:
    return isinstance(node, ast.Literal) and node.value is None


def _data_path(node: ast.Path) -> tuple[Any, ...] | None:
    """The device-data path a reference names: node.x, custom_data.x (= vars.x) or bare x."""
    root, rest = node.parts[0], node.parts[1:]
    if root == "node":
        if rest[:1] == ("custom_data",):
            return ("vars", *rest[1:])
        return rest or None
    if root == "custom_data":
        return ("vars", *rest)
    if root in FIELDS["device"]:
        return node.parts
    return None


def _walk(value: Any, parts: tuple[Any, ...]) -> Any:
    for part in parts:
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and -len(value) <= part < len(value):
            value = value[part]
        else:
            return None
        if value is None:
            return None
    return value


def _data_getter(parts: tuple[Any, ...]) -> Value:
    if parts[0] == "links":
        rest = parts[1:]

        def links(ctx: Context) -> Any:
            elements = [element for element, _ in ctx.links()]
            ctx.touched.append(("links",))
            return _walk(elements, rest) if rest else elements

        return links
    if parts[0] == "all_groups":
        return lambda ctx: list(ctx.device.applied_groups)

    def get(ctx: Context) -> Any:
        ctx.touched.append(parts)
        return _walk(ctx.data, parts)

    return get


def _elements(collection: Any, base: Touched | None, ctx: Context,
              ) -> Iterator[tuple[Any, Touched | None]]:
    """(element, what it is) for each member of a collection a quantifier walks."""
    if collection is None:
        return
    if isinstance(collection, dict):
        for key, value in collection.items():
            element = {**value, "name": key} if isinstance(value, dict) else {"name": key,
                                                                               "value": value}
            yield element, (*base, key) if isinstance(base, tuple) else base
    elif isinstance(collection, list) and base == ("links",):
        yield from ctx.links()
    elif isinstance(collection, list):
        for index, item in enumerate(collection):
            if isinstance(item, Section):
                yield item, item.location
            else:
                yield item, (*base, index) if isinstance(base, tuple) else base


def _view(value: Any) -> ConfigView | None:
    if isinstance(value, ConfigView):
        return value
    if isinstance(value, Section):
        return value.view()
    return None


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | dict) else None


def _kind_name(kind: str) -> str:
    return {"device": "device", "interface": "interface", "link": "link",
            "section": "section", "derived": "derived (state/)",
            "lldp_neighbor": "LLDP neighbour"}.get(kind, kind)


def _safe_regex(source: str, flags: str, at: Location, literal: bool) -> SafeRegex:
    try:
        return SafeRegex(source, flags)
    except PatternError as exc:
        # Point at the character: past the opening / or quote, then the offset in the pattern.
        column = at.col + 1 + exc.offset
        message = exc.message
        raise _Unknown(Location(at.path, at.line, column), "P202",
                       f"invalid regex: {message}") from None


def _match(text: str, at: Location) -> Match:
    try:
        return Match.parse(text)
    except MatchError as exc:
        column = at.col + 1 + exc.position
        raise _Unknown(Location(at.path, at.line, column), "P204",
                       f"invalid match expression: {exc.reason} (level {exc.level})") from None


def _loop_variables(rule: ast.Rule) -> frozenset[str]:
    """The quantifier variables of a rule's assertions (a MESSAGE may name them)."""
    found: set[str] = set()
    stack: list[Any] = [a.condition for a in rule.actions if isinstance(a, ast.Assert)]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Quantifier):
            found.add(node.variable)
            stack += [node.condition, *([node.where] if node.where else [])]
        elif isinstance(node, ast.And | ast.Or):
            stack += list(node.operands)
        elif isinstance(node, ast.Not):
            stack.append(node.operand)
    return frozenset(found)


def _witnessed(names: tuple[str, ...]) -> Value:
    def get(ctx: Context) -> Any:
        return _walk(ctx.witness.get(names[0]), names[1:]) if len(names) > 1 else \
            ctx.witness.get(names[0])

    return get


def _witness(ctx: Context) -> str:
    """`; failed for server = "10.0.0.2"`: the element a quantifier stopped at."""
    shown = []
    for variable, value in ctx.witness.items():
        if isinstance(value, dict) and "name" in value:
            value = value["name"]
        elif not isinstance(value, str | int | float | bool):
            value = getattr(value, "text", value)
        shown.append(f"{variable} = {json.dumps(value, default=str)}")
    return f"; failed for {', '.join(shown)}" if shown else ""


def _blame(ctx: Context) -> tuple[Location, str, str]:
    """Where a failed ASSERT should point, its fingerprint key and a detail for the message."""
    if not ctx.touched:
        return ctx.device.source, "", ""
    last = ctx.touched[-1]
    if isinstance(last, Location):
        detail = f": {ctx.reason}" if ctx.reason else ""
        if last.path.startswith("<"):  # a rendered config is no file: point at its templates
            return ctx.where(("templates",)), f"{last.path}:{ctx.reason}", detail
        return last, f"{last.path}:{ctx.reason}", detail
    value = _walk(ctx.data, last) if last[:1] != ("links",) else None
    shown = "is missing" if value is None else f"is {json.dumps(value, default=str)}"
    name = "node." + dotted_path(last)
    detail = f"; {name} {shown}" if last[:1] != ("links",) else ""
    return ctx.where(last), dotted_path(last), detail
