"""Turn results into output: one module per format, looked up by name.

A format module has `render(report, stream, *, styled=False, source=None)`.
`source(path)` returns a file's text (for code frames) or None.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from unet.report._merge import merge_reports
from unet.report._model import Report, RuleSummary, SourceLookup, summary_line

if TYPE_CHECKING:
    from unet.core import Diagnostic
    from unet.index import CheckOutcome
    from unet.policy import CheckRun

__all__ = [
    "FORMATS",
    "Report",
    "RuleSummary",
    "SourceLookup",
    "check_report",
    "merge_reports",
    "outcome_report",
    "render",
    "summary_line",
]

# format name -> module; modules import on use so unused formats cost nothing.
FORMATS: dict[str, str] = {
    "text": "unet.report.text",
    "concise": "unet.report.concise",
    "json": "unet.report.json",
    "sarif": "unet.report.sarif",
    "junit": "unet.report.junit",
    "github": "unet.report.github",
    "markdown": "unet.report.markdown",
}


def render(report: Report, fmt: str, stream: IO[str], *, styled: bool = False,
           source: SourceLookup | None = None) -> None:
    """Write `report` to `stream` in format `fmt` (a key of FORMATS)."""
    module = importlib.import_module(FORMATS[fmt])
    module.render(report, stream, styled=styled, source=source)


def check_report(run: CheckRun, diagnostics: Iterable[Diagnostic] = ()) -> Report:
    """The Report of a `unet check` run (imports the policy layer only when used)."""
    from unet.report._from_check import check_report as build

    return build(run, diagnostics)


def outcome_report(outcome: CheckOutcome) -> Report:
    """The Report of a check answered through the index."""
    from unet.report._from_check import outcome_report as build

    return build(outcome)
