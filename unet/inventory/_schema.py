"""Check one document against its model and say what is wrong in plain words, at the line."""

from __future__ import annotations

import difflib
import json
import typing
from typing import Any

from unet.config import secret_key
from unet.core import Diagnostic, Severity
from unet.inventory._models import MODELS
from unet.inventory._yaml import Document, Path_
from unet.inventory.shape import Issue, Model, fields_at

__all__ = ["did_you_mean", "dotted_path", "json_schemas", "validate_document"]

_TYPE_NAMES = {
    "string_type": "a string",
    "int_type": "an integer",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "float_type": "a number",
}


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or ''."""
    cutoff = 0.5 if len(str(word)) <= 4 else 0.6  # one typo in a short name is a big ratio
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""


def validate_document(document: Document, model: Model,
                      ) -> tuple[list[Diagnostic], list[Path_]]:
    """Every schema problem in one file, each at the key or value to edit, and their paths."""
    if not isinstance(document.data, dict):
        found = _kind(document.data)
        return [Diagnostic(document.location(()), "U201", Severity.ERROR,
                           f"expected a mapping of keys at the top of the file, found {found}")], []
    _, issues = model.validate(document.data)
    return [_diagnostic(document, model, issue) for issue in issues], [i.loc for i in issues]


def _diagnostic(document: Document, model: Model, issue: Issue) -> Diagnostic:
    loc, kind = issue.loc, issue.kind
    dotted = dotted_path(loc)
    value = _value_at(document.data, loc)
    if kind == "extra_forbidden" and "connection" in loc[:-1] and secret_key(str(loc[-1])):
        return _error(document, loc, "U130", f"'{dotted}': a device secret never goes in the "
                      "repository; use `unet auth set-password`, UNET_DEVICE_PASSWORD or SSH "
                      "keys", key=True)
    if kind == "extra_forbidden":
        allowed = fields_at(model, loc[:-1])
        hint = did_you_mean(loc[-1], allowed)
        where = f" in {dotted_path(loc[:-1])}" if len(loc) > 1 else ""
        message = f"unknown key '{loc[-1]}'{where}{hint}"
        if not hint and allowed:
            message += f"; allowed: {', '.join(sorted(allowed))}"
        if "vars" in allowed:
            message += "; free-form data goes under 'vars'"
        return _error(document, loc, "U202", message, key=True)
    if kind == "missing":
        parent = document.location(loc[:-1])
        return Diagnostic(parent, "U203", Severity.ERROR, f"missing required key '{dotted}'")
    if kind == "key_type":
        # as YAML wrote it: `true`, `null`, `1`
        key = json.dumps(loc[-1]) if isinstance(loc[-1], bool | int | float | None) \
            else repr(loc[-1])
        where = f"{dotted_path(loc[:-1])}: " if len(loc) > 1 else ""
        return _error(document, loc, "U204", f"{where}the key {key} should be a string; "
                      f"quote it: \"{key}\":", key=True)
    if kind in _TYPE_NAMES:
        message = f"{dotted}: expected {_TYPE_NAMES[kind]}, found {_show(value)}"
        if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
            written = f"- \"{value}\"" if isinstance(loc[-1], int) else f"{loc[-1]}: \"{value}\""
            message += f"; quote it to keep it as written: {written}"
        if kind == "bool_type" and isinstance(value, str):
            message += " (YAML 1.2: only true/false are booleans)"
        return _error(document, loc, "U204", message)
    if kind == "literal_error":
        choices = [str(c) for c in issue.expected]
        strings = all(isinstance(c, str) for c in issue.expected)
        hint = did_you_mean(value, choices) if isinstance(value, str) and strings else ""
        message = f"{dotted}: {_show(value)} is not one of {', '.join(choices)}{hint}"
        return _error(document, loc, "U205", message)
    if kind in ("too_short", "too_long") and loc and loc[-1] == "endpoints":
        return _error(document, loc, "U205", f"{dotted}: a link has exactly 2 endpoints, "
                      f"found {len(value) if isinstance(value, list) else 0}")
    message = f"{dotted}: {_plain(issue.msg)}" if dotted else _plain(issue.msg)
    if value is not None and kind != "value_error":
        message += f", found {_show(value)}"
    return _error(document, loc, "U205", message)


def dotted_path(loc: tuple[Any, ...]) -> str:
    """`("links", 0, "endpoints")` -> `links[0].endpoints`, as users write paths."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _error(document: Document, loc: tuple[Any, ...], code: str, message: str, *,
           key: bool = False) -> Diagnostic:
    return Diagnostic(document.location(loc, key=key), code, Severity.ERROR, message)


def _plain(msg: str) -> str:
    return msg.replace("Input should be", "should be")


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"a single value ({_show(value)})"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return f"{value} (a number)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema (draft 2020-12 subset that editors read) for each kind of file."""
    schemas = {}
    for name, model in MODELS.items():
        schema = model.json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://unet.dev/schema/{name}.schema.json"
        schemas[name] = schema
    return schemas
