"""GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=RULE::message`.

GitHub shows at most 10 annotations of each level per step and silently drops the rest,
so the worst come first, each level stops at MAX_PER_LEVEL, and one notice says how many
were left out. Waived findings are not annotated. When `GITHUB_STEP_SUMMARY` names a file,
the markdown report is appended to it, so the job summary has everything.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from unet.core import Finding, Severity, printable
from unet.report import markdown
from unet.report._model import Report, SourceLookup, finding_marks
from unet.report._sort import Item, ident, worst_first

__all__ = ["MAX_PER_LEVEL", "escape_data", "escape_property", "render"]

MAX_PER_LEVEL = 10
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message (after `::`); other controls are shown, not acted on
    (the log viewer reads colour and cursor sequences)."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """Escape a property value (`file=`, `title=`): also `:` and `,`, which delimit them."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, stream: IO[str], *, styled: bool = False,
           source: SourceLookup | None = None) -> None:
    items = worst_first([*report.diagnostics,
                         *(f for f in report.findings
                           if f.waived is None and f.baseline != "unchanged")])
    shown, left_out = _select(items)
    for item in shown:
        stream.write(annotation(item, quiet_pending=not report.pending_fails) + "\n")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if left_out:
        where = "the job summary" if summary_file else "the text or SARIF report"
        stream.write(f"::notice::{left_out} more problems not annotated "
                     f"(GitHub shows {MAX_PER_LEVEL} per level); see {where}\n")
    if report.baseline is not None:
        base = report.baseline
        stream.write(f"::notice::{_said(report)}\n")
        for finding in base.fixed[:MAX_PER_LEVEL]:
            stream.write(f"::notice title={escape_property(finding.rule)}::"
                         f"{escape_data(f'fixed: {finding.device}: {finding.message}')}\n")
    if summary_file:
        with Path(summary_file).open("a", encoding="utf-8") as summary:
            markdown.render(report, summary)


def _said(report: Report) -> str:
    base = report.baseline
    assert base is not None
    new = sum(f.baseline == "new" for f in report.findings)
    return (f"unet: {new} new since {base.ref}, {base.existing} existing (not annotated), "
            f"{len(base.fixed)} fixed")


def _select(items: list[Item]) -> tuple[list[Item], int]:
    """The annotations GitHub will show (worst first), and how many are left out."""
    per_level: dict[Severity, list[Item]] = {s: [] for s in Severity}
    for item in items:
        per_level[item.severity].append(item)
    keep = dict.fromkeys(Severity, MAX_PER_LEVEL)
    if any(len(group) > MAX_PER_LEVEL for group in per_level.values()):
        keep[Severity.INFO] -= 1  # the closing notice takes a notice slot itself
    shown = [i for s in sorted(Severity, reverse=True) for i in per_level[s][:keep[s]]]
    return shown, len(items) - len(shown)


def annotation(item: Item, *, quiet_pending: bool = True) -> str:
    loc = item.location
    props = [f"file={escape_property(loc.path)}"]
    if loc.line:
        props.append(f"line={loc.line}")
        if loc.col:
            props.append(f"col={loc.col}")
    props.append(f"title={escape_property(ident(item))}")
    # A finding a deploy will fix is no violation of the change: a notice, not an error.
    quiet = quiet_pending and isinstance(item, Finding) and item.pending is not None
    level = "notice" if quiet else _LEVELS[item.severity]
    return f"::{level} {','.join(props)}::{escape_data(_message(item))}"


def _message(item: Item) -> str:
    if not isinstance(item, Finding):
        return item.message
    policy = f" (policy {item.related[0]})" if item.related else ""
    marks = "".join(f" ({m})" for m in finding_marks(item))
    return f"{item.device}: {item.message}{policy}{marks}"
