"""The same API over a real socket: waitress on a free loopback port."""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable

import pytest

from unet.serve import App


def _request(port: int, method: str, target: str, headers: dict[str, str] | None = None,
             body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, target, skip_host="Host" in (headers or {}))
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.fixture
def port(examples_app: App, live: Callable[[App], int]) -> int:
    return live(examples_app)


@pytest.mark.parametrize("target", [
    "/healthz", "/api/v1/", "/api/v1/openapi.json", "/api/v1/devices?role=core&brief=1",
    "/api/v1/devices/hq-core-01?explain=1", "/api/v1/devices/hq-core-01/intended",
    "/api/v1/devices/hq-core-01/running", "/api/v1/devices/hq-core-01/diff",
    "/api/v1/locations", "/api/v1/groups", "/api/v1/links", "/api/v1/templates",
    "/api/v1/policies", "/api/v1/rules", "/api/v1/findings?severity=error",
])
def test_each_endpoint_over_http(port: int, target: str) -> None:
    status, headers, body = _request(port, "GET", target)
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert headers["x-content-type-options"] == "nosniff"
    json.loads(body)


def test_304_over_http(port: int) -> None:
    _, headers, _ = _request(port, "GET", "/api/v1/devices")
    status, _, body = _request(port, "GET", "/api/v1/devices", {"If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")


def test_post_is_405(port: int) -> None:
    status, headers, body = _request(port, "POST", "/api/v1/devices", body=b"{}")
    assert status == 405 and headers["allow"] == "GET, HEAD, OPTIONS"
    assert json.loads(body)["error"]["status"] == 405


def test_a_big_body_is_refused_before_the_app(port: int) -> None:
    assert _request(port, "GET", "/api/v1/devices", body=b"x" * 10_000)[0] == 413


def test_wrong_host_over_http(port: int) -> None:
    status, _, body = _request(port, "GET", "/api/v1/devices", {"Host": "attacker.example"})
    assert status == 400 and b"attacker.example" in body


def test_dot_dot_over_http(port: int) -> None:
    for target in ("/api/v1/templates/../../unet.yaml", "/api/v1/templates/%2e%2e/%2e%2e/etc/passwd.j2"):
        status, _, body = _request(port, "GET", target)
        assert status in (400, 404) and b"root:" not in body


def test_huge_headers_over_http(port: int) -> None:
    status, _, body = _request(port, "GET", "/api/v1/devices", {"X-Huge": "a" * 40_000})
    assert status == 431 and b"Traceback" not in body


def test_malformed_query_over_http(port: int) -> None:
    status, _, body = _request(port, "GET", "/api/v1/devices?name=%ff")
    assert status == 400 and "malformed" in json.loads(body)["error"]["message"]
