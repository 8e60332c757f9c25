"""A pull request's symlinks into .git/ (where CI keeps its token) never leak it.

Each scenario is a copy of examples/ in real git, with a token in `.git/config` as
`actions/checkout` leaves it (`http.extraheader`) and hostile links committed. Every
output of render, check, validate, diff and serve (work tree and `--rev`) is searched
for the token; each reader names the link with U111 instead.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import GIT_IDENTITY, git, git_examples
from tests.serve.conftest import Client
from unet.cli import cli
from unet.serve import create_app

TOKEN = "ghs_SECRETCItoken0123456789abcdef"
LEAK_RULE = ('RULE leak SEVERITY error\nWHEN node.name == "ber1-rtr-01"\n'
             'THEN ASSERT ALL l IN running.lines("\\[http\\]||.*") SATISFIES l == "x" '
             'MESSAGE "{l}"\n')


def _links(root: Path, links: dict[str, str]) -> None:
    for link, target in links.items():
        (root / link).unlink(missing_ok=True)
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / link)


def _config_and_template_links(root: Path) -> None:
    _links(root, {"templates/ios/gitcfg.j2": "../../.git/config",
                  "templates/ios/sub": "../../.git",
                  "configs/ber1-rtr-01.cfg": "../.git/config",
                  "configs/hq-acc-01.cfg": str(root / ".git" / "config")})  # absolute
    group = root / "groups" / "all-cisco-ios.yaml"
    group.write_text(group.read_text().replace(
        "templates: [ios/base.j2, ios/interfaces.j2]",
        "templates: [ios/base.j2, ios/interfaces.j2, ios/gitcfg.j2, ios/inc.j2]"))
    (root / "templates" / "ios" / "inc.j2").write_text('{% include "ios/sub/config" %}\n')
    (root / "policies" / "leak.unet").write_text(LEAK_RULE)


def _data_and_policy_links(root: Path) -> None:
    _links(root, {"devices/hq/hq-gitcfg.yaml": "../../.git/config",
                  "groups/gitcfg.yaml": "../.git/config",
                  "policies/gitcfg.unet": "../.git/config",
                  "waivers.yaml": ".git/config",
                  "defaults.yaml": ".git/config"})


SCENARIOS = {"configs and templates": _config_and_template_links,
             "data and policies": _data_and_policy_links}


@pytest.fixture(params=sorted(SCENARIOS))
def leaky(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    root = git_examples(tmp_path / "net")
    git(root, "config", "http.https://github.com/.extraheader", f"AUTHORIZATION: basic {TOKEN}")
    SCENARIOS[request.param](root)
    git(root, "add", "-A")
    git(root, *GIT_IDENTITY, "commit", "-qm", "a pull request")
    return root


def unet(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--repo", str(root), *args])
    return result.exit_code, result.stdout + result.stderr


COMMANDS = [("render",), ("render", "--format", "json"), ("check",), ("check", "--no-cache"),
            ("check", "--format", "json"), ("check", "--format", "sarif"), ("validate",),
            ("diff",), ("diff", "--format", "json", "--remediation"), ("diff", "--rev", "HEAD"),
            ("diff", "--rev", "HEAD~1..HEAD")]


def test_no_command_prints_the_token_and_each_names_the_link(leaky: Path) -> None:
    seen = []
    for command in COMMANDS:
        code, output = unet(leaky, *command)
        assert TOKEN not in output, command
        assert code != 3, (command, output)
        seen.append(output)
    assert any("U111" in out for out in seen)
    code, output = unet(leaky, "check")
    assert code == 2 and "U111 error" in output and "points into .git/" in output


def test_render_names_the_template_link(tmp_path: Path) -> None:
    root = git_examples(tmp_path / "net")
    _config_and_template_links(root)
    code, output = unet(root, "render", "ber1-rtr-01")
    assert code == 2 and TOKEN not in output and "[http]" not in output
    assert "templates/ios/gitcfg.j2:1:1: U111 error: device ber1-rtr-01: template " \
           "'ios/gitcfg.j2' is a symlink to '../../.git/config' that points into .git/" in output
    assert "templates/ios/inc.j2:1:1: U111 error: device ber1-rtr-01: template 'ios/sub/config' " \
           "goes through the symlink 'templates/ios/sub' (to '../../.git') that points into " \
           ".git/" in output


def _serve(root: Path, rev: str | None = None) -> Iterator[tuple[str, int, bytes]]:
    app = create_app(root, rev=rev, refresh=0)
    try:
        client = Client(app)
        paths = ["/api/v1/findings?limit=1000", "/api/v1/diagnostics?limit=1000",
                 "/api/v1/templates?limit=1000", "/api/v1/devices?limit=1000",
                 "/api/v1/policies", "/api/v1/rules", "/metrics"]
        for kind in ("devices", "templates"):
            for record in json.loads(client.get(f"/api/v1/{kind}?limit=1000")[2])["results"]:
                paths.append(record["url"] + "?explain=1" if kind == "devices" else record["url"])
                if kind == "devices":
                    paths += [f"{record['url']}/{what}" for what in ("intended", "running", "diff")]
                else:
                    paths.append(record["url"] + "?format=text")
        for path in paths:
            status, _, body = client.get(path)
            yield path, status, body
    finally:
        app.close()


@pytest.mark.parametrize("rev", [None, "HEAD"])
def test_serve_never_returns_the_token(leaky: Path, rev: str | None) -> None:
    answers = list(_serve(leaky, rev))
    assert len(answers) > 40
    for path, status, body in answers:
        assert TOKEN.encode() not in body, path
        assert status != 500, (path, body[:300])
    if (leaky / "templates" / "ios" / "gitcfg.j2").is_symlink():
        refused = [(status, body) for path, status, body in answers
                   if path.endswith("gitcfg.j2") or path.endswith("ber1-rtr-01/running")]
        assert len(refused) == 2
        for status, body in refused:
            assert status == 404 and b"points into .git/" in body
