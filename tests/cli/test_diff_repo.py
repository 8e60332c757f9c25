from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from unet.cli import cli


def run(repo: Path, *args: str):
    return CliRunner().invoke(cli, ["--repo", str(repo), "diff", *args])


def test_examples_show_the_planted_drift_and_the_rollup():
    result = run(EXAMPLES)
    assert result.exit_code == 1
    out = result.stdout
    assert "hq-acc-02  non-compliant" in out and "+ ntp server 10.0.0.2" in out
    # the running config lacks what the intended one has: a deploy fixes the NTP finding
    assert "ios/base.j2: missing (pending deploy: fixes ntp-in-running)" in out
    assert "- snmp-server community public RO" in out
    assert "ios/base.j2: order-only" in out
    assert "Compliance: 10/14 devices compliant" in out
    assert run(EXAMPLES, "--exit-zero").exit_code == 0
    assert run(EXAMPLES, "hq-acc-01", "--exit-code").exit_code == 0


def test_formats_and_report_files(tmp_path: Path):
    target = tmp_path / "diff.xml"
    result = run(EXAMPLES, "--format", "json", "--report", f"junit={target}", "--remediation")
    document = json.loads(result.stdout)
    assert document["rollup"]["compliant"] == 10
    acc = next(d for d in document["devices"] if d["device"] == "hq-acc-02")
    assert acc["features"][0]["remediation"] == ["ntp server 10.0.0.2"]
    assert 'failures="4"' in target.read_text()
    assert "| hq-acc-02 |" in run(EXAMPLES, "--format", "markdown").stdout


def test_input_errors_exit_2_and_other_devices_still_report(tmp_path: Path):
    repo = tmp_path / "ex"
    shutil.copytree(EXAMPLES, repo)
    (repo / "configs" / "hq-acc-01.cfg").write_text("")
    result = run(repo)
    assert result.exit_code == 2
    # once, in the report (as `unet check`); stderr has the summary
    assert result.stdout.count("C302 error: device hq-acc-01: the running config is empty") == 1
    assert "C302" not in result.stderr and "1 with errors" in result.stderr
    assert "hq-acc-02  non-compliant" in result.stdout
    assert run(repo, "nosuch").exit_code == 2


def test_a_running_line_the_parser_skips_is_named_where_it_is(tmp_path: Path):
    # Pulled configs can hold terminal debris (a backspace, Ctrl-Z): the diff is of what
    # was read, so the skipped line must be shown with its place.
    repo = tmp_path / "ex"
    shutil.copytree(EXAMPLES, repo)
    config = repo / "configs" / "hq-acc-01.cfg"
    lines = config.read_text().splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith(" description"))
    lines[at] = lines[at] + "\x08\x08"
    config.write_text("\n".join(lines) + "\n")
    result = run(repo, "hq-acc-01")
    assert result.stdout.count(f"configs/hq-acc-01.cfg:{at + 1}:1: C101 warning: "
                               "unreadable line skipped") == 1, result.stdout
    assert "hq-acc-01  non-compliant" in result.stdout  # the line counts as missing


def test_two_existing_files_keep_the_two_file_mode(tmp_path: Path):
    a, b = tmp_path / "a.cfg", tmp_path / "b.cfg"
    a.write_text("hostname a\n")
    b.write_text("hostname b\n")
    result = CliRunner().invoke(cli, ["diff", str(a), str(b), "-p", "ios"])
    assert result.exit_code == 1 and "hostname b" in result.stdout
    assert run(EXAMPLES, "hq-acc-01", "--rollback").exit_code == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_rev_shows_data_and_config_changes(tmp_path: Path):
    repo = tmp_path / "ex"
    shutil.copytree(EXAMPLES, repo)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    device = repo / "devices" / "hq" / "hq-acc-02.yaml"
    device.write_text(device.read_text().replace('"15.2(7)E9"', '"15.2(7)E10"'))
    base = repo / "templates" / "ios" / "base.j2"
    base.write_text(base.read_text().replace("no logging console", "logging console"))
    result = run(repo, "--rev", "HEAD", "hq-acc-02", "--exit-code")
    assert result.exit_code == 1, result.output
    assert "os_version: '15.2(7)E9' → '15.2(7)E10'" in result.stdout
    assert "~ logging console  (was: no logging console)" in result.stdout
    assert "| hq-acc-02 |" in run(repo, "--rev", "HEAD", "--format", "markdown").stdout
    bad = run(repo, "--rev", "nope")
    assert bad.exit_code == 2 and "unknown revision 'nope'" in bad.stderr


