"""The API as a script sees it, called in-process (no socket)."""

from __future__ import annotations

import json

import pytest

from tests.serve.conftest import Client
from unet.serve import create_app


def test_device_list_is_a_netbox_page_with_sources(client: Client) -> None:
    page = client.json("/api/v1/devices?limit=2")
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 15 and len(page["results"]) == 2
    assert page["previous"] is None
    assert page["next"] == "http://127.0.0.1:8080/api/v1/devices?limit=2&offset=2"
    first = page["results"][0]
    assert first["_source"] == {"path": "devices/ber1/ber1-rtr-01.yaml", "line": first["_source"]["line"]}
    assert first["url"] == "/api/v1/devices/ber1-rtr-01"


def test_paging_walks_every_device_once(client: Client) -> None:
    names, url = [], "/api/v1/devices?limit=4"
    while url:
        page = client.json(url)
        names += [d["name"] for d in page["results"]]
        url = page["next"] and page["next"].removeprefix("http://127.0.0.1:8080")
    assert len(names) == len(set(names)) == 15
    back = client.json("/api/v1/devices?limit=4&offset=6")["previous"]
    assert back.endswith("/api/v1/devices?limit=4&offset=2")


def test_filters_with_netbox_suffixes(client: Client) -> None:
    def names(query: str) -> list[str]:
        return [d["name"] for d in client.json(f"/api/v1/devices?{query}&limit=1000")["results"]]

    assert names("role=core") == ["hq-core-01", "hq-core-02"]
    assert names("role=core&role=border") == ["dc1-border-01", "hq-core-01", "hq-core-02"]
    assert names("name__isw=HQ-CORE") == ["hq-core-01", "hq-core-02"]
    assert "dc1-border-01" not in names("platform__n=junos")
    assert names("platform__n=junos") and all(
        d["platform"] != "junos" for d in client.json("/api/v1/devices?platform__n=junos&limit=1000")["results"])
    assert names("groups=campus-core") == ["hq-core-01", "hq-core-02"]  # list fields: any member
    assert names("name__regex=^dc1-(spine|leaf)-01$") == ["dc1-leaf-01", "dc1-spine-01"]
    assert names("q=core-0") == ["hq-core-01", "hq-core-02"]


def test_brief_and_fields_shrink_records(client: Client) -> None:
    brief = client.json("/api/v1/devices?brief=1&limit=1")["results"][0]
    assert set(brief) == {"name", "url", "_source"}
    picked = client.json("/api/v1/devices?fields=name,role&limit=1")["results"][0]
    assert set(picked) == {"name", "role"}


def test_unknown_parameters_are_named_in_a_400(client: Client) -> None:
    status, headers, body = client.get("/api/v1/devices?rol=core&limt=5")
    assert status == 400 and headers["Content-Type"] == "application/json"
    message = json.loads(body)["error"]["message"]
    assert "rol, limt" in message
    assert client.get("/api/v1/devices?role__foo=x")[0] == 400
    assert client.get("/api/v1/devices?fields=nope")[0] == 400
    assert client.get("/api/v1/devices/hq-core-01?verbose=1")[0] == 400


def test_limit_is_bounded(client: Client) -> None:
    assert client.get("/api/v1/devices?limit=1001")[0] == 400
    assert client.get("/api/v1/devices?limit=0")[0] == 400
    assert client.get("/api/v1/devices?limit=1000")[0] == 200
    assert client.get("/api/v1/devices?offset=-1")[0] == 400


@pytest.mark.parametrize(("target", "said"), [
    ("/api/v1/findings?waived=maybe", "'waived' must be true or false, got 'maybe'"),
    ("/api/v1/devices?description__empty=maybe", "'description__empty' must be true or false"),
    ("/api/v1/devices?brief=2", "'brief' must be true or false, got '2'"),
    ("/api/v1/devices?limit=1&limit=1000", "'limit' is given more than once"),
    ("/api/v1/devices?offset=0&offset=5", "'offset' is given more than once"),
    ("/api/v1/devices/hq-core-01?explain=perhaps", "'explain' must be true or false"),
    ("/api/v1/templates/ios/base.j2?format=yaml", "'format' must be json or text"),
])
def test_a_value_that_means_nothing_is_a_400_not_a_guess(client: Client, target: str,
                                                         said: str) -> None:
    status, _, body = client.get(target)
    assert status == 400, body
    assert said in json.loads(body)["error"]["message"]


