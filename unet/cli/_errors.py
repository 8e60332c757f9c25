"""One handler for every way a command can end, and the table of exit codes."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click

from unet import __version__
from unet.core import UnetError

__all__ = ["EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "run"]

EXIT_OK = 0
EXIT_FINDINGS = 1  # findings at or above --fail-on, or differences with --exit-code
EXIT_USAGE = 2  # the user can fix it: bad input, bad options, not in a repository
EXIT_INTERNAL = 3  # a bug in unet
EXIT_INTERRUPTED = 130

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
    except UnetError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stdout)
        print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_FINDINGS
    except Exception:
        return _report_bug()
    return result if isinstance(result, int) else EXIT_OK


def _silence_stdout() -> None:
    # The reader went away (`unet devices list | head`); don't traceback on exit flush.
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _report_bug() -> int:
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
