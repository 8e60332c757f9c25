"""Syntax tree -> Python closures, checked once: unknown fields, bad regexes, bad matches.

Every expression compiles to `fn(ctx) -> value` and every condition to
`fn(ctx) -> bool`; evaluating a rule on a device is calling closures, with no
tree walk per device. Mistakes in a policy are collected as diagnostics at the
exact column, before any device is evaluated.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from typing import Any

from unet.config import Match, MatchError
from unet.core import MAX_MESSAGE, Diagnostic, Location, Severity, cut, record
from unet.inventory import did_you_mean, dotted_path
from unet.patterns import PatternError, has_nested_quantifiers
from unet.policy import _ast as ast
from unet.policy._configs import ConfigView, Section
from unet.policy._context import Context
from unet.policy._fields import (
    CONFIG_METHODS,
    CONFIG_ROOTS,
    FIELDS,
    FLEET_ROOT,
    FUNCTIONS,
    ORIGINAL_FIELDS,
    element_kind,
    field_kind,
)
from unet.policy._functions import FUNCTIONS_TABLE, memoized
from unet.policy._join import Closures, elements_of, plan
from unet.policy._layers import layer_value
from unet.policy._setcheck import choices_of, set_check
from unet.policy._values import (
    OPERATORS,
    EvaluationBudgetExceeded,
    PolicyEvaluationError,
    SafeRegex,
    a_kind,
    as_text,
    data_regex,
    kind_words,
    show_value,
    truthy,
)
from unet.policy._version import Version

__all__ = ["CompiledRule", "Compiler", "Failure"]

# Steps one rule may take on one device before it is stopped (P305; about 2 s): an element
# a quantifier walks is one, a search of a configuration level one per 16 lines. Enough for
# 500 interfaces against 4,000 lines each, or 2,000 searches of a 15,000-line level; not
# for cubes of lists.
MAX_STEPS = 2_000_000
# Seconds one rule may take on one device (P305): steps do not count the time a regular
# expression takes, which can be most of it.
MAX_RULE_SECONDS = 5.0
_CLOCK_EVERY = 0xFFF  # the clock is read every 4,096 steps in a quantifier's loop
# A string function's result costs a step per this many characters (and a list, one per
# 16 elements): building a megabyte string is a millisecond, a thousand elements' worth.
TEXT_PER_STEP = 1000
# Searching text is slower than building it (`"ab" in text`): a step per 256 characters.
SEARCH_PER_STEP = 256
# The functions that build text or lists in proportion to what they are given.
_BUILDERS = frozenset({"split", "trim", "replace", "concat", "join", "lower", "upper"})

Value = Callable[[Context], Any]
Test = Callable[[Context], bool]
Action = Callable[[Context], "Failure | list[Failure] | None"]

# Findings one ALL (or NONE) assertion gives on one device, one per failing element.
MAX_ELEMENT_FINDINGS = 50


@record
class Failure:
    """An ASSERT that did not hold: what to say, where to point, what identifies it."""

    message: str
    location: Location
    key: str  # what was looked at (data path or config lineage), for the fingerprint
    related: Location


@record
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
        self._aliased: set[str] = set()  # original field names already noted
        # A device field already compiled (`node.role` in every other rule): its getter.
        self._fields: dict[tuple[str | int, ...], tuple[Value, str]] = {}
        self._error_count = 0
        # What rules read beyond their own device: "peers" (l.peer_node), "fleet".
        self.reach: set[str] = set()
        # Inside a quantifier: what its comparisons and quantifiers compiled to (_join).
        self._closures: Closures = {}

    # ---- entry points ------------------------------------------------------------------
    def rule(self, rule: ast.Rule) -> CompiledRule | None:
        before = self._error_count
        self._closures.clear()  # left by a rule that did not compile
        when: Test | None = None
        try:
            when = self.condition(rule.when)
        except _Unknown as exc:
            self._said(exc)
        actions = []
        for action in rule.actions:  # each compiled apart: every action's mistake is said
            try:
                actions.append(self._action(action, rule))
            except _Unknown as exc:
                self._said(exc)
        if self._error_count > before or when is None:
            return None
        return CompiledRule(rule, when, tuple(actions))

    def _warn(self, at: Location, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(at, code, Severity.WARNING, message))

    def lone_condition(self, node: ast.Condition) -> Test | None:
        """A condition outside a rule (`--where`, waivers); None when it has errors."""
        self._closures.clear()
        try:
            return self.condition(node)
        except _Unknown as exc:
            self._said(exc)
            return None

    def condition(self, node: ast.Condition) -> Test:
        test: Test = _CONDITIONS[type(node)](self, node)
        return test

    def _said(self, exc: _Unknown) -> None:
        self._error_count += 1
        self.diagnostics.append(Diagnostic(exc.at, exc.code, Severity.ERROR, exc.message))

    # ---- actions -----------------------------------------------------------------------
    def _action(self, action: ast.Action, rule: ast.Rule) -> Action:
        if isinstance(action, ast.Assert):
            return self._assert(action, rule)
        if isinstance(action, ast.Set):
            return self._set(action)
        return self._apply(action)

    def _assert(self, action: ast.Assert, rule: ast.Rule) -> Action:
        test = self.condition(action.condition)
        if not _reads_anything(action.condition) and not _is_boolean(action.condition):
            try:
                outcome = f"always {'passes' if test(_NO_CONTEXT) else 'fails'}"
            except Exception:  # a constant that only fails at run time (a bad regex...)
                outcome = "gives the same result on every device"
            self._warn(action.condition.at, "P216",
                       f"ASSERT {action.text} does not depend on the device: it {outcome}; "
                       "assert a condition on node, running or intended")
        render = self._message(rule.message, _loop_variables(rule)) if rule.message else None
        text = action.text
        # `ASSERT ALL i IN ... SATISFIES ...`: a finding for every element that fails.
        each = isinstance(action.condition, ast.Quantifier) and \
            action.condition.kind in ("ALL", "NONE")

        def failure(ctx: Context) -> Failure:
            location, key, detail = _blame(ctx)
            message = render(ctx) if render else f"expected {text}{detail}{_witness(ctx)}"
            return Failure(message, location, key, action.at)

        def run(ctx: Context) -> Failure | list[Failure] | None:
            ctx.touched.clear()
            ctx.reason = None
            ctx.witness.clear()
            collected: list[Any] = []
            ctx.each = collected if each else None
            if test(ctx):
                return None
            ctx.each = None
            if not collected:
                return failure(ctx)
            found = []
            for touched, reason, witness in collected[:MAX_ELEMENT_FINDINGS]:
                ctx.touched, ctx.reason, ctx.witness = touched, reason, witness
                found.append(failure(ctx))
            return _counted(found, len(collected), numbered=render is None)

        return run

    def _set(self, action: ast.Set) -> Action:
        target = self._original(action.target)
        if target is None:
            raise _Unknown(action.target.at, "P206",
                           f"SET can change the device's data (node.<field> or "
                           f"custom_data.<field>), not '{action.target.text}'")
        self._check_fields(target, "device", action.target, prefix="node")  # unknown: P201
        value = self._expr(action.value)
        check = set_check(target)
        if check is not None and not _reads_anything(action.value):
            try:
                problem = check(value(_NO_CONTEXT), None)
            except Exception:  # a constant that fails on every device: said when it runs
                problem = None
            if problem is not None:
                raise _Unknown(action.value.at, "P220", f"SET {action.target.text}: {problem}")

        def run(ctx: Context) -> Failure | None:
            new = value(ctx)
            problem = _too_large(new)
            if problem is None and check is not None:
                problem = check(new, ctx.choices)
            origin = action.at  # worked out on the first device the rule changes
            if problem is not None:  # the device keeps its value
                return Failure(f"SET {action.target.text} was not done: {problem}",
                               origin, "SET " + dotted_path(target), origin)
            ctx.set(target, new, origin)
            return None

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
                inner = piece[1:-1].strip()
                if not inner or _NOT_A_PLACEHOLDER.search(inner):
                    raise _Unknown(at, "P201", f"MESSAGE placeholder {piece} is not a field: "
                                   "placeholders take dotted names ({node.name}, {server}); "
                                   "for an index or a function, SET a variable first")
                names = tuple(inner.split("."))
                if names[0] in loop_variables:
                    parts.append(self._value_text(_witnessed(names)))
                    continue
                path = ast.Path(0, ast.Source.at(at), names, piece[1:-1].strip())
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
            if isinstance(value, list):  # a list of names or addresses reads as one
                return ", ".join(_placeholder(item) for item in value[:MAX_MESSAGE])
            return _placeholder(value)

        return show

    # ---- conditions --------------------------------------------------------------------
    def _c_and(self, node: ast.And) -> Test:
        tests = [self.condition(c) for c in node.operands]
        if len(tests) == 2:  # the usual `a AND b`, without a generator per call
            first, second = tests
            return lambda ctx: first(ctx) and second(ctx)
        return lambda ctx: all(t(ctx) for t in tests)

    def _c_or(self, node: ast.Or) -> Test:
        tests = [self.condition(c) for c in node.operands]
        if len(tests) == 2:
            first, second = tests
            return lambda ctx: first(ctx) or second(ctx)
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
        op = node.op
        if op == "HAS":
            return self._has(node)
        if op in ("==", "!=") and _is_null(node.right):
            return self._c_isnull(ast.IsNull(node.pos, node.src, node.left, op == "!="))
        if op in _ORDERED or node.left.__class__ in _LITERAL_NODES:  # else nothing to say
            self._lint_compare(node)
        elif op in ("==", "!=", "IN") and isinstance(node.left, ast.Path):
            self._lint_choice(node)
        left, _ = self._operand(node.left)
        right = self._pattern(node.right) if op == "MATCHES" else self._operand(node.right)[0]
        test = OPERATORS[op]
        if op in _SEARCHES:
            return self._search(node, left, right, test)
        if op == "==" and not node.negate:
            if self._scope:  # a quantifier may look its elements up by this
                self._closures[id(node)] = (left, right)

            def equals(ctx: Context) -> bool:  # strings, most often: no call to equal()
                a, b = left(ctx), right(ctx)
                return a == b if type(a) is str and type(b) is str else test(a, b)

            return equals
        if not node.negate:
            return lambda ctx: test(left(ctx), right(ctx))
        if node.op == "IS":
            return lambda ctx: not test(left(ctx), right(ctx))

        def negated(ctx: Context) -> bool:
            a, b = left(ctx), right(ctx)
            return a is not None and b is not None and not test(a, b)

        return negated

    @staticmethod
    def _search(node: ast.Compare, left: Value, right: Value,
                test: Callable[[Any, Any], bool]) -> Test:
        """A comparison that reads all of a text (or list): paid for by its length."""
        text_side = 1 if node.op == "IN" else 0
        negate = node.negate
        culprit = node.right if node.op == "MATCHES" else node  # the pattern that ran long

        def search(ctx: Context) -> bool:
            a, b = left(ctx), right(ctx)
            if steps := _size_steps((a, b)[text_side], SEARCH_PER_STEP):
                _spend(ctx, steps)
            try:
                found = (a is not None and b is not None and not test(a, b)) if negate \
                    else test(a, b)
            except PolicyEvaluationError as exc:
                if exc.at is None:
                    exc.at = culprit.at
                raise
            if time.monotonic() > ctx.deadline:  # a slow pattern on short text costs no step
                _spend(ctx, 0)
            return found

        return search

    def _lint_compare(self, node: ast.Compare) -> None:
        """Comparisons that are always false, or not what they seem, said at compile time."""
        left, right = _literal_kind(node.left), _literal_kind(node.right)
        ordered = node.op in ("<", "<=", ">", ">=")
        if left and right and left != right and (ordered or node.op in ("==", "!=")):
            self._warn(node.at, "P217", f"{node.op} compares {kind_words(left)} with "
                       f"{kind_words(right)}: values of different types are never equal or "
                       f"ordered, so this is always {'true' if node.op == '!=' else 'false'}")
        elif ordered and not _is_version_call(node.left) and not _is_version_call(node.right):
            for side in (node.right, node.left):
                if isinstance(side, ast.Literal) and isinstance(side.value, str) and \
                        _VERSION_LIKE.fullmatch(side.value):
                    self._warn(side.at, "P219", f"'{side.value}' looks like a release number, "
                               f"but {node.op} compares strings letter by letter "
                               f"(\"16.9\" > \"16.12\"); write version(...) {node.op} "
                               f"\"{side.value}\"")
                    break

    def _lint_choice(self, node: ast.Compare) -> None:
        """A literal a field can never hold (`node.platform == "iosx"`): by the inventory
        schema, as SET is checked (P220), but a warning: the rule still compiles."""
        assert isinstance(node.left, ast.Path)
        path = _data_path(node.left)
        check = set_check(path) if path else None
        if check is None or path is None:
            return
        items = node.right.items if isinstance(node.right, ast.ListLit) and node.op == "IN" \
            else (node.right,) if node.op != "IN" else ()
        for item in items:
            if isinstance(item, ast.Literal) and isinstance(item.value, str | int | float):
                try:
                    problem = check(item.value, None)
                except Exception:  # a lint never stops compiling
                    problem = None
                if problem is not None:
                    hint = did_you_mean(str(item.value), choices_of(path)) \
                        if isinstance(item.value, str) else ""
                    self._warn(item.at, "P222", f"{problem}: {node.left.text} is never "
                               f"{show_value(item.value, 40)}{hint}")

    def _pattern(self, node: ast.Expr) -> Value:
        """The right side of MATCHES: a /regex/ or a string, compiled (and checked) once."""
        if isinstance(node, ast.Regex | ast.Literal) and isinstance(
                getattr(node, "pattern", getattr(node, "value", None)), str):
            source = node.pattern if isinstance(node, ast.Regex) else node.value
            flags = node.flags if isinstance(node, ast.Regex) else ""
            compiled = _safe_regex(source, flags, node.at, isinstance(node, ast.Regex))
            if has_nested_quantifiers(source):  # bounded in time, but slow on what fails it
                written = f"/{cut(source, 80)}/{flags}" if isinstance(node, ast.Regex) \
                    else show_value(source, 80)
                self._warn(node.at, "P221", f"the pattern {written} repeats a repeat "
                           "(like (a+)+): on a long value that does not match it can take "
                           "seconds, and is stopped (P301); write it without the inner "
                           "repeat, e.g. (a)+ or a+")
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
            if expression is None:  # as every comparison with null: false, nothing searched
                ctx.reason = "what to look for is null"
                return False
            _spend(ctx, _search_cost(view))
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
        lookup = plan(node, self._closures)
        if self._scope:
            self._closures[id(node)] = (items, where)
        else:
            self._closures.clear()
        variable, quantifier = node.variable, node.kind

        def run(ctx: Context) -> bool:
            collect, ctx.each = ctx.each, None  # only the assertion's own quantifier collects
            touched, scope = ctx.touched, ctx.scope  # the same lists for the whole rule
            mark = len(touched)
            collection = items(ctx)
            whole = touched[mark] if len(touched) > mark else None
            base = whole if whole is not None else None
            outcome = quantifier != "ANY"
            elements = elements_of(collection, base, ctx) if lookup is None else \
                lookup.candidates(collection, base, ctx)
            for element in elements:
                steps = ctx.steps = ctx.steps + 1  # _spend(ctx, 1), inline: once per element
                if steps > MAX_STEPS or not steps & _CLOCK_EVERY:
                    _spend(ctx, 0)
                scope[variable] = element
                step = len(touched)
                if where is not None and not where(ctx):
                    del touched[step:]  # what a skipped element touched blames nothing
                    continue
                passed = test(ctx)
                if collect is not None and passed == (quantifier == "NONE"):
                    outcome = False  # one finding per failing element: note it, go on
                    if len(collect) <= MAX_ELEMENT_FINDINGS:
                        collect.append(([*ctx.touched[:mark], *ctx.touched[step:]],
                                        ctx.reason, {**ctx.witness, variable: element[0]}))
                    else:
                        collect.append(((), None, {}))  # counted, not shown
                    ctx.reason = None
                elif passed:
                    if quantifier != "ALL":
                        outcome = quantifier == "ANY"
                        if quantifier == "NONE":  # the element that should not exist
                            ctx.witness[variable] = element[0]
                        break
                elif quantifier == "ALL":
                    outcome = False
                    ctx.witness[variable] = element[0]  # the element that failed
                    break
                del touched[step:]  # the loop goes on: this element decided nothing
            scope.pop(variable, None)
            if not outcome and quantifier != "ALL" and whole is not None:
                touched.append(whole)  # blame the collection, not its last element
            return outcome

        return run

    # ---- operands ----------------------------------------------------------------------
    def _operand(self, node: ast.Expr) -> tuple[Value, str]:
        if node.__class__ is ast.Literal:  # the commonest, and a constant
            value = node.value
            return (lambda ctx: value), "any"
        if isinstance(node, ast.Path):
            return self._path(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Index):
            return self._index(node)
        return self._expr(node), "any"

    def _index(self, node: ast.Index) -> tuple[Value, str]:
        """`node.vars.approved[node.model]`, `running.lines("x")[-1]`: a lookup by value."""
        base, kind = self._operand(node.base)
        key, _ = self._operand(node.key)
        if isinstance(node.key, ast.Literal) and isinstance(node.key.value, str):
            following = field_kind(kind, node.key.value)
            if following is None:
                names = FIELDS.get(kind, {})
                hint = did_you_mean(node.key.value, names)
                raise _Unknown(node.key.at, "P201", f"unknown field '{node.key.value}'{hint}; "
                               f"{_kind_name(kind)} fields are: {', '.join(sorted(names))}")
            kind = following
        else:
            kind = element_kind(kind) if kind in ("interfaces", "links", "sections") else "any"

        def get(ctx: Context) -> Any:
            mark = len(ctx.touched)
            value = base(ctx)
            whole = ctx.touched[-1] if len(ctx.touched) > mark else None
            at = key(ctx)
            found = _lookup(value, at)
            if value is not None and isinstance(whole, tuple) and isinstance(at, str | int) and \
                    not isinstance(at, bool) and whole[:1] != ("links",):
                ctx.touched.append((*whole, at))  # blame the element
            return found

        return get, kind

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
        known = self._fields.get(node.parts)
        if known is not None:
            return known
        if root in CONFIG_ROOTS:
            if rest:
                raise _Unknown(node.at, "P201", f"'{node.text}': a configuration has no fields; "
                               f"use {root} HAS \"...\" or {root}.sections(\"...\")")
            which = str(root)
            return (lambda ctx: ctx.config(which)), "config"
        if root == "derived":
            return self._derived(node)
        if root == FLEET_ROOT and FLEET_ROOT not in FIELDS["device"]:
            self.reach.add("fleet")
            kind = self._check_fields(rest, "fleet", node, prefix=FLEET_ROOT)
            return (lambda ctx: _walk(ctx.fleet(), rest) if rest else ctx.fleet()), kind
        if node.parts == ("node",):
            raise _Unknown(node.at, "P201", "'node' alone is the whole device, which always "
                           "exists; name one of its fields (node.management_ip IS NULL)")
        parts = self._original(node)
        if parts is None:
            choices = [*FIELDS["device"], "node", "custom_data", *CONFIG_ROOTS, FLEET_ROOT,
                       *self._scope]
            hint = did_you_mean(str(root), choices)
            raise _Unknown(node.at, "P201", f"unknown field '{root}'{hint}")
        kind = self._check_fields(parts, "device", node, prefix="node")
        known = self._fields[node.parts] = _data_getter(parts), kind
        return known

    def _original(self, node: ast.Path) -> tuple[Any, ...] | None:
        """The data path, with the original μNet's field names (`node.version`) mapped to
        unet's (`os_version`), noted once per name."""
        parts = _data_path(node)
        if not parts or node.parts[0] != "node" or parts[0] not in ORIGINAL_FIELDS:
            return parts
        name = str(parts[0])
        mapped = ORIGINAL_FIELDS[name]
        if name not in self._aliased:
            self._aliased.add(name)
            self.diagnostics.append(Diagnostic(
                node.at, "P215", Severity.INFO,
                f"'node.{name}' is the original μNet name of 'node.{'.'.join(mapped)}'; "
                f"write node.{'.'.join(mapped)}"))
        return (*mapped, *parts[1:])

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
        for depth, part in enumerate(parts):
            if kind == "any":  # a value of any shape (in vars): anything below it goes
                return kind
            if kind == "link" and part == "peer_node":
                self.reach.add("peers")
            following = field_kind(kind, part)
            if following is None:
                seen = ".".join(map(str, (prefix, *parts[:depth])))
                names = FIELDS.get(kind, {})
                hint = did_you_mean(f"{seen}.{part}", [f"{seen}.{name}" for name in names])
                raise _Unknown(node.at, "P201", f"unknown field '{seen}.{part}'{hint}; "
                               f"{_kind_name(kind)} fields are: {', '.join(sorted(names))}")
            kind = following
        return kind

    def _walk_variable(self, name: str, rest: tuple[Any, ...], node: ast.Path,
                       ) -> tuple[Value, str]:
        if self._scope[name] == "link" and rest[:1] == ("peer",) and len(rest) > 1:
            rest = ("peer_node", *rest[1:])  # l.peer.interfaces: the peer device's data
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

        if section_attr or len(rest) != 1 or not isinstance(rest[0], str):
            return get, kind
        field = rest[0]

        def get_field(ctx: Context) -> Any:  # `i.ipv4`: one field of an element, the usual
            value, base = ctx.scope[name]
            value = value.get(field) if isinstance(value, dict) else None  # = _walk
            if base is not None:
                ctx.touched.append(base + rest if isinstance(base, tuple) else base)
            return value

        return get_field, kind

    def _call(self, node: ast.Call) -> tuple[Value, str]:
        callee = node.callee.parts
        if len(callee) == 1 and callee[0] in FUNCTIONS:
            return self._function(str(callee[0]), node)
        if len(callee) == 2 and callee[1] in CONFIG_METHODS:
            target, kind = self._path(ast.Path(node.pos, node.src, callee[:1], str(callee[0])))
            if kind not in ("config", "section"):
                raise _Unknown(node.at, "P203", f"{callee[1]}() works on running, intended or "
                               f"a section, not on '{callee[0]}'")
            return self._method(str(callee[1]), target, node)
        name = ".".join(map(str, callee))
        choices = [*FUNCTIONS, *(f"running.{m}" for m in CONFIG_METHODS)]
        raise _Unknown(node.at, "P203", f"unknown function '{name}'{did_you_mean(name, choices)}; "
                       f"functions: {', '.join(choices)}")

    def _function(self, name: str, node: ast.Call) -> tuple[Value, str]:
        value, kind = self._plain_function(name, node)
        return (_charged(value) if name in _BUILDERS else value), kind

    def _plain_function(self, name: str, node: ast.Call) -> tuple[Value, str]:
        if name in FUNCTIONS_TABLE:
            return self._table_function(name, node)
        if len(node.args) != 1:
            raise _Unknown(node.at, "P203", f"{name}() takes exactly one argument")
        arg, _ = self._operand(node.args[0])
        if name == "version" and isinstance(node.args[0], ast.Literal) and (
                Version.of(node.args[0].value) is None or not _VERSION_START.match(
                    str(node.args[0].value))):
            self._warn(node.args[0].at, "P218", f"{json.dumps(node.args[0].value)} is not a "
                       "release number (one starts with a digit: \"17.9.4\", \"15.2(7)E9\")")
        if name == "version":
            return (lambda ctx: _version_of(arg(ctx))), "any"
        if name == "len":
            return (lambda ctx: _length(arg(ctx))), "any"
        method = str.lower if name == "lower" else str.upper
        return (lambda ctx: method(v) if isinstance(v := arg(ctx), str) else None), "any"

    def _table_function(self, name: str, node: ast.Call) -> tuple[Value, str]:
        function, low, high = FUNCTIONS_TABLE[name]
        if not low <= len(node.args) <= high:
            count = str(low) if low == high else f"{low} to {high}"
            raise _Unknown(node.at, "P203", f"{name}() takes {count} arguments, "
                           f"not {len(node.args)}")
        args = [self._pattern(arg) if name == "capture" and index == 1
                else self._operand(arg)[0] for index, arg in enumerate(node.args)]
        if name == "capture":
            pattern = args[1]

            def compiled(ctx: Context) -> Any:  # a string pattern is compiled per value
                value = pattern(ctx)
                return value if isinstance(value, SafeRegex) else _dynamic_regex(value)

            args[1] = compiled
        if len(args) == 1:
            only = args[0]
            memo: dict[Any, Any] | None = getattr(function, "memo", None)
            if memo is None:
                return (lambda ctx: function(only(ctx))), "any"

            def remembered(ctx: Context) -> Any:  # a string seen before: no call at all
                value = only(ctx)
                if type(value) is str:
                    found = memo.get(value, memo)
                    if found is not memo:
                        return found
                return function(value)  # which keeps what it may

            return remembered, "any"
        return (lambda ctx: function(*(a(ctx) for a in args))), "any"

    def _method(self, name: str, target: Value, node: ast.Call) -> tuple[Value, str]:
        if len(node.args) != 1:
            raise _Unknown(node.at, "P203", f"{name}() takes one match expression, "
                           "e.g. \"interface .*||description .*\"")
        match = self._match_arg(node.args[0])

        def call(ctx: Context) -> Any:
            view = _view(target(ctx))
            if view is None or (expression := match(ctx)) is None:
                return None
            ctx.touched.append(view.location)  # a quantifier over the result blames the config
            _spend(ctx, _search_cost(view))
            return getattr(view, name)(expression)

        return call, "sections" if name == "sections" else "any"

    def _match_arg(self, node: ast.Expr) -> Callable[[Context], Match | None]:
        """The match expression a value gives: None for null; text, or a number as its
        text; anything else cannot be looked for (P301)."""
        if isinstance(node, ast.Literal) and isinstance(node.value, str):
            compiled = _match(node.value, node.at)
            return lambda ctx: compiled
        get, _ = self._operand(node)
        cache: dict[str, Match] = {}

        def dynamic(ctx: Context) -> Match | None:
            value = get(ctx)
            if value is None:
                return None
            text = as_text(value)
            if text is None:
                raise PolicyEvaluationError(f"{a_kind(value)} is no text to look for in a "
                                            "configuration")
            if text not in cache:
                try:
                    cache[text] = Match.parse(text)
                except MatchError as exc:  # an expression from data: the rule cannot run
                    raise PolicyEvaluationError(
                        f"invalid match expression {show_value(text, 80)} (from data): "
                        f"{exc.reason}") from None
            return cache[text]

        return dynamic


