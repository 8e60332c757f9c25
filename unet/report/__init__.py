"""Turn results into output: one module per format, looked up by name.

A format module has `render(report, stream, *, styled=False, source=None)`.
`source(path)` returns a file's text (for code frames) or None.
"""

from __future__ import annotations

import importlib
from typing import IO, TYPE_CHECKING

from unet.report._merge import merge_reports
from unet.report._model import Baseline, Report, RuleSummary, SourceLookup, summary_line

if TYPE_CHECKING:
    from unet.index import CheckOutcome

__all__ = [
    "FORMATS",
    "Baseline",
    "Report",
    "RuleSummary",
    "SourceLookup",
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


def outcome_report(outcome: CheckOutcome, *, show_existing: bool = False,
                   shard: tuple[int, int] | None = None) -> Report:
    """The Report of a check answered through the index."""
    from unet.report._from_check import outcome_report as build

    return build(outcome, show_existing=show_existing, shard=shard)
