"""Hand a report to the reporters: stdout in the chosen format, extra files, summary."""

from __future__ import annotations

import sys
from pathlib import Path

from unet.cli._app import App
from unet.core import UnetError
from unet.report import Report, SourceLookup, render, summary_line
from unet.source import Snapshot, SnapshotReadError

__all__ = ["emit_report", "source_text"]


def emit_report(app: App, report: Report, fmt: str, reports: list[tuple[str, str]],
                source: SourceLookup | None = None) -> None:
    render(report, fmt, sys.stdout, styled=fmt == "text" and app.styled(), source=source)
    for target_fmt, target in reports:
        try:
            with Path(target).open("w", encoding="utf-8") as stream:
                render(report, target_fmt, stream, source=source)
        except OSError as exc:
            raise UnetError(f"cannot write report {target}: {exc.strerror}") from None
    if app.verbosity >= 0:
        print(f"{report.command}: {summary_line(report)}", file=sys.stderr)


def source_text(snapshot: Snapshot) -> SourceLookup:
    """A file's text for code frames; None when it cannot be shown."""

    def lookup(path: str) -> str | None:
        try:
            return snapshot.read(path).decode("utf-8", errors="replace")
        except SnapshotReadError:
            return None

    return lookup
