from __future__ import annotations

import os
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES
from tests.helpers import MINIMAL
from unet.serve import App, create_app, make_server, shutdown

SECRETS = {
    **MINIMAL,
    "devices/hq/r1.yaml": MINIMAL["devices/hq/r1.yaml"]
    + "vars:\n  snmp_community: s3cr3t-comm\n  ntp_servers: [10.0.0.1]\n  bgp:\n    auth_key: k3y-value\n",
    "configs/r1.cfg": "hostname r1\nenable secret 5 $1$abcd$XYZ\nusername admin password 7 0822455D0A16\n"
                      "snmp-server community s3cr3t-comm RO\ninterface Gi1\n description to r2\n",
    "policies/base.unet": 'RULE has-ntp SEVERITY warning "NTP servers are set"\n'
                          "WHEN node.platform == \"ios\"\nTHEN ASSERT node.vars.ntp_servers CONTAINS \"10.0.0.1\"\n",
}
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.net", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.net"}


class Client:
    """Calls the WSGI app in-process, as a server would."""

    def __init__(self, app: App, host: str = "127.0.0.1:8080") -> None:
        self.app = app
        self.host = host

    def request(self, method: str, target: str, headers: dict[str, str] | None = None,
                ) -> tuple[int, dict[str, str], bytes]:
        path, _, query = target.partition("?")
        environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
                                   "wsgi.url_scheme": "http", "SERVER_NAME": "127.0.0.1"}
        if self.host:
            environ["HTTP_HOST"] = self.host
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        seen: dict[str, Any] = {}

        def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
            seen["status"], seen["headers"] = int(status.split()[0]), dict(response_headers)

        body = b"".join(self.app(environ, start_response))
        return seen["status"], seen["headers"], body

    def get(self, target: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", target, {k.replace("_", "-"): v for k, v in headers.items()})

    def json(self, target: str, **headers: str) -> Any:
        import json

        status, _, body = self.get(target, **headers)
        assert status == 200, body
        return json.loads(body)


@pytest.fixture(scope="session")
def examples_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    app = create_app(EXAMPLES, refresh=0)
    with pytest.MonkeyPatch.context() as patch:  # session fixtures run before the autouse one
        patch.setenv("UNET_CACHE_DIR", str(tmp_path_factory.mktemp("serve-cache")))
        app.served.refresh()
    yield app
    app.close()


@pytest.fixture
def client(examples_app: App) -> Client:
    return Client(examples_app)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={**os.environ, **GIT_ENV})


@pytest.fixture
def git_repo(make_repo: Callable[..., Path]) -> Path:
    root = make_repo(SECRETS)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    return root


@pytest.fixture
def secrets_client(git_repo: Path) -> Iterator[Client]:
    app = create_app(git_repo, refresh=0)
    yield Client(app)
    app.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live() -> Iterator[Callable[[App], int]]:
    """Serve an app with waitress on a free loopback port; always shut down."""
    running: list[tuple[Any, threading.Thread]] = []

    def start(app: App) -> int:
        server = make_server(app, "127.0.0.1", 0, threads=4)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        running.append((server, thread))
        return int(server.effective_port)

    yield start
    for server, thread in running:
        shutdown(server)
        thread.join(timeout=5)
        assert not thread.is_alive()
