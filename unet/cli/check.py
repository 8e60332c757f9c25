"""`unet check`: evaluate the policies on the devices."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from unet.cli._app import App
from unet.cli._options import report_options

if TYPE_CHECKING:
    from unet.policy import ConfigView, Context
    from unet.source import Snapshot

pass_app = click.make_pass_decorator(App)

FORMATS = ["text", "concise", "json", "sarif", "junit", "github", "markdown"]
SEVERITIES = ["error", "warning", "info", "never"]


@click.command()
@click.argument("devices", nargs=-1)
@click.option("--where", metavar="CONDITION",
              help="Only devices matching a policy condition, e.g. 'node.role == \"core\"'.")
@report_options(FORMATS)
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="error", show_default=True,
              help="Exit 1 when a finding is at least this severe ('never': only errors exit).")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even with findings (input errors still exit 2).")
@pass_app
def check(app: App, devices: tuple[str, ...], where: str | None, fmt: str,
          reports: list[tuple[str, str]], fail_on: str, exit_zero: bool) -> int:
    """Check DEVICES (default: all) against every policy in policies/.

    Each finding names the rule, the device and the line to edit: the YAML value
    the rule looked at (in the file it was inherited from) or the line of the
    running configuration. Waivers in waivers.yaml mark accepted findings.
    """
    from unet.cli._errors import check_exit_code
    from unet.cli._output import emit_report
    from unet.cli._repo import load_repository
    from unet.policy import run_check
    from unet.report import check_report

    repo = load_repository(app)
    run = run_check(repo.snapshot, repo.inventory, names=devices, where=where,
                    intended=_intended(repo.snapshot))
    report = check_report(run, repo.inventory.diagnostics)
    emit_report(app, report, fmt, reports, source=repo.source_text)
    return check_exit_code(report, fail_on=fail_on, exit_zero=exit_zero)


def _intended(snapshot: Snapshot) -> Callable[[Context], ConfigView | None]:
    """Render a device's intended config from the policy context (data after SET, templates
    added by APPLY), with one TemplateSet for the whole run."""
    from unet.policy import ConfigView
    from unet.templates import load_templates, render_device

    templates = load_templates(snapshot)

    def render(ctx: Context) -> ConfigView | None:
        result = render_device(ctx.device, snapshot, applied=ctx.applied, data=ctx.data,
                               templates=templates)
        return ConfigView.of(result.tree) if result.tree is not None else None

    return render
