"""`unet slice`: the lines of a configuration that match an expression, with their context."""

from __future__ import annotations

import sys

import click

from unet.cli._app import App

pass_app = click.make_pass_decorator(App)

__all__ = ["slice_command"]


@click.command("slice")
@click.argument("files", nargs=-1, type=str)
@click.option("-m", "--match", "expression", required=True, metavar="EXPR",
              help="Levels separated by `||`, each a regex for the whole line at that depth "
              "(`*` = any), e.g. 'interface Gig.*||ip address .*'.")
@click.option("-p", "--platform", help="Config dialect (default: detected per file).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--context", type=click.IntRange(min=0), default=None, metavar="N",
              help="Levels of children shown under each matching line (default: all).")
@pass_app
def slice_command(app: App, files: tuple[str, ...], expression: str, platform: str | None,
                  fmt: str, context: int | None) -> int:
    """Print the lines matching EXPR with their parents and children. FILE `-` is stdin.

    Exit codes: 0 done (even when nothing matches); 2 an unreadable file or a bad EXPR.
    """
    from unet.cli.config import load_config
    from unet.config import Match, MatchError, slice, trim
    from unet.core import Diagnostic, Location, Severity, UnetError
    from unet.patterns import PatternTimeout
    from unet.report.slice import render_slices

    try:
        match = Match.parse(expression)
    except MatchError as exc:
        where = Location("<--match>", 1, exc.position + 1)
        raise UnetError(f"invalid --match: {exc}",
                        [Diagnostic(where, "C200", Severity.ERROR, exc.reason)]) from None
    results = []
    for path in files or ("-",):
        tree = load_config(app, path, platform)
        try:
            tree = slice(tree, match)
        except PatternTimeout as exc:
            raise UnetError(f"--match on {path}: {exc}",
                            [Diagnostic(Location("<--match>", 1, 1), "C400", Severity.ERROR,
                                        f"on {path}: {exc}")]) from None
        if context is not None:
            trim(tree, len(match.levels) + context)
        results.append((path, tree))
    render_slices(results, fmt, sys.stdout)
    if not any(tree.children for _, tree in results):
        app.log("slice: no lines matched")
    return 0