def test_yes_no_parameters_take_the_usual_words(client: Client) -> None:
    waived = client.json("/api/v1/findings?waived=true&limit=1000")["count"]
    open_ = client.json("/api/v1/findings?waived=no&limit=1000")["count"]
    every = client.json("/api/v1/findings?limit=1000")["count"]
    assert waived + open_ == every
    assert client.json("/api/v1/devices?brief=on&limit=1")["results"][0].keys() == {
        "name", "url", "_source"}


def test_malformed_query_is_a_400(client: Client) -> None:
    for query in ("role=%ff%fe", "a&&b", "name__regex=(["):
        status, _, body = client.get(f"/api/v1/devices?{query}")
        assert status == 400, query
        assert "Traceback" not in body.decode()


def test_an_empty_list_still_pages(secrets_client: Client) -> None:
    # no diagnostics in this repository: paging options are still options, not filters
    page = secrets_client.json("/api/v1/diagnostics?limit=10&offset=0")
    assert page == {"count": 0, "next": None, "previous": None, "results": []}
    assert secrets_client.get("/api/v1/diagnostics?colour=red")[0] == 400


def test_one_device_with_explain(client: Client) -> None:
    device = client.json("/api/v1/devices/hq-core-01")
    assert device["role"] == "core" and "_provenance" not in device
    explained = client.json("/api/v1/devices/hq-core-01?explain=1")
    assert explained["_provenance"]["serial"]["path"] == "devices/hq/hq-core-01.yaml"
    assert explained["_provenance"]["role"]["path"] == "groups/campus-core.yaml"
    inherited = explained["_provenance"]["vars.snmp_location"]["path"]
    assert inherited.startswith("locations/")
    status, _, body = client.get("/api/v1/devices/hq-core-1")
    assert status == 404 and "did you mean 'hq-core-01'" in json.loads(body)["error"]["message"]


def test_every_collection_answers(client: Client) -> None:
    for kind in ("locations", "groups", "links", "templates", "policies", "rules", "findings",
                 "diagnostics"):
        page = client.json(f"/api/v1/{kind}")
        assert page["count"] >= 0
        assert all("_source" in r for r in page["results"])
    assert client.json("/api/v1/locations/hq")["parent"] == "emea"
    assert client.json("/api/v1/groups/campus-core")["name"] == "campus-core"
    assert client.json("/api/v1/links?devices=hq-core-01")["count"] >= 1
    rule = client.json("/api/v1/rules?limit=1")["results"][0]
    assert client.json(rule["url"])["id"] == rule["id"]
    template = client.json("/api/v1/templates/ios/base.j2")
    assert "hostname" in template["source"]


def test_findings_filter_by_device_rule_and_severity(client: Client) -> None:
    every = client.json("/api/v1/findings?limit=1000")["results"]
    assert every
    one = every[0]
    same = client.json(f"/api/v1/findings?device={one['device']}&rule={one['rule']}"
                       f"&severity={one['severity']}")["results"]
    assert one in same
    assert client.json("/api/v1/findings?severity=info&severity__n=info")["count"] == 0


def test_findings_filter_by_waived_or_not(client: Client) -> None:
    # `waived` holds the waiver's reason, or null: true/false ask whether there is one
    every = client.json("/api/v1/findings?limit=1000")["results"]
    waived = [f for f in every if f["waived"]]
    assert waived and len(waived) < len(every)  # the examples have both kinds
    assert client.json("/api/v1/findings?waived=true")["count"] == len(waived)
    assert client.json("/api/v1/findings?waived=false")["count"] == len(every) - len(waived)
    assert client.json("/api/v1/findings?waived__n=false")["count"] == len(waived)
    reason = waived[0]["waived"]
    by_text = client.json(f"/api/v1/findings?waived__ic={reason.split()[0]}")["results"]
    assert waived[0] in by_text  # the reason is still searchable


