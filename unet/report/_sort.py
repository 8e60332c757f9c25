"""Orders shared by the formats: by location for reading, worst first for capped outputs."""

from __future__ import annotations

from collections.abc import Iterable

from unet.core import Diagnostic, Finding

__all__ = ["Item", "by_location", "ident", "worst_first"]

# Both have `location` and `severity`; reporters that list problems treat them alike.
Item = Diagnostic | Finding


def ident(item: Item) -> str:
    """The rule id of a finding or the code of a diagnostic."""
    return item.rule if isinstance(item, Finding) else item.code


def by_location(findings: Iterable[Finding]) -> list[Finding]:
    """Path, line, column, rule, device: the order of the diagnostic lines."""
    return sorted(findings, key=lambda f: f.sort_key)


def worst_first(items: Iterable[Item]) -> list[Item]:
    """Highest severity first, so capped outputs (annotations, tables) keep what matters."""

    def key(item: Item) -> tuple[int, str, int, int, str, str]:
        loc = item.location
        device = item.device if isinstance(item, Finding) else ""
        return (-item.severity, loc.path, loc.line, loc.col, ident(item), device)

    return sorted(items, key=key)
