"""`unet index status|rebuild|clear`: the cache that makes repeated runs instant."""

from __future__ import annotations

import click

from unet.cli._app import App

pass_app = click.make_pass_decorator(App)


@click.group()
def index() -> None:
    """Inspect, rebuild or delete the repository's index (a cache; deleting it loses nothing)."""


@index.command("status")
@pass_app
def status(app: App) -> int:
    """Where the index is, what it holds, and whether it matches the repository."""
    from unet.index import index_stats

    for label, value in index_stats(app.repo_root).items():
        click.echo(f"{label + ':':<18} {value}")
    return 0


@index.command("clear")
@pass_app
def clear(app: App) -> int:
    """Delete the index of this repository."""
    from unet.index import clear_index

    removed = clear_index(app.repo_root)
    click.echo(f"removed {removed}" if removed else "no index to remove")
    return 0


@index.command("rebuild")
@click.option("-j", "--jobs", type=int, default=1, show_default=True,
              help="Processes to use (0: one per CPU).")
@pass_app
def rebuild(app: App, jobs: int) -> int:
    """Delete the index and build it again with a full `unet check`."""
    from unet.index import CheckOptions, clear_index, indexed_check
    from unet.source import worktree_snapshot

    root = app.repo_root
    clear_index(root)
    outcome = indexed_check(root, worktree_snapshot(root), CheckOptions(jobs=jobs))
    for note in outcome.notes:
        app.log(f"warning: {note}")
    click.echo(f"indexed {outcome.stats.get('documents_parsed', 0)} files and "
               f"{len(outcome.devices)} devices")
    return 0
