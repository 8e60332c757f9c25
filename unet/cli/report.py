"""`unet report merge`: one report from the JSON reports of sharded runs."""

from __future__ import annotations

import click

from unet.cli._app import App
from unet.cli._options import report_options

pass_app = click.make_pass_decorator(App)

FORMATS = ["text", "concise", "json", "sarif", "junit", "github", "markdown"]


@click.group()
def report() -> None:
    """Work with saved reports."""


@report.command("merge")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@report_options(FORMATS)
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              default="error", show_default=True, help="As for `unet check`.")
@pass_app
def merge(app: App, files: tuple[str, ...], fmt: str, reports: list[tuple[str, str]],
          fail_on: str) -> int:
    """Merge the `--format json` reports of `unet check --shard K/N` runs.

    The result is the report one unsharded run would have produced, in any format;
    the exit code follows --fail-on as `unet check` does.
    """
    import json
    from pathlib import Path

    from unet.cli._errors import check_exit_code
    from unet.cli._output import emit_report
    from unet.core import UnetError
    from unet.report import merge_reports
    from unet.report.json import from_json

    loaded = []
    for name in files:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except OSError as exc:
            raise UnetError(f"{name}: cannot read it: {exc.strerror or exc}") from None
        except ValueError:
            raise UnetError(f"{name}: not a unet JSON report (not UTF-8 text)") from None
        try:
            loaded.append(from_json(json.loads(text)))
        except ValueError as exc:
            raise UnetError(f"{name}: not a unet JSON report ({exc})") from None
    try:
        merged = merge_reports(loaded)
    except ValueError as exc:
        raise UnetError(str(exc)) from None
    emit_report(app, merged, fmt, reports)
    return check_exit_code(merged, fail_on=fail_on)
