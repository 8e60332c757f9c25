"""The WSGI application: security checks, a small router, JSON responses with ETags."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from unet.core import record
from unet.serve._metrics import Metrics
from unet.serve._query import Query, QueryError, flag, page, parse_pairs, parse_query
from unet.serve._security import (
    ALLOWED_METHODS,
    MAX_HEADER_BYTES,
    MAX_PATH,
    MAX_QUERY,
    host_allowed,
    redact_text,
    token_matches,
)
from unet.serve._state import NotFound, Served, State

__all__ = ["App", "HTTPError", "Response"]

StartResponse = Callable[..., Any]
_REASONS = {200: "OK", 204: "No Content", 304: "Not Modified", 400: "Bad Request",
            401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
            414: "URI Too Long", 431: "Request Header Fields Too Large",
            500: "Internal Server Error", 503: "Service Unavailable"}
_PREFIX = "/api/v1"
_CACHE_ENTRIES = 512  # encoded responses kept per state
_CACHE_BODY = 1 << 20


class HTTPError(Exception):
    def __init__(self, status: int, message: str, headers: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers)


@dataclass(slots=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Request:
    method: str
    path: str
    query_string: str
    environ: dict[str, Any]
    params: dict[str, str] = field(default_factory=dict)  # from the path
    query: Query = field(default_factory=Query)
    pairs: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        key = "HTTP_" + name.upper().replace("-", "_")
        value: str | None = self.environ.get(key)
        return value

    @property
    def base_url(self) -> str:
        scheme = self.environ.get("wsgi.url_scheme", "http")
        host = self.header("Host") or self.environ.get("SERVER_NAME", "localhost")
        return f"{scheme}://{host}{self.path}"


Handler = Callable[["App", Request, State], Any]


@record
class Route:
    name: str  # the endpoint label in metrics
    pattern: re.Pattern[str]
    handler: Handler
    kind: str = ""  # a list endpoint's records
    options: tuple[str, ...] = ()
    public: bool = False  # answered without a token (liveness probes)
    cached: bool = True  # ETag and 304


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _error(status: int, message: str) -> Response:
    return Response(status, _json({"error": {"status": status, "message": message}}))


def _flag(request: Request, name: str) -> bool:
    value = request.query.options.get(name)
    return value is not None and flag(name, value)


def _format(request: Request) -> str:
    fmt = request.query.options.get("format", "json")
    if fmt not in ("json", "text"):
        raise HTTPError(400, f"'format' must be json or text, got {fmt!r}")
    return fmt


# ---- handlers --------------------------------------------------------------------------

def _health(app: App, request: Request, state: State) -> Any:
    return {"status": "ok"}


def _metrics(app: App, request: Request, state: State) -> Any:
    return Response(200, app.metrics.render(state, app.served).encode(),
                    "text/plain; version=0.0.4; charset=utf-8")


def _root(app: App, request: Request, state: State) -> Any:
    return {kind: f"{_PREFIX}/{kind}" for kind in state.records} | {
        "openapi": f"{_PREFIX}/openapi.json", "commit": state.commit, "dirty": state.dirty}


def _openapi(app: App, request: Request, state: State) -> Any:
    from unet.serve._openapi import openapi

    return openapi()


def _brief(record: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "name", "url", "endpoints", "rule", "device", "_source")
    return {k: record[k] for k in keys if k in record}


def _list(app: App, request: Request, state: State) -> Any:
    kind = request.params["kind"]
    return page(state.records[kind], request.query, url=request.base_url, pairs=request.pairs,
                brief=_brief, known_fields=state.fields[kind])


def _one(app: App, request: Request, state: State) -> Any:
    kind, name = request.params["kind"], request.params["name"]
    record = state.record(kind, name)
    if kind == "devices" and _flag(request, "explain"):
        from unet.inventory import dotted_path

        device = state.device(name)
        record = {**record, "_provenance": {
            dotted_path(path): {"path": where.path, "line": where.line, "col": where.col}
            for path, _, where in device.explain()}}
    return record


def _config(app: App, request: Request, state: State) -> Any:
    name, what = request.params["name"], request.params["what"]
    record = getattr(state, what)(name)
    if _format(request) == "text" and what != "diff":
        return Response(200, record["config"].encode(), "text/plain; charset=utf-8")
    return record


def _template(app: App, request: Request, state: State) -> Any:
    from unet.templates import TEMPLATE_DIR

    name = request.params["name"]
    # Only files the snapshot lists: a name can never reach outside templates/.
    record = state.index["templates"].get(name)
    if record is None:
        raise NotFound(f"no template named '{name}'")
    text = state.read(TEMPLATE_DIR + name)
    if _format(request) == "text":
        return Response(200, redact_text(text).encode(), "text/plain; charset=utf-8")
    return {**record, "source": redact_text(text)}


_NAME = r"(?P<name>[^/]+)"
_KINDS = "devices|locations|groups|links|templates|policies|rules|findings|diagnostics"
ROUTES: tuple[Route, ...] = (
    Route("healthz", re.compile(r"/healthz"), _health, public=True, cached=False),
    Route("metrics", re.compile(r"/metrics"), _metrics, cached=False),
    Route("root", re.compile(r"/api/v1/?"), _root),
    Route("openapi", re.compile(r"/api/v1/openapi\.json"), _openapi),
    Route("list", re.compile(rf"/api/v1/(?P<kind>{_KINDS})/?"), _list, kind="*"),
    Route("config", re.compile(rf"/api/v1/devices/{_NAME}/(?P<what>intended|running|diff)/?"),
          _config, options=("format",)),
    Route("template", re.compile(r"/api/v1/templates/(?P<name>.+\.j2)"), _template,
          options=("format",)),
    Route("record", re.compile(rf"/api/v1/(?P<kind>devices|locations|groups|rules)/{_NAME}/?"),
          _one, options=("explain",)),
)


# ---- the application ---------------------------------------------------------------------

class App:
    """The WSGI callable. `check_host` is on for loopback binds; `token` None means no auth."""

    def __init__(self, served: Served, *, token: str | None = None, check_host: bool = True,
                 allowed_hosts: Iterable[str] = (), cors_origins: Iterable[str] = ()) -> None:
        self.served = served
        self.token = token or None
        self.check_host = check_host
        self.allowed_hosts = tuple(allowed_hosts)
        self.cors_origins = tuple(cors_origins)
        self.metrics = Metrics()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        started = time.perf_counter()
        route_name = "unknown"
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        try:
            route_name, response = self._handle(environ, method)
        except HTTPError as exc:
            response = _error(exc.status, exc.message)
            response.headers += exc.headers
            state = self.served.peek()  # an error may quote what was asked for
            if state is not None and state.mask is not None:
                response.body = state.mask(response.body, response.content_type, _json)
        except Exception:  # a bug: log it, never show it
            traceback.print_exc(file=sys.stderr)
            response = _error(500, "internal error; the server log has the details")
        self._finish(environ, response)
        body = b"" if method == "HEAD" or response.status in (204, 304) else response.body
        start_response(f"{response.status} {_REASONS.get(response.status, '')}".rstrip(),
                       response.headers)
        self.metrics.observe(route_name, method if method in ALLOWED_METHODS else "other",
                             response.status, time.perf_counter() - started)
        return [body]

    def _handle(self, environ: dict[str, Any], method: str) -> tuple[str, Response]:
        request = self._guard(environ, method)
        route, match = self._route(request.path)
        request.params = match.groupdict()
        if method == "OPTIONS":
            return route.name, Response(204, headers=[("Allow", ", ".join(ALLOWED_METHODS))])
        if not route.public and not token_matches(self.token, request.header("Authorization")):
            raise HTTPError(401, "missing or wrong bearer token (Authorization: Bearer ...)",
                            [("WWW-Authenticate", 'Bearer realm="unet"')])
        state = self.served.current()
        self._parse(request, route, state)
        etag = self._etag(state, request) if route.cached else None
        if etag is not None and _matches(request.header("If-None-Match"), etag):
            return route.name, Response(304, headers=self._state_headers(state, etag))
        response = self._cached(route, request, state, etag)
        response.headers += self._state_headers(state, etag)
        return route.name, response

    def _guard(self, environ: dict[str, Any], method: str) -> Request:
        """Refuse what a read-only API never needs, before any work is done."""
        if method not in ALLOWED_METHODS:
            raise HTTPError(405, f"{method} is not allowed; this API is read-only",
                            [("Allow", ", ".join(ALLOWED_METHODS))])
        header_bytes = sum(len(k) + len(str(v)) for k, v in environ.items()
                           if k.startswith("HTTP_"))
        if header_bytes > MAX_HEADER_BYTES:
            raise HTTPError(431, f"request headers over {MAX_HEADER_BYTES} bytes")
        path = str(environ.get("PATH_INFO", "/")) or "/"
        query_string = str(environ.get("QUERY_STRING", ""))
        if len(path) > MAX_PATH or len(query_string) > MAX_QUERY:
            raise HTTPError(414, f"path over {MAX_PATH} or query over {MAX_QUERY} characters")
        request = Request(method, path, query_string, environ)
        host = request.header("Host")
        if self.check_host and not host_allowed(host, self.allowed_hosts):
            what = f"Host '{host}' is not allowed" if host else "the request has no Host header"
            raise HTTPError(400, f"{what}; this server answers localhost and 127.0.0.1 "
                            "(add names with --allowed-host)")
        if any(part in ("..", ".") for part in path.split("/")) or "\\" in path \
                or "\0" in path:
            raise HTTPError(400, "the path may not contain '.', '..', backslashes or NUL")
        return request

    def _route(self, path: str) -> tuple[Route, re.Match[str]]:
        for route in ROUTES:
            match = route.pattern.fullmatch(path)
            if match is not None:
                return route, match
        raise HTTPError(404, f"no endpoint at {path}; GET {_PREFIX}/ lists them")

    def _parse(self, request: Request, route: Route, state: State) -> None:
        try:
            request.pairs = parse_pairs(request.query_string)
            if route.kind:
                kind = request.params["kind"]
                request.query = parse_query(request.query_string,
                                            filters=sorted(state.fields[kind]), paging=True)
            else:
                request.query = parse_query(request.query_string, options=route.options)
        except QueryError as exc:
            raise HTTPError(400, str(exc)) from None

    def _respond(self, route: Route, request: Request, state: State) -> Response:
        try:
            result = route.handler(self, request, state)
        except NotFound as exc:
            raise HTTPError(404, str(exc)) from None
        except QueryError as exc:
            raise HTTPError(400, str(exc)) from None
        response = result if isinstance(result, Response) else Response(200, _json(result))
        if state.mask is not None:  # every body, whichever handler made it
            response.body = state.mask(response.body, response.content_type, _json)
        return response

    def _cached(self, route: Route, request: Request, state: State, etag: str | None,
                ) -> Response:
        if etag is None:
            return self._respond(route, request, state)
        key = f"{etag}\0{request.header('Host')}"  # `next` links name the host
        hit = state.responses.get(key)
        if hit is not None:
            return Response(200, hit[0], hit[1])
        response = self._respond(route, request, state)
        if response.status == 200 and len(response.body) <= _CACHE_BODY:
            if len(state.responses) >= _CACHE_ENTRIES:
                # oldest first; if another thread changed it meanwhile, one more entry is fine
                with contextlib.suppress(RuntimeError, StopIteration):
                    state.responses.pop(next(iter(state.responses)), None)
            state.responses[key] = (response.body, response.content_type)
        return response

    def _etag(self, state: State, request: Request) -> str:
        normalised = urlencode(sorted(request.pairs))
        text = f"{state.key}\0{request.path}\0{normalised}\0{self.token is not None}"
        return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'

    def _state_headers(self, state: State, etag: str | None) -> list[tuple[str, str]]:
        headers = [("X-Unet-Commit", state.commit or "")]
        if state.dirty:
            headers.append(("X-Unet-Dirty", "1"))
        if etag is not None:
            headers.append(("ETag", etag))
        return headers

    def _finish(self, environ: dict[str, Any], response: Response) -> None:
        headers = response.headers
        if response.status not in (204, 304):
            headers += [("Content-Type", response.content_type),
                        ("Content-Length", str(len(response.body)))]
        headers += [("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")]
        headers += self._cors(environ)

    def _cors(self, environ: dict[str, Any]) -> list[tuple[str, str]]:
        origin = environ.get("HTTP_ORIGIN")
        if not origin or not self.cors_origins:
            return []
        if "*" in self.cors_origins:
            allowed = "*"  # never with credentials: unet sends no Allow-Credentials
        elif origin in self.cors_origins:
            allowed = origin
        else:
            return []
        return [("Access-Control-Allow-Origin", allowed), ("Vary", "Origin"),
                ("Access-Control-Allow-Methods", ", ".join(ALLOWED_METHODS)),
                ("Access-Control-Allow-Headers", "Authorization, If-None-Match"),
                ("Access-Control-Expose-Headers", "ETag, X-Unet-Commit, X-Unet-Dirty")]

    def close(self) -> None:
        self.served.close()


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))
