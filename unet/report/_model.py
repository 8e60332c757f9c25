from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from unet.core import Diagnostic, Severity, count_by_severity

__all__ = ["Report", "SourceLookup", "summary_line"]

SourceLookup = Callable[[str], "str | None"]


@dataclass(slots=True)
class Report:
    """What a command found: diagnostics plus counts for the summary."""

    command: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Facts for the summary line and machine-readable output (files read, devices, ...).
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def counts(self) -> dict[Severity, int]:
        return count_by_severity(self.diagnostics)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary_line(report: Report) -> str:
    """One human line: `2 errors, 1 warning in 14 devices (31 files)`."""
    counts = report.counts
    problems = [_plural(counts[s], s.label) for s in (Severity.ERROR, Severity.WARNING)
                if counts[s]]
    scope = ", ".join(_plural(v, k.rstrip("s")) for k, v in report.stats.items()
                      if isinstance(v, int))
    verdict = ", ".join(problems) if problems else "no problems"
    return f"{verdict} ({scope})" if scope else verdict