def test_configs_per_device(client: Client) -> None:
    intended = client.json("/api/v1/devices/hq-core-01/intended")
    assert intended["config"].startswith("hostname hq-core-01")
    status, headers, body = client.get("/api/v1/devices/hq-core-01/intended?format=text")
    assert status == 200 and headers["Content-Type"].startswith("text/plain") and body.startswith(b"hostname")
    running = client.json("/api/v1/devices/hq-core-01/running")
    assert running["_source"] == {"path": "configs/hq-core-01.cfg", "line": 1}
    diff = client.json("/api/v1/devices/hq-core-01/diff")
    assert diff["status"] in ("compliant", "non-compliant")
    assert {f["feature"] for f in diff["features"]} == set(intended["templates"])


def test_a_device_diff_marks_pending_deploys_as_the_cli_does(client: Client) -> None:
    import subprocess
    import sys

    from tests.conftest import EXAMPLES

    served = client.json("/api/v1/devices/hq-acc-02/diff")
    cli = subprocess.run([sys.executable, "-m", "unet", "--repo", str(EXAMPLES), "diff",
                          "hq-acc-02", "--format", "json"], capture_output=True, text=True,
                         timeout=120, check=False)
    expected = json.loads(cli.stdout)["devices"][0]
    assert served["pending"] == expected["pending"] == ["ntp-in-running"]
    assert [(f["feature"], f["pending"]) for f in served["features"]] == \
        [(f["feature"], f["pending"]) for f in expected["features"]]


def test_etag_and_304(client: Client) -> None:
    status, headers, _ = client.get("/api/v1/devices?role=core")
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    assert len(headers["X-Unet-Commit"]) == 40
    etag = headers["ETag"]
    status, again, body = client.get("/api/v1/devices?role=core", If_None_Match=etag)
    assert (status, body) == (304, b"") and again["ETag"] == etag
    # the same query in another order is the same resource
    assert client.get("/api/v1/devices?limit=5&role=core")[1]["ETag"] == \
        client.get("/api/v1/devices?role=core&limit=5")[1]["ETag"]
    assert client.get("/api/v1/devices?role=edge", If_None_Match=etag)[0] == 200


def test_only_read_methods(client: Client) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        status, headers, body = client.request(method, "/api/v1/devices")
        assert status == 405 and headers["Allow"] == "GET, HEAD, OPTIONS"
        assert json.loads(body)["error"]["status"] == 405
    status, headers, body = client.request("HEAD", "/api/v1/devices")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    assert client.request("OPTIONS", "/api/v1/devices")[0] == 204


def test_wrong_host_is_refused_on_loopback(examples_app) -> None:  # type: ignore[no-untyped-def]
    assert Client(examples_app, host="evil.example:8080").get("/api/v1/devices")[0] == 400
    status, _, body = Client(examples_app, host="").get("/healthz")
    assert status == 400 and "the request has no Host header" in body.decode()
    for host in ("localhost:8080", "127.0.0.1", "[::1]:8080"):
        assert Client(examples_app, host=host).get("/healthz")[0] == 200


def test_paths_never_leave_the_repository(client: Client) -> None:
    for target in ("/api/v1/templates/../unet.yaml", "/api/v1/templates/ios/../../../etc/passwd.j2",
                   "/api/v1/devices/..", "/api/v1/templates/..%2f..%2fetc.j2"):
        status, _, body = client.get(target)
        assert status in (400, 404), target
        assert b"root:" not in body
    assert client.get("/api/v1/templates/unet.yaml")[0] == 404


def test_limits_on_headers_and_query(client: Client) -> None:
    assert client.get("/api/v1/devices", X_Big="a" * 20_000)[0] == 431
    assert client.get("/api/v1/devices?q=" + "a" * 5000)[0] == 414
    assert client.get("/" + "a" * 3000)[0] == 414


