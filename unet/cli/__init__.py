"""The `unet` command line: a root group that imports each subcommand only when it runs.

Only click and the standard library are imported here, so `unet --help` and
`unet --version` stay fast (a test guards this).
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import Any

import click

from unet import __version__
from unet.cli._app import App, ColorMode

__all__ = ["COMMANDS", "cli", "main"]

# name -> "module:attribute", loaded on first use.
COMMANDS: dict[str, str] = {
    "init": "unet.cli.init:init",
    "validate": "unet.cli.validate:validate",
    "devices": "unet.cli.devices:devices",
    "schema": "unet.cli.schema:schema",
    "check": "unet.cli.check:check",
    "policy": "unet.cli.policy:policy",
    "rules": "unet.cli.rules:rules",
    "index": "unet.cli.index:index",
    "report": "unet.cli.report:report",
    "slice": "unet.cli.slice:slice_command",
    "diff": "unet.cli.diff:diff",
    "config": "unet.cli.config:config",
    "render": "unet.cli.render:render",
    "pull": "unet.cli.pull:pull",
    "deploy": "unet.cli.deploy:deploy",
    "serve": "unet.cli.serve:serve",
    "auth": "unet.cli.auth:auth",
    "completion": "unet.cli.completion:completion",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported by name when first needed."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def invoke(self, ctx: click.Context) -> Any:
        from unet.cli._errors import ClosedPipe

        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # click would end it with exit code 1, "findings"
            raise ClosedPipe from None

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module_name, attr = self.lazy[cmd_name].split(":")
            command: click.Command = getattr(importlib.import_module(module_name), attr)
            return command
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # Suggest the closest command for a typo, as git does.
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            ctx.fail(f"No such command '{name}'.{hint}")
        return super().resolve_command(ctx, args)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        # Every way a command ends goes through one handler (exit codes 0/1/2/3/130),
        # also under click's test runner.
        from unet.cli._errors import run

        # A command builds hundreds of thousands of small, long-lived objects (YAML values,
        # config lines) and frees them at exit; collecting every 700 allocations (Python's
        # default) spent as long scanning them as doing the work.
        gc.set_threshold(100_000, 50, 1000)
        code = run(lambda: super(LazyGroup, self).main(
            args=args, prog_name=prog_name or "unet", complete_var=complete_var,
            standalone_mode=False, **extra))
        if standalone_mode:
            sys.exit(code)
        return code


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--repo",
    type=click.Path(file_okay=False, path_type=str),
    envvar="UNET_REPO",
    help="Network repository root (default: search upward from the current directory "
    "for unet.yaml).",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour output; NO_COLOR in the environment means never.",
)
@click.option("-v", "--verbose", count=True, help="More detail on stderr (repeatable).")
@click.option("-q", "--quiet", count=True, help="Less output: no summary, only results.")
@click.version_option(
    __version__, "-V", "--version", prog_name="unet", message="%(prog)s %(version)s"
)
@click.pass_context
def cli(ctx: click.Context, repo: str | None, color: str, verbose: int, quiet: int) -> None:
    """unet: network configuration as code.

    A git repository of YAML device files, Jinja2 templates and policy files
    is the source of truth; unet validates it, checks it and shows what it
    would change on your devices.
    """
    mode: ColorMode = "never" if color == "auto" and "NO_COLOR" in os.environ else color  # type: ignore[assignment]
    ctx.obj = App(repo_option=repo, color=mode, verbosity=verbose - quiet)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the CLI and map every outcome to an exit code."""
    cli.main(args=argv)
