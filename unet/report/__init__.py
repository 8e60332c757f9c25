"""Turn results into output: one module per format, looked up by name.

A format module has `render(report, stream, *, styled=False, source=None)`.
`source(path)` returns a file's text (for code frames) or None.
"""

from __future__ import annotations

import importlib
from typing import IO

from unet.report._model import Report, SourceLookup, summary_line

__all__ = ["FORMATS", "Report", "SourceLookup", "render", "summary_line"]

# format name -> module; modules import on use so unused formats cost nothing.
FORMATS: dict[str, str] = {
    "text": "unet.report.text",
    "json": "unet.report.json",
}


def render(report: Report, fmt: str, stream: IO[str], *, styled: bool = False,
           source: SourceLookup | None = None) -> None:
    """Write `report` to `stream` in format `fmt` (a key of FORMATS)."""
    module = importlib.import_module(FORMATS[fmt])
    module.render(report, stream, styled=styled, source=source)
