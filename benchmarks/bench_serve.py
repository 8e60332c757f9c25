"""`unet serve` under load: requests per second and p50/p99 latency, 8 concurrent clients.

    python benchmarks/bench_serve.py [N] [--requests R] [--clients C] [--seconds S]

Serves the N-device fleet (benchmarks/.fleet-N-configs, made as bench_check.py makes it)
with waitress on a free 127.0.0.1 port, in this process, with a private UNET_CACHE_DIR.
Each endpoint gets R requests (or S seconds, whichever ends first) from C keep-alive
clients. Requests per second are quoted as a ratio to a static JSON body of the same
size as the device page, served by the same waitress in the same run (the cost of HTTP
and the server itself), and to /healthz.
"""

from __future__ import annotations

import argparse
import http.client
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def _reference_app(app: Any, static: bytes) -> Any:
    """The unet app, plus /static: fixed bytes through the same server and threads."""
    def wrapped(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        if environ.get("PATH_INFO") == "/static":
            start_response("200 OK", [("Content-Type", "application/json"),
                                      ("Content-Length", str(len(static)))])
            return [static]
        return app(environ, start_response)  # type: ignore[no-any-return]
    return wrapped


def _client(port: int, path: str, budget: list[int], deadline: float, lock: threading.Lock,
            latencies: list[float], errors: list[str]) -> None:
    """Keep-alive GETs until the shared budget or the time runs out. `{n}` in `path` becomes
    the request's number: a URL never asked before, so no cached answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        while time.perf_counter() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
                number = budget[0]
            target = path.replace("{n}", str(number))
            started = time.perf_counter()
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
            latencies.append(time.perf_counter() - started)
            if response.status != 200:
                errors.append(f"{target}: {response.status}")
    finally:
        connection.close()


def measure(port: int, path: str, requests: int, clients: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    budget, lock = [requests], threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds
    threads = [threading.Thread(target=_client, args=(port, path, budget, deadline, lock,
                                                       latencies, errors))
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"errors: {errors[:3]}")
    ordered = sorted(latencies)
    return {"requests": len(ordered), "rps": len(ordered) / elapsed,
            "p50": statistics.median(ordered) * 1000,
            "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=2000, help="per endpoint")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0, help="per endpoint, at most")
    args = parser.parse_args()
    os.environ["UNET_CACHE_DIR"] = tempfile.mkdtemp(prefix="unet-bench-serve-")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "queue depth" is the point

    from bench_check import fleet

    from unet.serve import create_app, make_server, shutdown

    root = fleet(args.n)
    app = create_app(root, refresh=0)
    started = time.perf_counter()
    state = app.served.current()
    build = time.perf_counter() - started
    device = sorted(state.inventory.devices)[len(state.inventory.devices) // 2]
    page_path = "/api/v1/devices?limit=50"
    status_body: list[bytes] = []

    def capture(status: str, headers: list[tuple[str, str]]) -> None:
        status_body.append(status.encode())

    page = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": "/api/v1/devices",
                         "QUERY_STRING": "limit=50", "HTTP_HOST": "127.0.0.1",
                         "wsgi.url_scheme": "http"}, capture))
    server = make_server(_reference_app(app, page), "127.0.0.1", 0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    port = server.effective_port
    print(f"fleet: {args.n} devices; state built in {build:.2f} s (cold index); "
          f"device page {len(page)} bytes; {args.clients} clients, "
          f"{args.requests} requests per endpoint (at most {args.seconds:.0f} s)")
    try:
        rows = {}
        for label, path in (("static JSON (same size as the page)", "/static"),
                            ("/healthz", "/healthz"),
                            ("device list page (limit=50), cached", page_path),
                            ("device list page, uncached (new offset each)",
                             "/api/v1/devices?limit=50&offset={n}"),
                            (f"one device ({device})", f"/api/v1/devices/{device}")):
            if "{n}" not in path:  # warm-up (a new-offset run needs none)
                measure(port, path, min(200, args.requests), args.clients, args.seconds)
            rows[label] = measure(port, path, args.requests, args.clients, args.seconds)
    finally:
        shutdown(server)
        thread.join(timeout=5)
    static = rows["static JSON (same size as the page)"]["rps"]
    health = rows["/healthz"]["rps"]
    print(f"{'endpoint':<44} {'requests':>8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'vs static':>9} {'vs healthz':>10}")
    for label, row in rows.items():
        print(f"{label:<44} {row['requests']:>8.0f} {row['rps']:>8.0f} {row['p50']:>7.2f} "
              f"{row['p99']:>7.2f} {row['rps'] / static:>9.2f} {row['rps'] / health:>10.2f}")


if __name__ == "__main__":
    main()