# ---- helpers ----------------------------------------------------------------------------

# A placeholder is a dotted path ({node.interfaces.Gi0/0.mtu}); brackets, calls, quotes
# and operators are expressions, which it is not.
_NOT_A_PLACEHOLDER = re.compile(r"[\[\]()\"',\s=<>!+*]|^\.|\.$|\.\.")
_version_of = memoized(Version.of)  # version(node.os_version) >= "...": the same few strings
_VERSION_LIKE = re.compile(r"\d+(\.\d+)+[\w().-]*")
_VERSION_START = re.compile(r"v?\d")


def _literal_kind(node: ast.Expr) -> str | None:
    """The type of a literal operand (None for anything computed)."""
    if node.__class__ is ast.Literal:
        return _VALUE_KINDS.get(node.value.__class__)
    return _LITERAL_KINDS.get(node.__class__)


# A literal's value is one of these (parsed from the policy text), or None.
_VALUE_KINDS = {str: "string", int: "number", float: "number", bool: "bool"}
_LITERAL_KINDS = {ast.ListLit: "list", ast.ObjectLit: "mapping"}


def _is_version_call(node: ast.Expr) -> bool:
    return isinstance(node, ast.Call) and node.callee.parts == ("version",)


def _is_boolean(node: ast.Condition) -> bool:
    """`ASSERT true` / `ASSERT false`: written on purpose (a rule that only sets, or always
    reports)."""
    return isinstance(node, ast.Truthy) and isinstance(node.operand, ast.Literal) and \
        isinstance(node.operand.value, bool)


