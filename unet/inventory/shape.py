"""A small schema language for unet's files: validation with paths, defaults, JSON Schema.

Each kind of file is a `Model` of `Field`s over a handful of value specs (strict
strings, integers, booleans, choices, lists, mappings). Validation collects every
problem as an `Issue` (path, kind, message) in document order and never raises, so
`_schema.py` can turn each into a diagnostic at its line; it returns the value with
defaults filled in (what `unet.yaml` settings are read as).

Written out rather than built on a general validation library because every cold run
(a fresh CI runner) checks the whole repository, and building such a library's
validators at start-up cost more than checking all the files.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable
from typing import Any

__all__ = [
    "REQUIRED",
    "AnyValue",
    "Bool",
    "Choice",
    "Field",
    "Int",
    "Issue",
    "ListOf",
    "MapOf",
    "Model",
    "Number",
    "OneOf",
    "Spec",
    "Str",
    "fields_at",
]

Path = tuple[Any, ...]
Check = Callable[[Any], Any]  # raises ValueError with a message a user can act on


class Issue:
    """One problem: where (a path of keys and list indexes), what kind, in words."""

    __slots__ = ("expected", "kind", "loc", "msg")

    def __init__(self, loc: Path, kind: str, msg: str, expected: tuple[Any, ...] = ()) -> None:
        self.loc, self.kind, self.msg, self.expected = loc, kind, msg, expected

    def __repr__(self) -> str:
        return f"Issue({self.loc!r}, {self.kind!r}, {self.msg!r})"


class Spec:
    """What a value must be. `check` appends issues and returns the value to keep."""

    after: Check | None = None

    def check(self, value: Any, loc: Path, issues: list[Issue]) -> Any:
        raise NotImplementedError

    def json(self, defs: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def _after(self, value: Any, loc: Path, issues: list[Issue]) -> Any:
        if self.after is not None:
            try:
                return self.after(value)
            except ValueError as exc:
                issues.append(Issue(loc, "value_error", str(exc)))
        return value


class AnyValue(Spec):
    def check(self, value: Any, loc: Path, issues: list[Issue]) -> Any:
        return value

    def json(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {}


class Str(Spec):
    def __init__(self, *, min_length: int = 0, after: Check | None = None) -> None:
        self.min_length, self.after = min_length, after

    def check(self, value: Any, loc: Path, issues: list[Issue]) -> Any:
        if not isinstance(value, str):
            issues.append(Issue(loc, "string_type", "Input should be a valid string"))
        elif len(value) < self.min_length:
            issues.append(Issue(loc, "string_too_short", f"String should have at least "
                                f"{self.min_length} character{'s' if self.min_length > 1 else ''}"))
        else:
            return self._after(value, loc, issues)
        return value

    def json(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "string", **({"minLength": self.min_length} if self.min_length else {})}


class Bool(Spec):
    def check(self, value: Any, loc: Path, issues: list[Issue]) -> Any:
        if not isinstance(value, bool):
            issues.append(Issue(loc, "bool_type", "Input should be a valid boolean"))
        return value

    def json(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "boolean"}


class _Range(Spec):
    kind, type_name, message = "", "", ""
    accepts: tuple[type, ...] = ()

    def __init__(self, *, ge: float | None = None, gt: float | None = None,
                 le: float | None = None) -> None:
        self.ge, self.gt, self.le = ge, gt, le

    def check(self, value: Any, loc: Path, issues: list[Issue]) -> Any:
        # bool is an int in Python, never in a file: `mtu: true` is a mistake
        if isinstance(value, bool) or not isinstance(value, int | float) or not isinstance(
                value, self.accepts):
            issues.append(Issue(loc, self.kind, self.message))
        elif not math.isfinite(value):  # .nan passes every comparison below
            issues.append(Issue(loc, "finite_number", "Input should be a finite number"))
        elif self.ge is not None and value < self.ge:
            issues.append(Issue(loc, "greater_than_equal",
                                f"Input should be greater than or equal to {self.ge}"))
        elif self.gt is not None and value <= self.gt:
            issues.append(Issue(loc, "greater_than", f"Input should be greater than {self.gt}"))
        elif self.le is not None and value > self.le:
            issues.append(Issue(loc, "less_than_equal",
                                f"Input should be less than or equal to {self.le}"))
        return value

    def json(self, defs: dict[str, Any]) -> dict[str, Any]:
        bounds = {"minimum": self.ge, "exclusiveMinimum": self.gt, "maximum": self.le}
        return {"type": self.type_name, **{k: v for k, v in bounds.items() if v is not None}}


class Int(_Range):
    kind, type_name, message = "int_type", "integer", "Input should be a valid integer"
    accepts = (int,)


class Number(_Range):
    kind, type_name, message = "float_type", "number", "Input should be a valid number"
    accepts = (int, float)


class Choice(Spec):
    def __init__(self, *choices: str | int) -> None:
        self.choices = choices

    def check(self, value: Any, loc: Path, issues: list[Issue]) -> Any:
        if not any(_same(value, c) for c in self.choices):
            shown = [repr(c) for c in self.choices]
            words = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
            issues.append(Issue(loc, "literal_error", f"Input should be {words}", self.choices))
        return value

    def json(self, defs: dict[str, Any]) -> dict[str, Any]:
        if len(self.choices) == 1:
            return {"const": self.choices[0]}
        return {"enum": list(self.choices), "type": "string"}


def _same(value: Any, choice: str | int) -> bool:
    """`version: 1.0` is the choice 1; `version: true` (a bool, so an int) is not."""
    if isinstance(choice, int) and isinstance(value, int | float) and not isinstance(value, bool):
        return bool(value == choice)
    return type(value) is type(choice) and bool(value == choice)


class ListOf(Spec):
    def __init__(self, item: Spec, *, min_items: int = 0, max_items: int | None = None) -> None:
        self.item, self.min_items, self.max_items = item, min_items, max_items

    def check(self, value: Any, loc: Path, issues: list[Issue]) -> Any:
        if not isinstance(value, list):
            issues.append(Issue(loc, "list_type", "Input should be a valid list"))
            return value
        # a list of the wrong length is one problem, not one more per item
        if len(value) < self.min_items:
            issues.append(Issue(loc, "too_short", f"List should have at least {self.min_items} "
                                f"items, not {len(value)}"))
            return value
        if self.max_items is not None and len(value) > self.max_items:
            issues.append(Issue(loc, "too_long", f"List should have at most {self.max_items} "
                                f"items, not {len(value)}"))
            return value
        return [self.item.check(v, (*loc, i), issues) for i, v in enumerate(value)]

    def json(self, defs: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = {"type": "array", "items": self.item.json(defs)}
        if self.min_items:
            found["minItems"] = self.min_items
        if self.max_items is not None:
            found["maxItems"] = self.max_items
        return found


def _key_issue(loc: Path, key: Any) -> Issue:
    return Issue((*loc, key), "key_type", f"the key {key!r} should be a string")


class MapOf(Spec):
    """A mapping with string keys (interface names, variables) and values of one spec."""

    def __init__(self, value: Spec, *, nullable: bool = False) -> None:
        self.value, self.nullable = value, nullable

    def check(self, value: Any, loc: Path, issues: list[Issue]) -> Any:
        if not isinstance(value, dict):
            issues.append(Issue(loc, "dict_type", "Input should be a valid dictionary"))
            return value
        kept: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                issues.append(_key_issue(loc, key))
            elif item is None and self.nullable:
                kept[key] = None
            else:
                kept[key] = self.value.check(item, (*loc, key), issues)
        return kept

    def json(self, defs: dict[str, Any]) -> dict[str, Any]:
        inner = self.value.json(defs)
        if self.nullable:
            inner = {"anyOf": [inner, {"type": "null"}]}
        return {"type": "object", "additionalProperties": inner}


class OneOf(Spec):
    """One of several specs, chosen by the value's type (a string or a mapping, say), so
    a problem is reported once, against what the value evidently meant to be."""

    def __init__(self, *options: tuple[type | tuple[type, ...], Spec], expected: str) -> None:
        self.options, self.expected = options, expected

    def check(self, value: Any, loc: Path, issues: list[Issue]) -> Any:
        for types, spec in self.options:
            if isinstance(value, types) and not isinstance(value, bool):
                return spec.check(value, loc, issues)
        issues.append(Issue(loc, "union_type", f"Input should be {self.expected}"))
        return value

    def json(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"anyOf": [spec.json(defs) for _, spec in self.options]}


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


class Field:
    """One key of a model: its spec, default (REQUIRED if none), and whether `null` is
    allowed (it removes an inherited value)."""

    __slots__ = ("default", "description", "nullable", "spec")

    def __init__(self, spec: Spec, default: Any = None, *, nullable: bool = True,
                 description: str | None = None) -> None:
        self.spec, self.default, self.nullable, self.description = (
            spec, default, nullable, description)

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def check(self, value: Any, loc: Path, issues: list[Issue]) -> Any:
        if value is None and self.nullable:
            return None
        return self.spec.check(value, loc, issues)

    def fresh_default(self) -> Any:
        if isinstance(self.default, Model):
            return self.default.defaults()
        if isinstance(self.default, list | dict):
            return copy.deepcopy(self.default)  # must not be shared between reads
        return self.default


class Model(Spec):
    """A mapping with known keys; any other key is an error (a typo, usually)."""

    def __init__(self, title: str, doc: str, fields: dict[str, Field], *,
                 base: Model | None = None) -> None:
        self.title, self.doc = title, doc
        self.fields: dict[str, Field] = {**(base.fields if base else {}), **fields}

    def check(self, value: Any, loc: Path, issues: list[Issue]) -> Any:
        if not isinstance(value, dict):
            issues.append(Issue(loc, "model_type", "Input should be a mapping"))
            return value
        kept: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                issues.append(_key_issue(loc, key))
            elif (field := self.fields.get(key)) is None:
                issues.append(Issue((*loc, key), "extra_forbidden", f"{key!r} is not a known key"))
            else:
                kept[key] = field.check(item, (*loc, key), issues)
        for name, field in self.fields.items():
            if name in kept or name in value:
                continue
            if field.required:
                issues.append(Issue((*loc, name), "missing", "Field required"))
            else:
                kept[name] = field.fresh_default()
        return {name: kept[name] for name in self.fields if name in kept}

    def validate(self, value: Any) -> tuple[Any, list[Issue]]:
        """The value with defaults filled in, and every problem with it."""
        issues: list[Issue] = []
        return self.check(value, (), issues), issues

    def defaults(self) -> dict[str, Any]:
        return {name: field.fresh_default() for name, field in self.fields.items()
                if not field.required}

    def json(self, defs: dict[str, Any]) -> dict[str, Any]:
        if self.title not in defs:
            defs[self.title] = {}  # placeholder: a model may refer to itself
            defs[self.title] = self.json_schema(defs)
        return {"$ref": f"#/$defs/{self.title}"}

    def json_schema(self, defs: dict[str, Any] | None = None) -> dict[str, Any]:
        """JSON Schema of this model (with `$defs` for nested models at the top)."""
        top = defs is None
        defs = {} if defs is None else defs
        properties = {}
        for name, field in self.fields.items():
            schema = field.spec.json(defs)
            if field.nullable:
                schema = {"anyOf": [schema, {"type": "null"}]}
            schema["title"] = name.replace("_", " ").title()
            if field.description:
                schema["description"] = field.description
            if not field.required:
                default = field.fresh_default()
                if default is not None or field.nullable:
                    schema["default"] = default
            properties[name] = schema
        found: dict[str, Any] = {"title": self.title, "description": self.doc, "type": "object",
                                 "properties": properties, "additionalProperties": False}
        required = [name for name, field in self.fields.items() if field.required]
        if required:
            found["required"] = required
        if top and defs:
            found["$defs"] = defs
        return found


def fields_at(spec: Spec, loc: Iterable[Any]) -> list[str]:
    """Key names of the model reached by following `loc` from `spec` ([] if none)."""
    current: Spec | None = spec
    for part in loc:
        current = _inner(current)
        if isinstance(current, Model):
            field = current.fields.get(str(part))
            current = field.spec if field else None
        elif isinstance(current, ListOf):
            current = current.item
        elif isinstance(current, MapOf):
            current = current.value
        else:
            return []
    current = _inner(current)
    return list(current.fields) if isinstance(current, Model) else []


def _inner(spec: Spec | None) -> Spec | None:
    # a mapping's path continues into the model option of a string-or-mapping choice
    if isinstance(spec, OneOf):
        return next((s for _, s in spec.options if isinstance(s, Model)), spec)
    return spec
