"""`unet pull`: running configurations and facts from the devices into the repository."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from unet.cli._app import App
from unet.cli._complete import complete_devices

if TYPE_CHECKING:
    from unet.devices import PullResult

pass_app = click.make_pass_decorator(App)

__all__ = ["pull"]


def _shard(ctx: click.Context, param: click.Parameter, value: str | None,
           ) -> tuple[int, int] | None:
    from unet.cli.check import _shard as parse

    return parse(ctx, param, value)


@click.command()
@click.argument("names", metavar="[DEVICE]...", nargs=-1, shell_complete=complete_devices)
@click.option("--where", metavar="CONDITION",
              help="Only devices matching a policy condition, e.g. 'node.role == \"core\"'.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=16, show_default=True,
              help="Devices talked to at once.")
@click.option("--commit", "commit", is_flag=True,
              help="Make one git commit of what changed, naming the devices.")
@click.option("--shard", metavar="K/N", callback=_shard,
              help="Only the K-th of N stable partitions of the devices (one CI job each).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format of the result table on stdout.")
@pass_app
def pull(app: App, names: tuple[str, ...], where: str | None, jobs: int, commit: bool,
         shard: tuple[int, int] | None, fmt: str) -> int:
    """Collect running configurations and facts from devices.

    Each device's running configuration goes to configs/<device>.cfg (or where
    `running_configs` in unet.yaml says), noise lines removed and secrets masked
    (`backup: scrub:`), and only when it changed; its facts (version, model, serial,
    uptime, LLDP neighbours) to state/<device>.yaml, readable in policies as derived.*.
    Passwords come from UNET_DEVICE_PASSWORD, the keyring (`unet auth set-password`)
    or SSH keys. A device that fails keeps its stored files; exit 1 when any failed.
    """
    import sys
    import time

    from unet.cli._output import DeviceProgress
    from unet.cli._repo import load_repository, warn_if_invalid
    from unet.devices import choose, commit_pull
    from unet.devices import pull as run_pull
    from unet.report.pull import pull_summary, render_pull

    start = time.perf_counter()
    repo = load_repository(app)
    warn_if_invalid(app, repo)
    inventory = repo.inventory
    devices = choose(inventory, repo.snapshot, names=names, where=where, shard=shard)
    if not devices:
        app.log("pull: no devices selected")
        return 0
    scrub = bool(inventory.settings.get("backup", {}).get("scrub", True))
    with DeviceProgress(app, "pull", len(devices)) as on_event:
        result = run_pull(repo.root, repo.snapshot, inventory, devices, jobs=jobs, scrub=scrub,
                          on_event=on_event)
    for diagnostic in result.diagnostics:
        print(diagnostic, file=sys.stderr)
    if result.diagnostics:
        return 2
    if commit:
        commit_pull(repo.root, result)
    render_pull(result, fmt, sys.stdout, styled=fmt == "text" and app.styled())
    if result.commit_error:
        app.log(f"error: {result.commit_error}")
    app.log(f"pull: {pull_summary(result, time.perf_counter() - start)}", level=0)
    if result.interrupted:
        from unet.cli._errors import EXIT_INTERRUPTED

        app.log("pull: interrupted (Ctrl-C): the devices not yet started were not pulled")
        return EXIT_INTERRUPTED
    return _exit_code(result)


def _exit_code(result: PullResult) -> int:
    if any(r.input_error for r in result.failed):
        return 2
    return 1 if result.failed or result.commit_error else 0
