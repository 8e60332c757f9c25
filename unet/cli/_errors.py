"""One handler for every way a command can end, and the table of exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from pathlib import Path

    from unet.report import Report

from unet import __version__

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PIPE",
    "EXIT_USAGE",
    "ClosedPipe",
    "check_exit_code",
    "run",
]

EXIT_OK = 0
EXIT_FINDINGS = 1  # findings at or above --fail-on, or differences with --exit-code
EXIT_USAGE = 2  # the user can fix it: bad input, bad options, not in a repository
EXIT_INTERNAL = 3  # a bug in unet
EXIT_INTERRUPTED = 130
EXIT_PIPE = 141  # the reader of the output went away: what a shell shows for SIGPIPE

ISSUES_URL = "https://github.com/unet-project/unet/issues"


def run(invoke: Callable[[], object]) -> int:
    """Call `invoke` (a click main in non-standalone mode) and map its outcome to an exit code."""
    try:
        result = invoke()
    except click.exceptions.Exit as exc:  # --help, --version
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except click.exceptions.Abort:
        print("Aborted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (BrokenPipeError, ClosedPipe):  # not 1: that would say the run found something
        _silence_stdout()
        return EXIT_PIPE
    except Exception as exc:
        return _input_error(exc) if _is_input_error(exc) else _report_bug()
    try:
        sys.stdout.flush()  # what is still buffered, while a closed pipe can be told apart
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE
    return result if isinstance(result, int) else EXIT_OK


class ClosedPipe(Exception):
    """The reader of standard output went away while a command wrote to it."""


def check_exit_code(report: Report, *, fail_on: str, exit_zero: bool = False,
                    fail_on_pending: bool = False) -> int:
    """2 for errors in the input, else 1 for unwaived findings at or above `fail_on`
    (findings waiting for a deploy only with `fail_on_pending`; against a baseline, only
    new ones)."""
    from unet.core import Severity

    if any(d.severity is Severity.ERROR for d in report.diagnostics):
        return EXIT_USAGE
    if exit_zero or fail_on == "never":
        return EXIT_OK
    threshold = Severity.parse(fail_on)
    failing = any(f.waived is None and f.severity >= threshold and f.baseline != "unchanged"
                  and (f.pending is None or fail_on_pending) for f in report.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _is_input_error(exc: Exception) -> bool:
    # unet.core is imported only when something failed: `unet --help` stays light.
    from unet.core import UnetError

    return isinstance(exc, UnetError)


def _input_error(exc: Exception) -> int:
    from unet.core import printable

    message = str(getattr(exc, "message", exc))
    diagnostics = getattr(exc, "diagnostics", ())
    if diagnostics and all(d.message in message for d in diagnostics):
        # The summary would only repeat them: each once, where errors go, at its place.
        for diagnostic in diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_USAGE
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stdout)
    print(printable(f"error: {message}"), file=sys.stderr)
    return EXIT_USAGE


def _silence_stdout() -> None:
    # The reader went away (`unet devices list | head`); don't traceback on exit flush.
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _report_bug() -> int:
    import traceback

    text = traceback.format_exc()
    log = _write_crash_log(text)
    last = text.strip().splitlines()[-1]
    print(f"internal error: {last}", file=sys.stderr)
    where = f"the log at {log}" if log else "the traceback above"
    if log is None:
        print(text, file=sys.stderr)
    print(
        f"This is a bug in unet {__version__}; please report it at {ISSUES_URL} with {where}.",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


def _write_crash_log(text: str) -> Path | None:
    from datetime import UTC, datetime

    try:
        from unet.paths import cache_dir

        directory = cache_dir() / "logs"
        directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = directory / f"crash-{stamp}.log"
        path.write_text(f"unet {__version__}\n{' '.join(sys.argv)}\n\n{text}", encoding="utf-8")
        return path
    except OSError:
        return None
