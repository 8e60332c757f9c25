"""openapi.json describes the responses the server really sends."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from tests.serve.conftest import Client

REAL = [
    ("/api/v1/devices", "/api/v1/devices?limit=1000"),
    ("/api/v1/devices", "/api/v1/devices?brief=1"),
    ("/api/v1/locations", "/api/v1/locations"),
    ("/api/v1/groups", "/api/v1/groups"),
    ("/api/v1/links", "/api/v1/links?limit=1000"),
    ("/api/v1/templates", "/api/v1/templates"),
    ("/api/v1/policies", "/api/v1/policies"),
    ("/api/v1/rules", "/api/v1/rules?limit=1000"),
    ("/api/v1/findings", "/api/v1/findings"),
    ("/api/v1/diagnostics", "/api/v1/diagnostics"),
    ("/api/v1/devices/{name}", "/api/v1/devices/hq-core-01"),
    ("/api/v1/devices/{name}", "/api/v1/devices/dc1-border-01?explain=1"),
    ("/api/v1/devices/{name}/intended", "/api/v1/devices/dc1-border-01/intended"),
    ("/api/v1/devices/{name}/running", "/api/v1/devices/hq-core-01/running"),
    ("/api/v1/devices/{name}/diff", "/api/v1/devices/hq-acc-01/diff"),
    ("/api/v1/locations/{name}", "/api/v1/locations/hq"),
    ("/api/v1/groups/{name}", "/api/v1/groups/campus"),
    ("/api/v1/rules/{name}", "/api/v1/rules/ntp-in-running"),
    ("/healthz", "/healthz"),
]


@pytest.fixture(scope="module")
def spec(examples_app: Any) -> dict[str, Any]:
    return Client(examples_app).json("/api/v1/openapi.json")


def _validate(spec: dict[str, Any], schema: dict[str, Any], document: Any) -> None:
    jsonschema.Draft202012Validator({**schema, "components": spec["components"]}).validate(document)


def test_it_is_openapi_3_1_and_every_schema_is_valid(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    for schema in spec["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)
    assert {"/api/v1/devices", "/api/v1/findings", "/metrics", "/healthz"} <= set(spec["paths"])


@pytest.mark.parametrize(("template", "target"), REAL, ids=[t for _, t in REAL])
def test_real_responses_match_the_schema(client: Client, spec: dict[str, Any], template: str,
                                          target: str) -> None:
    schema = spec["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    _validate(spec, schema, client.json(target))


def test_errors_match_the_error_schema(client: Client, spec: dict[str, Any]) -> None:
    import json

    _, _, body = client.get("/api/v1/devices?bogus=1")
    schema = spec["paths"]["/api/v1/devices"]["get"]["responses"]["400"]["content"]["application/json"]["schema"]
    _validate(spec, schema, json.loads(body))


def test_a_wrong_response_fails_validation(spec: dict[str, Any]) -> None:
    schema = spec["paths"]["/api/v1/devices"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    with pytest.raises(jsonschema.ValidationError):
        _validate(spec, schema, {"count": 1, "next": None, "previous": None, "results": [{"name": 1}]})