def _reads_anything(node: Any) -> bool:
    """Whether a condition looks at anything but literals (a field, a config, a variable)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Path):
            return True
        if isinstance(item, ast.Call) and len(item.callee.parts) == 1 and \
                item.callee.parts[0] in FUNCTIONS:  # a function of literals is a literal
            stack.extend(item.args)
        elif isinstance(item, tuple | list):
            stack.extend(item)
        elif hasattr(item, "__slots__") and not isinstance(item, Location | str):
            stack.extend(getattr(item, name) for name in item.__slots__)
    return False


class _NoContext:
    """What a constant condition is evaluated with at compile time."""

    def __init__(self) -> None:
        self.touched: list[Any] = []
        self.scope: dict[str, Any] = {}
        self.reason: str | None = None
        self.witness: dict[str, Any] = {}
        self.steps = 0


_NO_CONTEXT: Any = _NoContext()


def _dynamic_regex(value: Any) -> SafeRegex | None:
    if not isinstance(value, str) or len(value) > 10_000:
        return None
    try:
        return data_regex(value)
    except PatternError:
        return None


_SEARCHES = frozenset(("CONTAINS", "STARTSWITH", "ENDSWITH", "MATCHES", "IN"))
_ORDERED = frozenset(("<", "<=", ">", ">="))
_LITERAL_NODES = frozenset((ast.Literal, ast.ListLit, ast.ObjectLit))
# The method compiling each kind of condition.
_CONDITIONS: dict[type[Any], Callable[[Compiler, Any], Test]] = {
    ast.And: Compiler._c_and, ast.Or: Compiler._c_or, ast.Not: Compiler._c_not,
    ast.Truthy: Compiler._c_truthy, ast.IsNull: Compiler._c_isnull,
    ast.Compare: Compiler._c_compare, ast.Quantifier: Compiler._c_quantifier,
}


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


def _inherited(parts: tuple[Any, ...]) -> Value:
    """`node.inherited.location.vars.ntp_servers`: one layer's value, blamed where written."""
    if not parts:
        return lambda ctx: None
    layer, rest = str(parts[0]), parts[1:]

    def get(ctx: Context) -> Any:
        if ctx.layers is None:
            return None
        value, where = layer_value(ctx.layers(ctx.device, layer), rest)
        if where is not None:
            ctx.touched.append(where)
        return value

    return get


