"""`unet auth set-token|clear-token|status`: the token `unet serve` requires."""

from __future__ import annotations

import sys

import click

from unet.cli._app import App

pass_app = click.make_pass_decorator(App)

__all__ = ["auth"]


@click.group()
def auth() -> None:
    """Store the bearer token of `unet serve` in the system keyring."""


@auth.command("set-token")
@click.option("--stdin", "from_stdin", is_flag=True,
              help="Read the token from standard input (for scripts) instead of prompting.")
def set_token(from_stdin: bool) -> int:
    """Store a token (at least 16 characters) in the system keyring."""
    from unet.serve import store_token

    if from_stdin:
        token = sys.stdin.readline().strip()
    else:
        token = click.prompt("Token", hide_input=True, confirmation_prompt=True)
    store_token(token)
    click.echo("token stored in the system keyring", err=True)
    return 0


@auth.command("clear-token")
def clear_token() -> int:
    """Remove the token from the system keyring."""
    from unet.serve import clear_token as clear

    click.echo("token removed" if clear() else "no token was stored", err=True)
    return 0


@auth.command("status")
def status() -> int:
    """Say where the token comes from (never prints it)."""
    from unet.serve import ENV_VAR, token_source

    source = token_source()
    messages = {"environment": f"token set in {ENV_VAR}",
                "keyring": "token stored in the system keyring", None: "no token set"}
    click.echo(messages[source])
    return 0
