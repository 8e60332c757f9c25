"""No secret leaves the server: a repository with secrets planted everywhere, then every
endpoint's response bytes are scanned for them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.serve.conftest import Client, git
from unet.config import MASK
from unet.serve import create_app

# Every planted secret starts with PLNT, so a leak of any of them is one search.
YAML_SECRETS = {
    "apikey": "PLNTapikey1", "api_key": "PLNTapikey2", "privateKey": "PLNTprivkey",
    "psk": "PLNTpskvalue", "pwd": "PLNTpwdvalue", "pass": "PLNTpassvalue",
    "passphrase": "PLNTphrase", "auth_string": "PLNTauthstr", "snmp_community": "PLNTcommyaml",
}
VARS = "".join(f"  {k}: {v}\n" for k, v in YAML_SECRETS.items())

IOS_RUNNING = """\
hostname r-ios
enable secret 9 $9$PLNTenablehash
username admin privilege 15 secret 9 $9$PLNTuserhash
service password-encryption
tacacs server ISE
 address ipv4 10.0.0.5
 key 7 PLNT0822455D0A16544541
radius server RAD
 address ipv4 10.0.0.6 auth-port 1812
 key PLNTradiuskey
snmp-server community PLNTsnmpios RO
snmp-server host 10.0.0.9 version 2c PLNTsnmphost
snmp-server user U G v3 auth sha PLNTsnmpauth priv aes 128 PLNTsnmppriv
crypto isakmp key PLNTisakmp address 10.0.0.1
crypto keyring KR
 pre-shared-key address 10.0.0.2 key PLNTkeyring
ntp authentication-key 1 md5 PLNTntpkey 7
dot11 ssid S
 wpa-psk ascii 0 PLNTwpakey
router bgp 65000
 neighbor 10.0.0.2 password 7 PLNTbgpkey
 neighbor 10.0.0.2 send-community extended
line vty 0 4
 password 7 PLNTvtypass
"""
NXOS_RUNNING = """\
hostname r-nxos
username admin password 5 $5$PLNTnxoshash  role network-admin
snmp-server user admin network-admin auth md5 0xPLNTnxauth priv 0xPLNTnxpriv localizedkey
tacacs-server host 10.0.0.5 key 7 "PLNTnxtacacs"
interface Ethernet1/1
  ip ospf authentication-key 3 PLNTnxospf
"""
EOS_RUNNING = """\
hostname r-eos
username admin privilege 15 role network-admin secret sha512 $6$PLNTeoshash
router bgp 65000
   neighbor 10.0.0.1 password 7 PLNTeosbgp
interface Ethernet1
   isis authentication key 7 PLNTeosisis
"""
IOSXR_RUNNING = """\
hostname r-iosxr
username admin
 secret 10 $6$PLNTxrhash
tacacs-server host 10.0.0.5 port 49
 key 7 PLNTxrtacacs
router ospf 1
 area 0
  interface GigabitEthernet0/0/0/0
   authentication-key encrypted PLNTxrospf
