"""Options shared by several commands, so they read and behave the same everywhere."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

__all__ = ["parse_report_targets", "report_options"]

F = TypeVar("F", bound=Callable[..., Any])


def parse_report_targets(formats: Sequence[str]) -> Callable[..., list[tuple[str, str]]]:
    """A click callback turning repeated `FORMAT=PATH` values into (format, path) pairs."""

    def callback(ctx: click.Context, param: click.Parameter, values: Sequence[str],
                 ) -> list[tuple[str, str]]:
        targets = []
        for value in values:
            fmt, sep, path = value.partition("=")
            if not sep or not path:
                raise click.BadParameter(f"expected FORMAT=PATH, got {value!r}", ctx, param)
            if fmt not in formats:
                raise click.BadParameter(
                    f"unknown format {fmt!r}; choose from {', '.join(formats)}", ctx, param)
            targets.append((fmt, path))
        return targets

    return callback


def report_options(formats: Sequence[str], default: str = "text") -> Callable[[F], F]:
    """`--format` for stdout and repeatable `--report FORMAT=PATH` for extra files."""

    def decorate(func: F) -> F:
        func = click.option(
            "--report", "reports", multiple=True, metavar="FORMAT=PATH",
            callback=parse_report_targets(formats),
            help="Also write the results in FORMAT to PATH (repeatable).",
        )(func)
        return click.option(
            "--format", "fmt", type=click.Choice(list(formats)), default=default,
            show_default=True, help="Output format on stdout.",
        )(func)

    return decorate
