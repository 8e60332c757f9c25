"""OpenAPI 3.1 for the API, generated from the pydantic models of its records.

The models describe what the server sends (tests validate real responses against
them); the server itself builds plain dicts and never validates on the hot path.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from unet import __version__
from unet.serve._query import DEFAULT_LIMIT, LOOKUPS, MAX_LIMIT

__all__ = ["openapi"]


class Source(BaseModel):
    path: str = Field(description="Repository-relative file the record is written in.")
    line: int = Field(description="1-based line (0: the whole file).")


class _Record(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    source: Source = Field(alias="_source")


class Device(_Record):
    """A device after inheritance; every resolved key appears (secret values masked)."""

    name: str
    platform: str | None = None
    vendor: str | None = None
    role: str | None = None
    lifecycle: str | None = None
    location: str | None = None
    management_ip: str | None = None
    groups: list[str] | None = None
    url: str


class Location(_Record):
    name: str
    type: str | None = None
    parent: str | None = None
    url: str


class Group(_Record):
    name: str
    parents: list[str] | None = None
    url: str


class Link(_Record):
    endpoints: list[str] = Field(description='"device:interface", twice.')
    devices: list[str]


class Template(_Record):
    name: str
    path: str
    url: str


class Policy(_Record):
    name: str
    path: str
    rules: list[str]


class Rule(_Record):
    id: str
    name: str
    severity: str
    title: str
    findings: int = Field(description="Findings of this rule, not waived.")
    url: str


class Finding(_Record):
    id: str = Field(description="Stable across commits (rule, device, what was looked at).")
    rule: str
    severity: str
    device: str
    message: str
    path: str
    line: int
    col: int
    policy_path: str | None
    policy_line: int | None
    fingerprint: str
    waived: str | None


class Diagnostic(_Record):
    path: str
    line: int
    col: int
    code: str
    severity: str
    message: str


class ConfigDiagnostic(BaseModel):
    path: str
    line: int
    col: int
    code: str
    severity: str
    message: str


class Intended(_Record):
    device: str
    platform: str | None
    templates: list[str]
    config: str = Field(description="The rendered configuration, secret lines masked.")
    diagnostics: list[ConfigDiagnostic]


class Running(_Record):
    device: str
    platform: str | None
    config: str = Field(description="configs/<device>.cfg, secret lines masked.")


class Feature(BaseModel):
    model_config = ConfigDict(extra="allow")
    feature: str
    status: str
    remediation: list[str]


class Diff(BaseModel):
    model_config = ConfigDict(extra="allow")
    device: str
    platform: str | None
    status: str = Field(description="compliant, non-compliant, error or skipped.")
    running: str | None
    skipped: str | None
    features: list[Feature]
    diagnostics: list[ConfigDiagnostic]


class Health(BaseModel):
    status: str


class ErrorBody(BaseModel):
    status: int
    message: str


class Error(BaseModel):
    error: ErrorBody


def _page(model: type[BaseModel]) -> type[BaseModel]:
    return create_model(f"{model.__name__}Page", __doc__=f"A page of {model.__name__} records.",
                        count=(int, ...), next=(str | None, ...), previous=(str | None, ...),
                        results=(list[model], ...))  # type: ignore[valid-type]


LISTS: dict[str, type[BaseModel]] = {
    "devices": Device, "locations": Location, "groups": Group, "links": Link,
    "templates": Template, "policies": Policy, "rules": Rule, "findings": Finding,
    "diagnostics": Diagnostic,
}
ONE: dict[str, tuple[str, type[BaseModel]]] = {
    "/api/v1/devices/{name}": ("name", Device),
    "/api/v1/devices/{name}/intended": ("name", Intended),
    "/api/v1/devices/{name}/running": ("name", Running),
    "/api/v1/devices/{name}/diff": ("name", Diff),
    "/api/v1/locations/{name}": ("name", Location),
    "/api/v1/groups/{name}": ("name", Group),
    "/api/v1/rules/{name}": ("name", Rule),
}

_LOOKUP_TEXT = (f"Filter on any field of the record: `field=value` (repeat: OR; different "
                f"fields: AND), or `field__lookup=value` with lookup one of "
                f"{', '.join(LOOKUPS)}, `n` (not) or `n` + ic/isw/iew/ie/regex.")


def _param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


_LIST_PARAMS = [
    _param("limit", f"Records per page (default {DEFAULT_LIMIT}).",
           {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}),
    _param("offset", "Records to skip.", {"type": "integer", "minimum": 0}),
    _param("brief", "Only name, url and _source.", {"type": "boolean"}),
    _param("fields", "Only these comma-separated fields.", {"type": "string"}),
    _param("q", "Name contains (case-insensitive).", {"type": "string"}),
]


def _responses(ref: str, text: bool = False) -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    content: dict[str, Any] = {"application/json": {"schema": {"$ref": ref}}}
    if text:
        content["text/plain"] = {"schema": {"type": "string"}}
    return {"200": {"description": "OK", "content": content},
            "304": {"description": "Not modified (If-None-Match matched the ETag)."},
            "400": {"description": "Bad query", **error},
            "401": {"description": "Missing or wrong bearer token", **error},
            "404": {"description": "Not found", **error}}


def _paths() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for kind, model in LISTS.items():
        params = list(_LIST_PARAMS)
        params.append({"name": "filters", "in": "query", "required": False,
                       "description": _LOOKUP_TEXT, "style": "form", "explode": True,
                       "schema": {"type": "object", "additionalProperties": {"type": "string"}}})
        paths[f"/api/v1/{kind}"] = {"get": {
            "summary": f"List {kind}", "operationId": f"list_{kind}", "parameters": params,
            "responses": _responses(f"#/components/schemas/{model.__name__}Page")}}
    for path, (name, model) in ONE.items():
        params = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}]
        text = model in (Intended, Running)
        if path == "/api/v1/devices/{name}":
            params.append(_param("explain", "Add _provenance: where each value was written.",
                                 {"type": "boolean"}))
        if text:
            params.append(_param("format", "json (default) or text (the config as text/plain).",
                                 {"type": "string", "enum": ["json", "text"]}))
        operation = "get_" + path.removeprefix("/api/v1/").replace("/{name}", "").replace("/", "_")
        paths[path] = {"get": {"summary": model.__doc__ or model.__name__,
                               "operationId": operation, "parameters": params,
                               "responses": _responses(f"#/components/schemas/{model.__name__}",
                                                       text)}}
    paths["/healthz"] = {"get": {"summary": "Liveness", "operationId": "health",
                                 "security": [],
                                 "responses": _responses("#/components/schemas/Health")}}
    paths["/metrics"] = {"get": {"summary": "Prometheus metrics", "operationId": "metrics",
                                 "responses": {"200": {"description": "Prometheus text format",
                                                       "content": {"text/plain": {}}}}}}
    return paths


def _schemas() -> dict[str, Any]:
    models: list[type[BaseModel]] = [*LISTS.values(), *(_page(m) for m in LISTS.values()),
                                     Intended, Running, Diff, Health, Error]
    schemas: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}",
                                         by_alias=True, mode="serialization")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return schemas


@cache
def openapi() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "unet", "version": __version__,
                 "description": "Read-only API over a unet network repository."},
        "paths": _paths(),
        "components": {"schemas": _schemas(),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    }