def _search_cost(view: ConfigView) -> int:
    """A search reads every line of its level; a line test costs less than an element."""
    return 1 + len(view.root.children) // 16


# What one SET may build: a value set into itself (SET x TO [x, x]) doubles each time, and
# every comparison, message and render of it would walk all of it.
MAX_SET_DEPTH = 32
MAX_SET_ELEMENTS = 100_000


class _TooLarge(Exception):
    pass


def _too_large(value: Any) -> str | None:
    """Why `value` is too large to SET (nested too deep, too many elements), or None."""
    if not isinstance(value, list | tuple | dict):
        return None
    known: dict[int, tuple[int, int]] = {}  # id -> (elements, height): shared parts once

    def measure(item: Any, level: int) -> tuple[int, int]:
        if not isinstance(item, list | tuple | dict):
            return 1, 0
        found = known.get(id(item))
        if found is None:
            if level > MAX_SET_DEPTH:
                raise _TooLarge(f"it is nested more than {MAX_SET_DEPTH} deep")
            elements, height = 1, 0
            for child in item.values() if isinstance(item, dict) else item:
                size, below = measure(child, level + 1)
                elements, height = elements + size, max(height, below + 1)
                if elements > MAX_SET_ELEMENTS:
                    raise _TooLarge(f"it has more than {MAX_SET_ELEMENTS:,} elements")
            found = known[id(item)] = (elements, height)
        if level + found[1] > MAX_SET_DEPTH:
            raise _TooLarge(f"it is nested more than {MAX_SET_DEPTH} deep")
        return found

    try:
        measure(value, 0)
    except _TooLarge as exc:
        return str(exc)
    return None


