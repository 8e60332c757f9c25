"""`path:line:col: CODE severity: message`, one per line; a code frame when styled.

Diagnostics come first, in the order the command produced them, then findings sorted by
path, line, column, rule and device:
`path:line:col: RULE severity: device: message`, or `RULE severity (waived: reason)`,
`(pending deploy)`, and against a baseline `(new)` / `(existing)`; findings the baseline
had and the work tree no longer has follow as `RULE fixed: device: message`.
"""

from __future__ import annotations

from typing import IO

from unet.core import Diagnostic, Finding, Severity, printable
from unet.report._model import Report, SourceLookup, finding_marks, source_lines
from unet.report._sort import Item, by_location

__all__ = ["code_frame", "finding_line", "render"]

_COLOURS = {
    Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"
}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def render(report: Report, stream: IO[str], *, styled: bool = False,
           source: SourceLookup | None = None) -> None:
    # Code frames for people at a terminal, or always when the command asks for them.
    frames = source if styled or report.frames else None
    for diagnostic in report.diagnostics:
        stream.write(_line(diagnostic, styled) + "\n")
        if frames is not None:
            stream.write(code_frame(diagnostic, frames, styled=styled))
    for finding in by_location(report.findings):
        stream.write(finding_line(finding, styled=styled) + "\n")
        if frames is not None:
            stream.write(code_frame(finding, frames, styled=styled))
            if finding.related:
                mark = f"{_DIM}={_RESET}" if styled else "="
                stream.write(f"  {mark} policy: {finding.related[0]}\n")
    if report.baseline is not None:
        for finding in by_location(report.baseline.fixed):
            stream.write(printable(f"{_where(finding)}: {finding.rule} fixed: {finding.device}: "
                                   f"{finding.message}") + "\n")


# Every text from the repository, a device or a report file goes through `printable`: a
# hostile value must not rewrite or hide a line of the output (CI logs included).

def _where(item: Item) -> str:
    loc = item.location
    # Always three positional fields so editors and `grep` see one shape.
    return printable(f"{loc.path}:{loc.line or 1}:{loc.col or 1}")


def _line(diagnostic: Diagnostic, styled: bool) -> str:
    if not styled:
        return str(diagnostic)  # printable already
    colour = _COLOURS[diagnostic.severity]
    return (f"{_BOLD}{_where(diagnostic)}{_RESET}: {_DIM}{printable(diagnostic.code)}{_RESET} "
            f"{colour}{diagnostic.severity.label}{_RESET}: {printable(diagnostic.message)}")


def finding_line(finding: Finding, *, styled: bool = False) -> str:
    """`path:line:col: RULE severity: device: message`, with `(waived: reason)` if waived."""
    severity = finding.severity.label
    marks = [*finding_marks(finding)]
    if finding.waived is not None:
        marks.append(f"waived: {finding.waived}")
    waived = f" ({'; '.join(marks)})" if marks else ""
    if not styled:
        return printable(f"{_where(finding)}: {finding.rule} {severity}{waived}: "
                         f"{finding.device}: {finding.message}")
    # A waived finding is accepted, so it should not shout in the severity's colour.
    quiet = finding.waived is not None or finding.pending is not None
    colour = _DIM if quiet else _COLOURS[finding.severity]
    return (f"{_BOLD}{_where(finding)}{_RESET}: {_DIM}{printable(finding.rule)}{_RESET} "
            f"{colour}{severity}{_RESET}{_DIM}{printable(waived)}{_RESET}: "
            f"{_BOLD}{printable(finding.device)}{_RESET}: {printable(finding.message)}")


FRAME_WIDTH = 120  # characters of a long line shown around the column


def code_frame(item: Item, source: SourceLookup, *, styled: bool = False) -> str:
    """The offending line with a caret under the column, as compilers show it."""
    loc = item.location
    text = source(loc.path) if loc.line else None
    if text is None:
        return ""
    lines = source_lines(text)
    if not 0 < loc.line <= len(lines):
        return ""
    number = str(loc.line)
    gutter = " " * len(number)
    line = lines[loc.line - 1].expandtabs(1)
    col = max(loc.col - 1, 0)
    if len(line) > FRAME_WIDTH:  # a window around the column, not kilobytes of one line
        start = max(min(col - FRAME_WIDTH // 2, len(line) - FRAME_WIDTH), 0)
        end = start + FRAME_WIDTH
        shown = line[start:end]
        line = ("…" if start else "") + shown + ("…" if end < len(line) else "")
        col = col - start + (1 if start else 0)
    # Under the character the column names, however wide what precedes it is shown.
    before = line[:col]
    caret = " " * (len(printable(before)) + max(col - len(before), 0)) + "^"
    if styled:
        caret = _COLOURS[item.severity] + caret + _RESET
    return f" {number} | {printable(line)}\n {gutter} | {caret}\n"