"""
JUNOS_RUNNING = """\
system {
    host-name r-junos;
    root-authentication {
        encrypted-password "$6$PLNTjunosroot"; ## SECRET-DATA
    }
    tacplus-server {
        10.0.0.5 {
            secret "PLNTjunostacplus";
        }
    }
}
security {
    ike {
        policy IKE {
            pre-shared-key ascii-text "PLNTjunospsk";
        }
    }
}
snmp {
    community PLNTjunoscomm {
        authorization read-only;
    }
    community PLNTjunostpl {
        authorization read-write;
    }
}
"""

FILES = {
    "unet.yaml": "name: planted\n",
    "defaults.yaml": "vars:\n  ntp_servers: [10.0.0.1]\n  enable_secret: PLNTdefaults\n",
    "locations/hq.yaml": "name: hq\ntype: site\nvars:\n  token: PLNTlocationtoken\n",
    "groups/cisco.yaml": "name: cisco\nvendor: cisco\nvars:\n  tacacs_key: PLNTgroupkey\n",
    "devices/hq/r-ios.yaml": "name: r-ios\nlocation: hq\ngroups: [cisco]\nplatform: ios\n"
                             "templates: [ios/base.j2]\nvars:\n" + VARS
                             + "  snmp_ro: PLNTtplvalue\n",
    "devices/hq/r-nxos.yaml": "name: r-nxos\nlocation: hq\ngroups: [cisco]\nplatform: nxos\n",
    "devices/hq/r-eos.yaml": "name: r-eos\nlocation: hq\nplatform: eos\n",
    "devices/hq/r-iosxr.yaml": "name: r-iosxr\nlocation: hq\nplatform: iosxr\n",
    "devices/hq/r-junos.yaml": "name: r-junos\nlocation: hq\nplatform: junos\n"
                               "templates: [junos/base.j2]\nvars:\n  snmp_ro: PLNTjunostpl\n",
    "devices/hq/r-bad.yaml": "name: r-bad\nlocation: hq\nplatform: ios\ntemplates: [ios/bad.j2]\n"
                             "vars:\n  psk: PLNTnotanip\n",
    "links/hq.yaml": 'links:\n  - endpoints: ["r-ios:Gi1", "r-nxos:Ethernet1/1"]\n'
                     "    vars: {md5_password: PLNTlinkkey}\n",
    "templates/ios/base.j2": '{# unet: match "hostname .*" "snmp-server .*" "ntp .*" #}\n'
                             "hostname {{ name }}\n"
                             "snmp-server community {{ vars.snmp_ro }} RO\n"
                             "snmp-server community PLNTtplliteral RW\n"
                             "ntp authentication-key 2 md5 {{ vars.psk }}\n",
    "templates/ios/bad.j2": "interface Gi1\n ip address 10.0.0.1 {{ vars.psk | netmask }}\n",
    "templates/junos/base.j2": '{# unet: match "system||host-name" "snmp" #}\n'
                               "system {\n    host-name {{ name }};\n}\n"
                               "snmp {\n    community {{ vars.snmp_ro }} {\n"
                               "        authorization read-only;\n    }\n}\n",
    "configs/r-ios.cfg": IOS_RUNNING,
    "configs/r-nxos.cfg": NXOS_RUNNING,
    "configs/r-eos.cfg": EOS_RUNNING,
    "configs/r-iosxr.cfg": IOSXR_RUNNING,
    "configs/r-junos.cfg": JUNOS_RUNNING,
    "policies/quote.unet": (
        'RULE quotes-yaml SEVERITY warning "a message quoting a masked value"\n'
        'WHEN node.name == "r-ios"\n'
        'THEN ASSERT node.vars.snmp_community == "other" MESSAGE "community is {node.vars.snmp_community}"\n'
        'RULE default-message SEVERITY warning\n'
        'WHEN node.name == "r-ios" THEN ASSERT node.vars.apikey == "nope"\n'
        'RULE junos-lines SEVERITY warning\n'
        'WHEN node.platform == "junos" AND running IS NOT NULL\n'
        'THEN ASSERT ALL l IN running.lines("snmp||community||.*") SATISFIES l == "x" MESSAGE "{l}"\n'
        'RULE ios-lines SEVERITY warning\n'
        'WHEN node.name == "r-ios" AND running IS NOT NULL\n'
        'THEN ASSERT ALL l IN running.lines("tacacs server .*||key .*") SATISFIES l == "x" MESSAGE "{l}"\n'
        'RULE intended-lines SEVERITY warning\n'
        'WHEN node.name == "r-junos"\n'
        'THEN ASSERT ALL l IN intended.lines("snmp||community||.*") SATISFIES l == "x" MESSAGE "{l}"\n'
    ),
}


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    root = tmp_path_factory.mktemp("planted") / "net"
    for relative, text in FILES.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "planted")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UNET_CACHE_DIR", str(tmp_path_factory.mktemp("planted-cache")))
        app = create_app(root, refresh=0)
        app.served.refresh()
        yield Client(app)
    app.close()


def _every_endpoint(client: Client) -> Iterator[str]:
    """Every URL the API offers for this repository, found by following it."""
    yield from ("/healthz", "/metrics", "/api/v1/", "/api/v1/openapi.json",
                "/api/v1/devices/nope", "/api/v1/templates/nope.j2")
    kinds = json.loads(client.get("/api/v1/")[2])
    for kind, url in kinds.items():
        if not isinstance(url, str) or not url.startswith("/api/v1/") or kind == "openapi":
            continue
        yield url + "?limit=1000"
        for record in json.loads(client.get(url + "?limit=1000")[2])["results"]:
            if "url" in record:
                yield record["url"]
                if kind == "templates":
                    yield record["url"] + "?format=text"
            if kind == "devices":
                name = record["name"]
                yield f"/api/v1/devices/{name}?explain=1"
                for what in ("intended", "running", "diff"):
                    yield f"/api/v1/devices/{name}/{what}"
                    yield f"/api/v1/devices/{name}/{what}?format=text"


def test_no_planted_secret_leaves_any_endpoint(planted: Client) -> None:
    seen: dict[str, bytes] = {}
    for url in _every_endpoint(planted):
        status, _, body = planted.get(url)
        assert status in (200, 404), (url, status, body[:300])
        seen[url] = body
    assert len(seen) > 40
    leaks = {url: body.decode()[max(0, body.find(b"PLNT") - 80):body.find(b"PLNT") + 40]
             for url, body in seen.items() if b"PLNT" in body}
    assert not leaks


def test_what_is_masked_is_still_useful(planted: Client) -> None:
    running = planted.json("/api/v1/devices/r-ios/running")["config"]
    assert f"tacacs server ISE\n address ipv4 10.0.0.5\n key 7 {MASK}\n" in running
    assert f"snmp-server user U G v3 auth sha {MASK} priv aes 128 {MASK}" in running
    assert " neighbor 10.0.0.2 send-community extended" in running
    assert "service password-encryption" in running
    eos = planted.json("/api/v1/devices/r-eos/running")["config"]
    assert f"secret sha512 {MASK}" in eos
    junos = planted.json("/api/v1/devices/r-junos/running")["config"]
    assert f'encrypted-password "{MASK}"; ## SECRET-DATA' in junos
    assert f"community {MASK} {{" in junos
    device = planted.json("/api/v1/devices/r-ios?explain=1")
    assert all(device["vars"][key] == MASK for key in YAML_SECRETS)
    assert device["_provenance"]["vars.psk"]["path"] == "devices/hq/r-ios.yaml"
    diff = planted.json("/api/v1/devices/r-junos/diff")
    assert diff["features"] and MASK in json.dumps(diff)


def test_messages_and_diagnostics_keep_their_sense(planted: Client) -> None:
    findings = planted.json("/api/v1/findings?limit=1000")["results"]
    by_rule = {f["rule"]: f["message"] for f in findings}
    assert by_rule["quotes-yaml"] == f"community is {MASK}"
    assert MASK in by_rule["default-message"]
    assert by_rule["junos-lines"].endswith(MASK)
    intended = planted.json("/api/v1/devices/r-bad/intended")
    assert [d["message"] for d in intended["diagnostics"]] == [
        f"device r-bad: netmask: '{MASK}' is not an IP address or prefix "
        "(named at devices/hq/r-bad.yaml:4:13)"]


def test_a_secret_with_json_syntax_cannot_break_a_response(
        make_repo: Callable[..., Path]) -> None:
    root = make_repo({"devices/hq/r1.yaml": "name: r1\nlocation: hq\ngroups: [ios]\n"
                      'vars:\n  password: \'a","b\\\\q"\'\n  note: \'a","b\\\\q"\'\n'})
    app = create_app(root, refresh=0)
    try:
        body = Client(app).get("/api/v1/devices/r1")[2]
    finally:
        app.close()
    record = json.loads(body)
    assert record["vars"] == {"password": MASK, "note": MASK}


def test_a_changed_config_teaches_the_next_state_its_secrets(
        make_repo: Callable[..., Path]) -> None:
    root = make_repo({
        "devices/hq/j1.yaml": "name: j1\nlocation: hq\nplatform: junos\n",
        "configs/j1.cfg": "snmp {\n    community PLNTfirst {\n        authorization read-only;\n    }\n}\n",
        "policies/p.unet": 'RULE c WHEN node.name == "j1" THEN ASSERT ALL l IN '
                           'running.lines("snmp||community||.*") SATISFIES l == "x" MESSAGE "<{l}>"\n'})
    app = create_app(root, refresh=0)
    try:
        client = Client(app)
        assert [f["message"] for f in client.json("/api/v1/findings")["results"]] == [f"<{MASK}>"]
        (root / "configs/j1.cfg").write_text(
            "snmp {\n    community PLNTsecond {\n        authorization read-only;\n    }\n}\n")
        assert app.served.refresh()
        body = client.get("/api/v1/findings")[2]
        assert b"PLNT" not in body and json.loads(body)["results"][0]["message"] == f"<{MASK}>"
    finally:
        app.close()
