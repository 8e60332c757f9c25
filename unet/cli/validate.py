"""`unet validate`: every problem in the repository's data, in one run."""

from __future__ import annotations

import click

from unet.cli._app import App
from unet.cli._options import report_options

pass_app = click.make_pass_decorator(App)


@click.command()
@report_options(["text", "json"])
@pass_app
def validate(app: App, fmt: str, reports: list[tuple[str, str]]) -> int:
    """Check the schema, inheritance and references of every data file.

    Every problem is reported, sorted by file and line, as
    `path:line:col: CODE severity: message`. Exit code 2 when any error is found.
    """
    from unet.cli._errors import EXIT_OK, EXIT_USAGE
    from unet.cli._output import emit_report
    from unet.cli._repo import load_repository
    from unet.core import has_errors
    from unet.report import Report

    repo = load_repository(app)
    inventory = repo.inventory
    stats = {"devices": len(inventory.devices), "files": repo.data_file_count}
    report = Report("validate", inventory.diagnostics, stats)
    emit_report(app, report, fmt, reports, source=repo.source_text)
    return EXIT_USAGE if has_errors(report.diagnostics) else EXIT_OK
