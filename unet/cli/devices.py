"""`unet devices list|show`: the resolved inventory."""

from __future__ import annotations

import sys
from typing import Any

import click

from unet.cli._app import App
from unet.cli._complete import complete_devices, complete_groups, complete_locations

pass_app = click.make_pass_decorator(App)

_FILTER: dict[str, Any] = {"multiple": True, "metavar": "NAME"}


@click.group()
def devices() -> None:
    """List devices and show one device's resolved data."""


@devices.command("list")
@click.option("--role", **_FILTER, help="Only devices with this role (repeatable).")
@click.option("--platform", **_FILTER, help="Only this platform (repeatable).")
@click.option("--location", **_FILTER, shell_complete=complete_locations,
              help="Only devices at or below this location (repeatable).")
@click.option("--group", **_FILTER, shell_complete=complete_groups,
              help="Only members of this group, directly or by parent.")
@click.option("--where", metavar="CONDITION",
              help="Only devices matching a policy condition, e.g. 'node.vars.asn > 65000'.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "yaml", "csv"]),
              default="table", show_default=True, help="Output format.")
@pass_app
def list_devices(app: App, role: tuple[str, ...], platform: tuple[str, ...],
                 location: tuple[str, ...], group: tuple[str, ...], where: str | None,
                 fmt: str) -> int:
    """List devices with their platform, role, lifecycle, location and groups."""
    from unet.cli._repo import load_repository, warn_if_invalid
    from unet.inventory import select_devices
    from unet.report.devices import render_devices

    repo = load_repository(app)
    warn_if_invalid(app, repo)
    chosen = select_devices(repo.inventory, role=role, platform=platform, location=location,
                            group=group)
    if where is not None:
        from unet.policy import select

        names = {d.name for d in select(repo.inventory, where=where,
                                        snapshot=repo.snapshot)}
        chosen = [d for d in chosen if d.name in names]
    render_devices(chosen, fmt, sys.stdout, styled=fmt == "table" and app.styled())
    app.log(f"{len(chosen)} of {len(repo.inventory.devices)} devices", level=1)
    return 0


@devices.command("show")
@click.argument("name", shell_complete=complete_devices)
@click.option("--explain", is_flag=True, help="Show the file:line each value comes from.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "yaml"]), default="text",
              show_default=True, help="Output format.")
@pass_app
def show_device(app: App, name: str, explain: bool, fmt: str) -> int:
    """Show one device after inheritance (defaults, locations, groups, device file)."""
    from unet.cli._repo import load_repository, warn_if_invalid
    from unet.inventory import unknown_device
    from unet.report.devices import render_device

    repo = load_repository(app)
    warn_if_invalid(app, repo)
    device = repo.inventory.device(name)
    if device is None:
        raise unknown_device(repo.inventory, name, "; `unet devices list` shows them all")
    render_device(device, fmt, sys.stdout, explain=explain)
    return 0