def test_device_plan_in_json_and_allow_protected(tmp_path: Path):
    repo = tmp_path / "ex"
    shutil.copytree(EXAMPLES, repo)
    config = repo / "configs" / "hq-acc-02.cfg"
    config.write_text(config.read_text() + "ip route 0.0.0.0 0.0.0.0 10.9.9.9\n")
    (repo / "unet.yaml").write_text((repo / "unet.yaml").read_text() + "unclaimed: report\n")
    document = json.loads(run(repo, "hq-acc-02", "--format", "json", "--remediation").stdout)
    device = document["devices"][0]
    assert "(unclaimed)" in [f["feature"] for f in device["features"]]
    assert device["plan"]["summary"]["commands"] >= 1
    assert {"text", "parents", "kind", "risk", "held", "reason"} <= set(device["plan"]["commands"][0])
    text = run(repo, "hq-acc-02", "--remediation").stdout
    assert "(unclaimed): extra" in text and "- ip route 0.0.0.0 0.0.0.0 10.9.9.9" in text


def _copy(tmp_path: Path) -> Path:
    repo = tmp_path / "ex"
    shutil.copytree(EXAMPLES, repo)
    return repo


def test_a_data_error_is_reported_and_exits_2_though_the_rest_compares(tmp_path: Path):
    # A misspelt key drops what it meant (here the access ports template): a diff that
    # says "compliant" with exit 0 would let CI pass on what was never compared.
    repo = _copy(tmp_path)
    group = repo / "groups" / "campus-access.yaml"
    group.write_text(group.read_text().replace("templates:", "templats:"))
    result = run(repo, "hq-acc-01")
    assert result.exit_code == 2
    assert "groups/campus-access.yaml:4:1: U202 error: unknown key 'templats'" in result.stdout
    document = json.loads(run(repo, "hq-acc-01", "--format", "json").stdout)
    assert any(d["code"] == "U202" for d in document["diagnostics"])


def test_a_device_whose_file_does_not_load_is_an_error_not_unknown_or_removed(tmp_path: Path):
    repo = _copy(tmp_path)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                    "commit", "-qm", "one"], check=True)
    device = repo / "devices" / "hq" / "hq-acc-01.yaml"
    device.write_text(device.read_text() + "model: again\n")
    named = run(repo, "hq-acc-01")
    assert named.exit_code == 2
    assert "device 'hq-acc-01' was not loaded: devices/hq/hq-acc-01.yaml has errors" in \
        named.output and "U102 error: duplicate key 'model'" in named.output
    assert "did you mean" not in named.output  # not another device
    revisions = run(repo, "--rev", "HEAD")
    assert revisions.exit_code == 2
    assert "hq-acc-01  error (its file has errors in" in revisions.stdout
    assert "removed" not in revisions.stdout.split("hq-acc-01  ", 1)[1].splitlines()[0]
    validate = CliRunner().invoke(cli, ["--repo", str(repo), "validate"])
    # the links to it are not a second, misleading error ("unknown device, did you mean")
    assert "U102" in validate.output and "U303" not in validate.output


def test_lines_no_template_claims_are_not_pending_deploy(tmp_path: Path):
    # a deploy leaves unclaimed lines as they are: it cannot be what fixes the finding
    repo = _copy(tmp_path)
    settings = repo / "unet.yaml"
    settings.write_text(settings.read_text() + "unclaimed: report\n")
    out = run(repo, "hq-acc-02").stdout
    assert "ios/base.j2: missing (pending deploy: fixes ntp-in-running)" in out
    assert "  (unclaimed): extra\n" in out
    features = json.loads(run(repo, "hq-acc-02", "--format", "json").stdout)["devices"][0]
    pending = {f["feature"]: f["pending"] for f in features["features"]}
    assert pending["ios/base.j2"] and not pending["(unclaimed)"]


def test_a_device_against_a_saved_file_in_place_of_its_stored_config(tmp_path: Path):
    """`unet diff hq-acc-02 saved.cfg` took the device name for a missing file."""
    saved = tmp_path / "saved.cfg"
    saved.write_text((EXAMPLES / "configs" / "hq-acc-02.cfg").read_text()
                     + "ntp server 10.0.0.2\n")  # what the stored one lacks
    result = run(EXAMPLES, "hq-acc-02", str(saved))
    assert result.exit_code == 0, result.output
    assert "1/1 devices compliant (100%)" in result.stdout
    assert run(EXAMPLES, str(saved), "hq-acc-02").exit_code == 0  # either order
    saved.write_text((EXAMPLES / "configs" / "hq-acc-02.cfg").read_text())
    result = run(EXAMPLES, str(saved), "hq-acc-02", "--remediation")
    assert result.exit_code == 1
    assert f"hq-acc-02  non-compliant  ({saved})" in result.stdout
    assert "ntp server 10.0.0.2" in result.stdout
    assert run(EXAMPLES, "hq-acc-2", str(saved)).exit_code == 2
    missing = run(EXAMPLES, "hq-acc-02", str(tmp_path / "nosuch.cfg"))  # the file, not the device
    assert missing.exit_code == 2 and "nosuch.cfg: cannot read it: No such file" in missing.stderr