def test_errors_are_json_without_tracebacks(client: Client, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    status, _, body = client.get("/nowhere")
    assert status == 404 and json.loads(body)["error"]["message"].startswith("no endpoint")

    def boom(*args: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("unet.serve._state.State.record", boom)
    status, _, body = client.get("/api/v1/devices/dc1-leaf-02?explain=no")
    assert status == 500 and b"secret internals" not in body and b"Traceback" not in body
    assert "secret internals" in capsys.readouterr().err  # the operator still sees it


def test_token_required_when_set(examples_app) -> None:  # type: ignore[no-untyped-def]
    app = create_app(examples_app.served.root, token="t0ken-t0ken-t0ken")
    app.served = examples_app.served
    client = Client(app)
    status, headers, _ = client.get("/api/v1/devices")
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/devices", Authorization="Bearer wrong")[0] == 401
    assert client.get("/api/v1/devices", Authorization="Bearer t0ken-t0ken-t0ken")[0] == 200
    assert client.get("/metrics")[0] == 401
    assert client.get("/healthz")[0] == 200  # liveness probes need no token
    assert client.get("/api/v1/devices?token=t0ken-t0ken-t0ken")[0] == 401  # never in the URL


def test_cors_is_off_unless_origins_are_named(examples_app) -> None:  # type: ignore[no-untyped-def]
    _, headers, _ = Client(examples_app).get("/api/v1/devices", Origin="https://dash.example")
    assert "Access-Control-Allow-Origin" not in headers
    app = create_app(examples_app.served.root, cors_origins=["https://dash.example"])
    app.served = examples_app.served
    _, headers, _ = Client(app).get("/api/v1/devices", Origin="https://dash.example")
    assert headers["Access-Control-Allow-Origin"] == "https://dash.example"
    _, headers, _ = Client(app).get("/api/v1/devices", Origin="https://evil.example")
    assert "Access-Control-Allow-Origin" not in headers


def test_secrets_are_masked_in_records_and_configs(secrets_client: Client) -> None:
    device = secrets_client.json("/api/v1/devices/r1")
    assert device["vars"]["snmp_community"] == "********"
    assert device["vars"]["bgp"]["auth_key"] == "********"
    assert device["vars"]["ntp_servers"] == ["10.0.0.1"]
    running = secrets_client.json("/api/v1/devices/r1/running")["config"]
    assert "s3cr3t" not in running and "XYZ" not in running and "0822455D0A16" not in running
    assert "snmp-server community ******** RO" in running
    assert "hostname r1" in running
    everything = b"".join(secrets_client.get(p)[2] for p in (
        "/api/v1/devices?limit=1000", "/api/v1/devices/r1?explain=1", "/api/v1/devices/r1/diff"))
    assert b"s3cr3t" not in everything and b"k3y-value" not in everything


def test_metrics_in_prometheus_text(client: Client) -> None:
    client.get("/api/v1/devices")
    status, headers, body = client.get("/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = body.decode()
    assert "unet_devices 15" in text
    # The example's one open error is pending deploy: not an open finding, as for check.
    assert 'unet_findings_pending_deploy{severity="error",rule="ntp-in-running"} 1' in text
    assert 'unet_findings{severity="error",rule="ntp-in-running"}' not in text
    assert 'unet_devices_compliant{feature="ios/base.j2"}' in text
    assert 'unet_http_requests_total{endpoint="list",method="GET",code="200"}' in text
    assert 'unet_http_request_duration_seconds_bucket{endpoint="list",le="+Inf"}' in text
    for line in text.splitlines():
        assert line.startswith("#") or len(line.rsplit(" ", 1)) == 2


def test_the_grafana_dashboard_uses_metrics_that_exist(client: Client) -> None:
    import re

    from tests.conftest import EXAMPLES

    dashboard = (EXAMPLES / "grafana-dashboard.json").read_text()
    used = set(re.findall(r"unet_[a-z_]+", dashboard))
    text = client.get("/metrics")[2].decode()
    # Every family is declared (# TYPE), also one with no sample now (no open findings).
    served = set(re.findall(r"^# TYPE (unet_[a-z_]+)", text, re.M))
    assert used and {re.sub(r"_(bucket|sum|count)$", "", n) for n in used} <= served
