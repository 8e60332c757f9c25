"""Dialect registry: name -> rule table. Adding a dialect means adding a module here."""

from __future__ import annotations

import difflib

from unet.config.dialects import eos, frr, ios, iosxr, junos, nxos
from unet.config.rules import DialectRules

__all__ = ["DIALECTS", "get_dialect"]

DIALECTS: dict[str, DialectRules] = {
    "eos": eos.RULES,
    "frr": frr.RULES,
    "ios": ios.RULES,
    "iosxe": ios.RULES,
    "iosxr": iosxr.RULES,
    "junos": junos.RULES,
    "nxos": nxos.RULES,
}

_ALIASES = {alias: rules for rules in DIALECTS.values() for alias in rules.aliases}


def get_dialect(name: str | DialectRules) -> DialectRules:
    """The rule table for `name`; an unknown name is a ValueError with a did-you-mean."""
    if isinstance(name, DialectRules):
        return name
    key = name.strip().lower()
    found = DIALECTS.get(key) or _ALIASES.get(key)
    if found is None:
        close = difflib.get_close_matches(key, [*DIALECTS, *_ALIASES], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown platform {name!r} (known: {', '.join(DIALECTS)}){hint}")
    return found
