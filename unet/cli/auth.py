"""`unet auth set-token|clear-token|set-password|clear-password|status`: the token
`unet serve` requires, and the passwords `unet pull` logs in with."""

from __future__ import annotations

import sys

import click

from unet.cli._app import App

pass_app = click.make_pass_decorator(App)

__all__ = ["auth"]


@click.group()
def auth() -> None:
    """Store secrets in the system keyring: device passwords and the `unet serve` token."""


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


def _scope(func: click.decorators.FC) -> click.decorators.FC:
    func = click.option("--device", metavar="NAME", help="For this device only.")(func)
    return click.option("--group", metavar="NAME",
                        help="For the devices of this group (the most specific group wins).")(func)


def _target(group: str | None, device: str | None) -> str:
    if group and device:
        raise click.UsageError("give --group or --device, not both")
    return f"device {device}" if device else f"group {group}" if group else "every device"


@auth.command("set-password")
@_scope
@click.option("--stdin", "from_stdin", is_flag=True,
              help="Read the password from standard input (for scripts) instead of prompting.")
def set_password(group: str | None, device: str | None, from_stdin: bool) -> int:
    """Store a device password in the system keyring (never in the repository).

    Without --group or --device it is the password of every device that has no more
    specific one. UNET_DEVICE_PASSWORD, when set, wins over the keyring.
    """
    from unet.devices import set_password as store

    scope = _target(group, device)
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt(f"Password for {scope}", hide_input=True,
                                confirmation_prompt=True)
    store(password, device=device, group=group)
    click.echo(f"password for {scope} stored in the system keyring", err=True)
    return 0


@auth.command("clear-password")
@_scope
def clear_password(group: str | None, device: str | None) -> int:
    """Remove a stored device password from the system keyring."""
    from unet.devices import clear_password as clear

    scope = _target(group, device)
    removed = clear(device=device, group=group)
    click.echo(f"password for {scope} removed" if removed else f"no password stored for {scope}",
               err=True)
    return 0


@auth.command("status")
@click.option("--device", metavar="NAME", help="Also say where this device's password comes "
                                               "from (needs the repository for its groups).")
@pass_app
def status(app: App, device: str | None) -> int:
    """Say where the token and device passwords come from (never prints them)."""
    from unet.devices import lookup_password
    from unet.serve import ENV_VAR, token_source

    source = token_source()
    messages = {"environment": f"token set in {ENV_VAR}",
                "keyring": "token stored in the system keyring", None: "no token set"}
    click.echo(messages[source])
    groups: tuple[str, ...] = ()
    if device:
        from unet.cli._repo import load_repository

        found = load_repository(app).inventory.device(device)
        groups = found.applied_groups if found is not None else ()
    secret = lookup_password(device or "", groups)
    entry = secret.source.removeprefix("keyring ")
    where = {"environment": "from UNET_DEVICE_PASSWORD",
             "none": "not set (SSH keys and the agent are tried)"}.get(
        secret.source, f"from the system keyring (entry {entry})")
    click.echo(f"device password{' for ' + device if device else ''}: {where}")
    return 0
