"""`unet validate`: every problem in the repository's data and templates, in one run."""

from __future__ import annotations

import click

from unet.cli._app import App
from unet.cli._options import report_options

pass_app = click.make_pass_decorator(App)


@click.command()
@report_options(["text", "json"])
@click.option("--no-cache", is_flag=True, help="Ignore the index for this run.")
@pass_app
def validate(app: App, fmt: str, reports: list[tuple[str, str]], no_cache: bool) -> int:
    """Check the schema, inheritance and references of every data file, render every
    device's templates, and check waivers.yaml (its shape, unknown rules and devices,
    expired dates).

    Every problem is reported, sorted by file and line, as
    `path:line:col: CODE severity: message`; a template error names the template line and
    the device line that chose the template. Exit codes: 0 no errors, 2 any error.
    """
    from unet.cli._errors import EXIT_OK, EXIT_USAGE
    from unet.cli._output import emit_report, source_text
    from unet.core import has_errors
    from unet.index import indexed_validate
    from unet.report import Report
    from unet.source import worktree_snapshot

    root = app.repo_root
    snapshot = worktree_snapshot(root)
    outcome = indexed_validate(root, snapshot, use_index=not no_cache)
    for note in outcome.notes:
        app.log(f"warning: {note}")
    files = sum(1 for p in snapshot.files() if p.startswith(_DATA_PREFIXES))
    report = Report("validate", outcome.diagnostics, {"devices": outcome.devices,
                                                      "files": files})
    emit_report(app, report, fmt, reports, source=source_text(snapshot))
    return EXIT_USAGE if has_errors(report.diagnostics) else EXIT_OK


_DATA_PREFIXES = ("unet.yaml", "defaults.y", "locations/", "groups/", "devices/", "links/",
                  "waivers.yaml")
