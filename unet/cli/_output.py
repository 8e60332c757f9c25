"""Hand a report to the reporters: stdout in the chosen format, extra files, summary."""

from __future__ import annotations

import functools
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from unet.cli._app import App
from unet.core import UnetError
from unet.report import Report, SourceLookup, render, summary_line
from unet.source import Snapshot, SnapshotReadError

__all__ = ["DeviceProgress", "emit_report", "source_text", "write_file", "write_report"]


def emit_report(app: App, report: Report, fmt: str, reports: list[tuple[str, str]],
                source: SourceLookup | None = None) -> None:
    render(report, fmt, sys.stdout, styled=fmt == "text" and app.styled(), source=source)
    for target_fmt, target in reports:
        write_report(target, functools.partial(render, report, target_fmt, source=source))
    if app.verbosity >= 0:
        print(f"{report.command}: {summary_line(report)}", file=sys.stderr)


def write_file(path: Path, text: str, what: str = "") -> None:
    """Write a file the user asked for: a symlink there is replaced, not followed."""
    from unet.paths import write_replacing

    try:
        write_replacing(path, text)
    except OSError as exc:
        raise UnetError(f"cannot write {what}{path}: {exc.strerror or exc}") from None


def write_report(target: str, fill: Callable[[TextIO], object]) -> None:
    """A report file, rendered whole before anything is written."""
    buffer = io.StringIO()
    fill(buffer)
    write_file(Path(target), buffer.getvalue(), "report ")


def source_text(snapshot: Snapshot) -> SourceLookup:
    """A file's text for code frames; None when it cannot be shown."""

    def lookup(path: str) -> str | None:
        try:
            return snapshot.read(path).decode("utf-8", errors="replace")
        except SnapshotReadError:
            return None

    return lookup


class DeviceProgress:
    """A progress bar on stderr for a command working through devices, when stderr is a
    terminal; the callback it yields takes (device, step) events. Without a bar, steps
    go to the log at -v when `log_steps`, else the callback is None."""

    def __init__(self, app: App, command: str, total: int, *, log_steps: bool = False) -> None:
        self.app, self.command, self.total, self.log_steps = app, command, total, log_steps
        self.enabled = (sys.stderr.isatty() and app.verbosity >= 0 and app.color != "never"
                        and not (log_steps and app.verbosity >= 1))
        self.bar: Any = None

    def __enter__(self) -> Callable[[str, str], None] | None:
        app, command = self.app, self.command
        if not self.enabled:
            if not self.log_steps:
                return None

            def log(device: str, what: str) -> None:
                if not device:  # the run's own news (Ctrl-C): always said
                    app.log(f"{command}: {what}")
                else:
                    app.log(f"{command}: {device}: {what}", level=1)

            return log
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(TextColumn(command), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.description}"), transient=True,
                            console=app.console("stderr"))
        self.bar.start()
        task = self.bar.add_task("", total=self.total)

        def show(device: str, what: str) -> None:
            if what in ("done", "failed"):
                self.bar.advance(task)
            else:
                self.bar.update(task, description=f"{device}: {what}" if device else what)

        return show

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
