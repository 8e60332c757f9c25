"""Hostile regex filters get a 400 with a message; they never freeze the server or its stop."""

from __future__ import annotations

import concurrent.futures
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.serve.conftest import Client, free_port
from tests.serve.test_http import _request
from unet.serve import App

# `(.*,){12}\d\d\d`: not caught statically, stopped by the time budget
POLYNOMIAL = "interfaces__regex=(.%2A,)%7B12%7D%5Cd%5Cd%5Cd"
HOSTILE = [
    "description__regex=(a%2B)%2B%24",  # nested quantifiers: refused before matching
    "interfaces__regex=(.%2B)%2Bzq",
    POLYNOMIAL,
    "description__regex=a%7B99999999999%7D",  # a{99999999999}
    "description__regex=" + "(" * 900 + "a" + ")" * 900,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_regex_filter_is_a_400_with_a_message(client: Client, query: str) -> None:
    status, _, body = client.get("/api/v1/devices?" + query)
    assert status == 400, body
    message = json.loads(body)["error"]["message"]
    assert message.startswith(("S100 invalid regular expression", "S101 regex")), message


def test_an_ordinary_regex_filter_still_works(client: Client) -> None:
    devices = client.json("/api/v1/devices?name__regex=%5Ehq-core")
    assert devices and all(d["name"].startswith("hq-core") for d in devices["results"])


def test_healthz_answers_while_hostile_requests_run(examples_app: App,
                                                    live: Callable[[App], int]) -> None:
    port = live(examples_app)
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        hostile = [pool.submit(_request, port, "GET", "/api/v1/devices?" + POLYNOMIAL)
                   for _ in range(4)]
        health = pool.submit(_request, port, "GET", "/healthz")
        assert health.result()[0] == 200
        assert [f.result()[0] for f in hostile] == [400] * 4


def test_sigterm_stops_the_server_during_a_hostile_request(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES, root)
    port = free_port()
    env = {**os.environ, "UNET_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen([sys.executable, "-m", "unet", "--repo", str(root), "serve",
                                "--port", str(port)], env=env, stderr=subprocess.PIPE)
    try:
        for _ in range(600):  # wait for the socket (the first state is built before binding)
            try:
                if _request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            pool.submit(_request, port, "GET", "/api/v1/devices?" + POLYNOMIAL)
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) in (0, 128 + signal.SIGTERM)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