def _size_steps(value: Any, per_step: int) -> int:
    """The steps a text (one per `per_step` characters) or a list (per 16 elements) costs."""
    if type(value) is str:
        return len(value) // per_step
    return len(value) // 16 if type(value) is list else 0


def _charged(get: Value) -> Value:
    """`get`, whose result is paid for by its size (TEXT_PER_STEP)."""
    def charged(ctx: Context) -> Any:
        result = get(ctx)
        if steps := _size_steps(result, TEXT_PER_STEP):
            _spend(ctx, steps)
        return result

    return charged


def _spend(ctx: Context, steps: int) -> None:
    """Count evaluation work against the rule's budget on this device (P305)."""
    ctx.steps += steps
    if ctx.steps > MAX_STEPS:
        raise EvaluationBudgetExceeded(
            f"it took more than {MAX_STEPS:,} steps (quantifiers over large collections or "
            "configuration searches, nested)")
    if time.monotonic() > ctx.deadline:
        raise EvaluationBudgetExceeded(
            f"it took longer than {MAX_RULE_SECONDS:g} s (slow regular expressions, or "
            "quantifiers over large collections, nested)")


def _lookup(value: Any, key: Any) -> Any:
    if isinstance(value, dict) and isinstance(key, str | int) and not isinstance(key, bool):
        return value.get(key)
    if isinstance(value, list | str) and isinstance(key, int) and not isinstance(key, bool):
        return value[key] if -len(value) <= key < len(value) else None
    return None


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
    if parts[0] == "inherited":
        return _inherited(parts[1:])

    def get(ctx: Context) -> Any:
        ctx.touched.append(parts)
        return _walk(ctx.data, parts)

    if len(parts) != 1 or not isinstance(parts[0], str):
        return get
    field = parts[0]

    def get_field(ctx: Context) -> Any:  # `node.interfaces`: ctx.data is a dict
        ctx.touched.append(parts)
        return ctx.data.get(field)

    return get_field


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


