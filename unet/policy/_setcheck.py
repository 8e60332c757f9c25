"""Whether a value fits the device field a `SET` writes, by the inventory's own schema.

`SET node.platform TO "nonexistent"` would break every rule after it (no dialect to
parse `running` with), so a value that does not fit is refused: at compile time for a
literal, else as a finding at the SET's line, and the device keeps its value.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from unet.inventory import MODELS

__all__ = ["CHOICES", "SetCheck", "set_check"]

# Fields whose allowed values come from unet.yaml (`roles`, `lifecycles`).
CHOICES = {"role": "roles", "lifecycle": "lifecycles"}

# (value, allowed values from unet.yaml or None when unknown) -> what is wrong, or None.
SetCheck = Callable[[Any, "dict[str, list[str]] | None"], "str | None"]


def set_check(path: tuple[Any, ...]) -> SetCheck | None:
    """The check for a SET of `path` (a device-data path), or None when anything goes."""
    if not path or path[0] == "vars":
        return None
    device = MODELS["device"].model_fields
    if len(path) == 1 and path[0] in device:
        field = str(path[0])
        return _checker(field, "device", field)
    if path[0] == "interfaces" and len(path) == 2:
        return _checker(f"interfaces.{path[1]}", "interface", "*")
    interface = MODELS["device"].model_fields["interfaces"]
    if path[0] == "interfaces" and len(path) == 3 and interface is not None:
        return _checker(f"interfaces.{path[1]}.{path[2]}", "interface", str(path[2]))
    return None


def _checker(shown: str, model: str, field: str) -> SetCheck:
    def check(value: Any, choices: dict[str, list[str]] | None) -> str | None:
        problem = _validate(model, field, value)
        if problem is None and field in CHOICES and choices and value is not None:
            allowed = choices.get(field)
            if allowed is not None and value not in allowed:
                problem = f"not one of unet.yaml {CHOICES[field]}: {', '.join(allowed)}"
        return None if problem is None else f"{_show(value)} does not fit node.{shown}: {problem}"

    return check


def _validate(model: str, field: str, value: Any) -> str | None:
    if value is None:
        return None
    adapter = _adapter(model, field)
    if adapter is None:
        return None
    from pydantic import ValidationError

    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        errors = exc.errors()
        return str(errors[0]["msg"]) if errors else "invalid"
    return None


@cache
def _adapter(model: str, field: str) -> Any:
    from pydantic import TypeAdapter

    if model == "interface" and field == "*":  # one whole interface
        return TypeAdapter(_interface_model() | None)
    if model == "interface":
        target = _interface_model()
        info = target.model_fields.get(field) if target is not None else None
    else:
        info = MODELS["device"].model_fields.get(field)
    if info is None:
        return None
    annotation: Any = info.annotation
    if info.metadata:
        from typing import Annotated

        annotation = Annotated[(annotation, *info.metadata)]
    return TypeAdapter(annotation)


def _interface_model() -> Any:
    from typing import get_args

    for arg in get_args(MODELS["device"].model_fields["interfaces"].annotation):
        for inner in get_args(arg):  # dict[str, Interface | None]
            for candidate in get_args(inner) or (inner,):
                if hasattr(candidate, "model_fields"):
                    return candidate
    return None


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "..."
