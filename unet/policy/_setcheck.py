"""Whether a value fits the device field a `SET` writes, by the inventory's own schema.

`SET node.platform TO "nonexistent"` would break every rule after it (no dialect to
parse `running` with), so a value that does not fit is refused: at compile time for a
literal, else as a finding at the SET's line, and the device keeps its value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from unet.inventory import MODELS
from unet.inventory.shape import Field, Issue, MapOf, Model
from unet.policy._values import show_value

__all__ = ["CHOICES", "SetCheck", "choices_of", "set_check"]

# Fields whose allowed values come from unet.yaml (`roles`, `lifecycles`).
CHOICES = {"role": "roles", "lifecycle": "lifecycles"}

# (value, allowed values from unet.yaml or None when unknown) -> what is wrong, or None.
SetCheck = Callable[[Any, "dict[str, list[str]] | None"], "str | None"]


def choices_of(path: tuple[Any, ...]) -> tuple[str, ...]:
    """The values the schema allows at a device-data path, when it lists them."""
    device = MODELS["device"].fields
    spec = device[path[0]].spec if len(path) == 1 and path[0] in device else None
    return tuple(str(c) for c in getattr(spec, "choices", ()) or ())


def set_check(path: tuple[Any, ...]) -> SetCheck | None:
    """The check for a SET of `path` (a device-data path), or None when anything goes."""
    if not path or path[0] == "vars":
        return None
    device = MODELS["device"].fields
    if len(path) == 1 and path[0] in device:
        field = str(path[0])
        return _checker(field, field, device[field])
    interfaces = device["interfaces"].spec  # name -> Interface
    model = interfaces.value if isinstance(interfaces, MapOf) else None
    if path[0] != "interfaces" or not isinstance(model, Model):
        return None
    if len(path) == 2:
        return _checker(f"interfaces.{path[1]}", "*", Field(model))
    if len(path) == 3 and path[2] in model.fields:
        return _checker(f"interfaces.{path[1]}.{path[2]}", str(path[2]), model.fields[path[2]])
    return None


def _checker(shown: str, field: str, spec: Field) -> SetCheck:
    def check(value: Any, choices: dict[str, list[str]] | None) -> str | None:
        problem = _validate(spec, value)
        if problem is None and field in CHOICES and choices and value is not None:
            allowed = choices.get(field)
            if allowed is not None and value not in allowed:
                problem = f"not one of unet.yaml {CHOICES[field]}: {', '.join(allowed)}"
        return None if problem is None else f"{_show(value)} does not fit node.{shown}: {problem}"

    return check


def _validate(spec: Field, value: Any) -> str | None:
    if value is None:
        return None
    issues: list[Issue] = []
    spec.check(value, (), issues)
    return str(issues[0].msg) if issues else None


def _show(value: Any) -> str:
    return show_value(value, 60)  # as the policy language writes it: "x", true, {"a": 1}