def _placeholder(value: Any) -> str:
    """A `{...}` of a MESSAGE: a value as its text, a list or mapping as JSON (cut)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list | tuple | int):
        return show_value(value, MAX_MESSAGE)
    return cut(str(value))


def _witnessed(names: tuple[str, ...]) -> Value:
    def get(ctx: Context) -> Any:
        return _walk(ctx.witness.get(names[0]), names[1:]) if len(names) > 1 else \
            ctx.witness.get(names[0])

    return get


def _counted(found: list[Failure], total: int, *, numbered: bool) -> list[Failure]:
    """Findings of one assertion's elements: distinct keys, and how many there were (a
    MESSAGE the rule wrote is kept as written, but for the last's "N more")."""
    keys = [f.key for f in found]
    result = []
    for number, item in enumerate(found, 1):
        key = item.key if keys.count(item.key) == 1 else f"{item.key}\0{item.message}"
        message = item.message
        if total > 1 and numbered:
            message += f" ({number} of {total})"
        if number == len(found) and total > len(found):
            message += f"; {total - len(found)} more not shown"
        result.append(Failure(message, item.location, key, item.related))
    return result


def _witness(ctx: Context) -> str:
    """`; failed for server = "10.0.0.2"`: the element a quantifier stopped at."""
    shown = []
    for variable, value in ctx.witness.items():
        if isinstance(value, dict) and "peer" in value and "interface" in value:  # a link
            end, peer, far = (_placeholder(value.get(k)) for k in ("interface", "peer",
                                                                   "peer_interface"))
            value = f"{end} to {peer} {far}"
        elif isinstance(value, dict) and "name" in value:
            value = value["name"]
        elif not isinstance(value, str | int | float | bool):
            value = getattr(value, "text", value)
        shown.append(f"{variable} = {show_value(value)}")
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
    shown = "is missing" if value is None else f"is {show_value(value)}"
    name = "node." + dotted_path(last)
    detail = f"; {name} {shown}" if last[:1] != ("links",) else ""
    return ctx.where(last), dotted_path(last), detail
