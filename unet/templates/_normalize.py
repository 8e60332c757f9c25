"""`normalizers:` of unet.yaml: regexes applied to each line of running and intended
configurations before they are compared.

A pattern is matched against one line at a time (without its line break): `^` and `$`
anchor at the start and end of the line, as in `grep`. A line a normaliser leaves blank
is dropped. The lines a normaliser rewrote are remembered: their text is unet's, not the
device's, so remediation never sends them ("not comparable").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from unet.core import Diagnostic, Location, Severity
from unet.inventory import SETTINGS_FILE

__all__ = ["Normalizer", "compile_normalizers", "normalize"]


class Normalizer(NamedTuple):
    """A compiled `normalizers:` entry of unet.yaml."""

    pattern: re.Pattern[str]
    replace: str
    platforms: frozenset[str] | None
    index: int  # type: ignore[assignment]  # the entry's position in unet.yaml, not tuple.index


def _compile(pattern: str) -> re.Pattern[str]:
    """The one place a normaliser pattern is compiled (MULTILINE: `^` is a line start)."""
    return re.compile(pattern, re.MULTILINE)


def compile_normalizers(settings: Mapping[str, Any]) -> tuple[Normalizer, ...]:
    """The settings' normalisers (already validated by the inventory; bad ones are skipped)."""
    out = []
    for index, item in enumerate(settings.get("normalizers") or ()):
        try:
            pattern = _compile(item["pattern"])
        except (re.error, KeyError, TypeError):
            continue
        platforms = item.get("platforms")
        out.append(Normalizer(pattern, item.get("replace") or "",
                              frozenset(platforms) if platforms else None, index))
    return tuple(out)


def normalize(text: str, normalizers: Iterable[Normalizer], platform: str | None, *,
              changed: set[str] | None = None) -> tuple[str, list[Diagnostic]]:
    """Apply each normaliser line by line; a line it leaves blank is dropped. The text of
    each line a normaliser rewrote (stripped) is added to `changed`."""
    problems: list[Diagnostic] = []
    for rule in normalizers:
        if rule.platforms is not None and platform not in rule.platforms:
            continue
        if not rule.pattern.search(text):  # the common case: one C-speed scan, no line loop
            continue
        try:
            text = _lines(text, rule, changed)
        except re.error as exc:  # a bad group reference in `replace`
            problems.append(Diagnostic(Location(SETTINGS_FILE), "U205", Severity.ERROR,
                                       f"normalizers[{rule.index}].replace: {exc}"))
    return text, problems


def _lines(text: str, rule: Normalizer, changed: set[str] | None) -> str:
    out = []
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        new = rule.pattern.sub(rule.replace, bare)
        if new != bare and new.strip() and changed is not None:
            changed.add(new.strip())
        if new.strip() or not line.strip():
            out.append(new + "\n" if line.endswith("\n") else new)
    return "".join(out)
