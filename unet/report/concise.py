"""The text lines without colour or code frames: for pre-commit, editors and problem matchers."""

from __future__ import annotations

from typing import IO

from unet.report import text
from unet.report._model import Report, SourceLookup

__all__ = ["render"]


def render(report: Report, stream: IO[str], *, styled: bool = False,
           source: SourceLookup | None = None) -> None:
    # Machines parse these lines, so never colour and never frame them.
    text.render(report, stream, styled=False, source=None)
