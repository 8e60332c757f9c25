"""`unet init`: start a new network repository."""

from __future__ import annotations

import click

from unet.cli._app import App

pass_app = click.make_pass_decorator(App)


@click.command()
@click.argument("target", metavar="PATH", default=".", type=click.Path(file_okay=False))
@click.option("--name", help="The network's name (default: the directory name).")
@click.option("--no-git", is_flag=True, help="Do not run `git init`.")
@pass_app
def init(app: App, target: str, name: str | None, no_git: bool) -> int:
    """Create a network repository at PATH (default: here).

    Writes unet.yaml, the data folders, one example device, JSON Schemas for
    editors (schema/, wired up in .vscode/settings.json and in a
    `# yaml-language-server` line of each file), and runs `git init` when PATH
    is not yet in a git repository. Existing files are never overwritten.

    Exit codes: 0 created; 2 unet.yaml already exists there (or PATH cannot be written).
    """
    from pathlib import Path

    from unet.cli._app import find_repo_root
    from unet.core import UnetError
    from unet.inventory import scaffold
    from unet.source import init_repository, is_git_repository

    path = Path(target)

    if (path / "unet.yaml").exists():
        raise UnetError(f"{path / 'unet.yaml'} already exists; this is already a unet repository")
    outer = find_repo_root(path.resolve().parent)
    if outer is not None:  # its commands would no longer see the new one's files, nor it theirs
        app.log(f"warning: {path} is inside the unet repository at {outer}; the new "
                "repository is separate from it (run unet in it, or pick a path outside)")
    try:
        created = scaffold(path, name=name)
    except OSError as exc:
        raise UnetError(f"cannot create the repository at {path}: {exc.strerror or exc}") from None
    for relative in created:
        click.echo(f"created {(path / relative).as_posix()}")
    if not no_git and not is_git_repository(path):
        try:
            init_repository(path)
            click.echo(f"initialised a git repository in {path}")
        except OSError as exc:
            app.log(f"warning: {exc}; run `git init` yourself")
    app.log(f"Next: cd {path} && unet validate && unet devices list")
    return 0
