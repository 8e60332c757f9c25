"""Freshness: changes are picked up, a fixed revision never changes, nothing half-built."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tests.serve.conftest import Client, git
from unet.serve import App, create_app


def _role(client: Client) -> str:
    return client.json("/api/v1/devices/r1")["role"]


def test_a_change_in_the_work_tree_is_served_after_refresh(git_repo: Path) -> None:
    app = create_app(git_repo, refresh=0)
    client = Client(app)
    status, headers, _ = client.get("/api/v1/devices/r1")
    etag, commit = headers["ETag"], headers["X-Unet-Commit"]
    assert "X-Unet-Dirty" not in headers
    assert app.served.refresh() is False  # nothing changed: the state is kept
    device = git_repo / "devices/hq/r1.yaml"
    device.write_text(device.read_text().replace("role: core", "role: edge"))
    assert app.served.refresh() is True
    status, headers, _ = client.get("/api/v1/devices/r1", If_None_Match=etag)
    assert status == 200 and headers["ETag"] != etag
    assert headers["X-Unet-Dirty"] == "1" and headers["X-Unet-Commit"] == commit
    assert _role(client) == "edge"


def test_a_fixed_revision_ignores_the_work_tree(git_repo: Path) -> None:
    app = create_app(git_repo, rev="HEAD", refresh=0)
    client = Client(app)
    assert _role(client) == "core"  # HEAD is resolved once, when the state is first built
    device = git_repo / "devices/hq/r1.yaml"
    device.write_text(device.read_text().replace("role: core", "role: edge"))
    git(git_repo, "commit", "-qam", "edge")
    assert app.served.refresh() is False
    assert _role(client) == "core"
    assert "s3cr3t" not in client.json("/api/v1/devices/r1/running")["config"]


def test_the_background_refresh_follows_commits(git_repo: Path) -> None:
    app = create_app(git_repo, refresh=0.05)
    client = Client(app)
    assert _role(client) == "core"
    app.served.start()
    try:
        device = git_repo / "devices/hq/r1.yaml"
        device.write_text(device.read_text().replace("role: core", "role: edge"))
        deadline = time.monotonic() + 10
        while _role(client) != "edge" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _role(client) == "edge"
    finally:
        app.close()
    assert not any(t.name == "unet-refresh" for t in threading.enumerate())


def _get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_concurrent_clients_while_the_repository_changes(
        git_repo: Path, live: Callable[[App], int]) -> None:
    """Every answer is one whole state: the role and the ETag always belong together."""
    app = create_app(git_repo, refresh=0.02)
    app.served.current()
    app.served.start()
    port = live(app)
    seen: dict[str, set[str]] = {}
    failures: list[str] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            status, headers, body = _get(port, "/api/v1/devices?name=r1")
            if status != 200:
                failures.append(f"{status} {body[:200]!r}")
                continue
            roles = {d["role"] for d in json.loads(body)["results"]}
            seen.setdefault(headers["etag"], set()).update(roles)

    threads = [threading.Thread(target=client) for _ in range(6)]
    for thread in threads:
        thread.start()
    device = git_repo / "devices/hq/r1.yaml"
    try:
        for role in ("edge", "core", "border", "access"):
            text = device.read_text()
            device.write_text("\n".join(
                f"role: {role}" if line.startswith("role:") else line for line in text.split("\n")))
            time.sleep(0.3)
        deadline = time.monotonic() + 10  # a loaded machine may refresh late: wait for it
        while _role(Client(app)) != "access" and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)  # let the clients see the last state too
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        app.close()
    assert not failures
    assert all(len(roles) == 1 for roles in seen.values()), seen
    assert {r for roles in seen.values() for r in roles} >= {"core", "access"}
