"""`unet serve`: the read-only HTTP API (see docs/serve.md)."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

import click

from unet.cli._app import App

pass_app = click.make_pass_decorator(App)

__all__ = ["serve"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback needs a token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port (0: any free port, printed on start).")
@click.option("--rev", metavar="REF", help="Serve this git revision (fixed; never refreshes).")
@click.option("--refresh", type=click.FloatRange(min=0), default=2.0, show_default=True,
              help="Seconds between checks for repository changes (0: never).")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Worker threads.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Allow browser pages from ORIGIN (repeatable; default: CORS off).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Also accept this Host header on a loopback bind (repeatable).")
@click.option("--insecure-no-auth", is_flag=True,
              help="Serve without a token even on a non-loopback address.")
@pass_app
def serve(app: App, host: str, port: int, rev: str | None, refresh: float, threads: int,
          cors_origins: tuple[str, ...], allowed_hosts: tuple[str, ...],
          insecure_no_auth: bool) -> int:
    """Serve devices, configs and findings as a read-only JSON API.

    Binds to 127.0.0.1 by default. The token (UNET_SERVE_TOKEN, or `unet auth
    set-token`) is required as `Authorization: Bearer TOKEN` whenever one is set;
    a non-loopback --host refuses to start without one. Changes to the work tree
    are picked up within --refresh seconds; a request never sees a half-built state.
    """
    from unet.serve import check_bind, create_app, load_token, make_server, shutdown

    root = app.repo_root
    token = None if insecure_no_auth else load_token()
    check_bind(host, token, insecure=insecure_no_auth)
    api = create_app(root, rev=rev, refresh=refresh, token=token, host=host,
                     allowed_hosts=allowed_hosts, cors_origins=cors_origins)
    state = api.served.current()  # build now: input errors stop us before binding
    server = make_server(api, host, port, threads=threads)
    shown = f"[{host}]" if ":" in host else host
    app.log(f"unet serve: http://{shown}:{server.effective_port}/api/v1/ "
            f"({len(state.inventory.devices)} devices, {(state.commit or 'no commit')[:10]}"
            f"{', dirty' if state.dirty else ''}; auth {'on' if token else 'off'}) "
            "- Ctrl-C stops")
    api.served.start()
    signal.signal(signal.SIGTERM, _interrupt)  # systemd and docker stop with SIGTERM
    try:
        server.run()  # returns on Ctrl-C or SIGTERM (waitress catches the interrupt)
    except KeyboardInterrupt:
        pass
    finally:
        shutdown(server, running=False)
        api.close()
    app.log("unet serve: stopped")
    return 0


STOP_GRACE = 5.0  # seconds a clean stop may take before the process exits anyway


def _interrupt(signum: int, frame: Any) -> None:
    # A request busy in a long computation must not keep the process alive: if the clean
    # stop has not finished within STOP_GRACE seconds, exit at once (no state to flush).
    timer = threading.Timer(STOP_GRACE, os._exit, (128 + signum,))
    timer.daemon = True
    timer.start()
    raise KeyboardInterrupt
