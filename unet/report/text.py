"""`path:line:col: CODE severity: message`, one per line; a code frame when styled."""

from __future__ import annotations

from typing import IO

from unet.core import Diagnostic, Severity
from unet.report._model import Report, SourceLookup

__all__ = ["code_frame", "render"]

_COLOURS = {
    Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"
}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def render(report: Report, stream: IO[str], *, styled: bool = False,
           source: SourceLookup | None = None) -> None:
    for diagnostic in report.diagnostics:
        stream.write(_line(diagnostic, styled) + "\n")
        if styled and source is not None:
            stream.write(code_frame(diagnostic, source, styled=True))


def _line(diagnostic: Diagnostic, styled: bool) -> str:
    if not styled:
        return str(diagnostic)
    loc = diagnostic.location
    where = f"{loc.path}:{loc.line or 1}:{loc.col or 1}"
    colour = _COLOURS[diagnostic.severity]
    return (f"{_BOLD}{where}{_RESET}: {_DIM}{diagnostic.code}{_RESET} "
            f"{colour}{diagnostic.severity.label}{_RESET}: {diagnostic.message}")


def code_frame(diagnostic: Diagnostic, source: SourceLookup, *, styled: bool = False) -> str:
    """The offending line with a caret under the column, as compilers show it."""
    loc = diagnostic.location
    text = source(loc.path) if loc.line else None
    if text is None:
        return ""
    lines = text.splitlines()
    if not 0 < loc.line <= len(lines):
        return ""
    number = str(loc.line)
    gutter = " " * len(number)
    caret = " " * max(loc.col - 1, 0) + "^"
    if styled:
        caret = _COLOURS[diagnostic.severity] + caret + _RESET
    return f" {number} | {lines[loc.line - 1].expandtabs(1)}\n {gutter} | {caret}\n"
