"""`unet schema export`: JSON Schema of each kind of file, for editors and CI."""

from __future__ import annotations

import sys

import click

from unet.cli._app import App

pass_app = click.make_pass_decorator(App)

KINDS = ("settings", "defaults", "location", "group", "device", "links")


@click.group()
def schema() -> None:
    """JSON Schemas of the repository's files."""


@schema.command("export")
@click.option("--output", type=click.Path(file_okay=False),
              help="Directory for <kind>.schema.json (default: schema/ in the repository).")
@click.option("--kind", type=click.Choice(KINDS), help="Print only this schema to stdout.")
@pass_app
def export(app: App, output: str | None, kind: str | None) -> int:
    """Write the JSON Schema of every kind of file (or print one with --kind).

    Point your editor at them: `unet init` wires them up in .vscode/settings.json.
    """
    import json
    from pathlib import Path

    from unet.inventory import SCHEMA_DIR, json_schemas, write_schemas

    if kind:
        json.dump(json_schemas()[kind], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    from unet.core import UnetError

    directory = Path(output) if output else app.repo_root / SCHEMA_DIR
    try:
        written_paths = write_schemas(directory)
    except OSError as exc:
        raise UnetError(f"cannot write the schemas to {directory}: "
                        f"{exc.strerror or exc}") from None
    for written in written_paths:
        click.echo(f"wrote {written}")
    return 0
