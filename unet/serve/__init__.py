"""A read-only HTTP API over the repository: a WSGI app served by waitress.

    app = create_app(root)                     # a WSGI callable; test it in-process
    server = make_server(app, "127.0.0.1", 0)  # waitress, hardened defaults
    server.run()

See docs/serve.md for the endpoints, query conventions and security defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from unet.core import UnetError
from unet.serve._app import App
from unet.serve._security import is_loopback, redact, redact_text
from unet.serve._state import Served, State
from unet.serve._token import ENV_VAR, clear_token, load_token, store_token, token_source

__all__ = [
    "ENV_VAR",
    "App",
    "Served",
    "State",
    "check_bind",
    "clear_token",
    "create_app",
    "is_loopback",
    "load_token",
    "make_server",
    "redact",
    "redact_text",
    "shutdown",
    "store_token",
    "token_source",
]

THREADS = 8
MAX_BODY = 1024  # GET has no body; anything more is refused by waitress


def create_app(root: Path, *, rev: str | None = None, refresh: float = 2.0,
               token: str | None = None, host: str = "127.0.0.1",
               allowed_hosts: Iterable[str] = (), cors_origins: Iterable[str] = ()) -> App:
    """The WSGI app for `root` (at `rev`, or the work tree followed every `refresh` s).

    The first state is built lazily; call `app.served.refresh()` to build it up front
    and `app.served.start()` to follow the work tree. `app.close()` stops following.
    """
    served = Served(root, rev=rev, refresh=refresh)
    return App(served, token=token, check_host=is_loopback(host),
               allowed_hosts=allowed_hosts, cors_origins=cors_origins)


def check_bind(host: str, token: str | None, *, insecure: bool) -> None:
    """A bind beyond this machine needs a token, unless the user says otherwise."""
    if not is_loopback(host) and not token and not insecure:
        raise UnetError(
            f"refusing to serve on {host} without a token: anyone who can reach it could read "
            f"the whole inventory. Set {ENV_VAR} or run `unet auth set-token`, or pass "
            "--insecure-no-auth if the network is trusted")


def make_server(app: App, host: str, port: int, *, threads: int = THREADS) -> Any:
    """A waitress server (not yet running) with unet's limits; `.effective_port` tells
    the port when 0 asked for a free one."""
    from waitress.server import create_server  # type: ignore[import-untyped]

    return create_server(
        app, host=host, port=port, threads=threads, ident="unet",
        expose_tracebacks=False, url_scheme="http",
        max_request_body_size=MAX_BODY, max_request_header_size=16 * 1024,
        channel_timeout=30, clear_untrusted_proxy_headers=True)


def shutdown(server: Any, *, running: bool = True) -> None:
    """Stop a server made by `make_server`: its sockets, its loop and its worker threads.

    With `running`, the loop runs in another thread: the sockets are closed from inside
    it (closing them from outside races its select()), and it ends once none are left.
    """
    from waitress import wasyncore  # type: ignore[import-untyped]

    if running:
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    else:
        wasyncore.close_all(server._map)
    server.task_dispatcher.shutdown(timeout=5)
