"""`unet check` wiring: formats, reports, exit codes, device selection."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from unet.cli import cli

POLICY = ('RULE roles SEVERITY warning "Roles"\nWHEN true THEN ASSERT node.role IN ["core"]\n'
          'RULE mgmt WHEN true THEN ASSERT node.management_ip STARTSWITH "10.0.0.1"\n')


def check(root, *args: str):
    return CliRunner().invoke(cli, ["--repo", str(root), "check", *args])


@pytest.fixture
def repo(make_repo):
    return make_repo({"policies/base.unet": POLICY})


def test_findings_exit_1_and_name_the_line(repo) -> None:
    result = check(repo)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "devices/hq/r2.yaml:4:7: roles warning: r2: expected node.role IN [\"core\"]; "
        "node.role is \"access\"",
        "devices/hq/r2.yaml:5:16: mgmt error: r2: expected node.management_ip STARTSWITH "
        "\"10.0.0.1\"; node.management_ip is \"10.0.0.2\"",
    ]
    assert "1 error, 1 warning; 2 devices, 2 rules, 4 checks" in result.stderr


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1), ("info", 1),
                                              ("never", 0)])
def test_fail_on_with_only_a_warning(make_repo, fail_on: str, code: int) -> None:
    root = make_repo({"policies/base.unet": POLICY.split("RULE mgmt")[0]})
    assert check(root, "--fail-on", fail_on).exit_code == code


def test_exit_zero_keeps_output(repo) -> None:
    result = check(repo, "--exit-zero")
    assert result.exit_code == 0 and "mgmt error" in result.stdout


def test_devices_and_where_select(repo) -> None:
    assert check(repo, "r1").exit_code == 0
    assert check(repo, "--where", 'node.role == "core"').exit_code == 0
    result = check(repo, "--where", "node.rol == 1")
    assert result.exit_code == 2
    assert "--where:1:1: P201 error: unknown field 'node.rol' (did you mean 'node.role'?)" \
        in result.stdout
    assert check(repo, "r9").exit_code == 2


def test_policy_errors_stop_the_run_with_exit_2(make_repo) -> None:
    root = make_repo({"policies/bad.unet": "WHEN node.role = 1 THEN ASSERT true\n",
                      "policies/good.unet": POLICY})
    result = check(root)
    assert result.exit_code == 2
    assert result.stdout.startswith("policies/bad.unet:1:16: P101 error: '=' is not a comparison")
    # No rule was tried, so none is said to have matched no device.
    assert "matched no device" not in result.stderr


def test_reports_in_several_formats_in_one_run(repo, tmp_path) -> None:
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.xml"
    result = check(repo, "--format", "json", "--report", f"sarif={sarif}",
                   "--report", f"junit={junit}")
    document = json.loads(result.stdout)
    assert [f["rule"] for f in document["findings"]] == ["roles", "mgmt"]
    assert json.loads(sarif.read_text())["runs"][0]["results"][0]["ruleId"] in ("mgmt", "roles")
    assert junit.read_text().startswith("<?xml")


def test_github_format(repo) -> None:
    result = check(repo, "--format", "github")
    assert "::error file=devices/hq/r2.yaml,line=5,col=16,title=mgmt::" in result.stdout


def test_waivers_mark_findings(make_repo) -> None:
    root = make_repo({"policies/base.unet": POLICY,
                      "waivers.yaml": "waivers:\n  - rule: mgmt\n    devices: [r2]\n"
                                      "    reason: lab device\n"})
    result = check(root)
    assert result.exit_code == 0  # the only error is waived; the warning is below --fail-on
    assert "mgmt error (waived: lab device): r2:" in result.stdout


def test_no_policies_is_a_clean_run_that_says_so(make_repo) -> None:
    result = check(make_repo())
    assert result.exit_code == 0
    assert "0 rules" in result.stderr


def test_conditions_on_the_intended_configuration(make_repo) -> None:
    root = make_repo({
        "groups/ios.yaml": "name: ios\nplatform: ios\nvendor: cisco\ntemplates: [ios/base.j2]\n",
        "templates/ios/base.j2": "hostname {{ name }}\n{% if role == 'core' %}"
                                 "ip ssh version 2\n{% endif %}\n",
        "policies/intended.unet": 'RULE ssh2 WHEN true THEN ASSERT intended HAS "ip ssh version 2"\n'
                                  'RULE tier WHEN node.role == "access" THEN SET node.role TO "core"\n'
                                  'RULE ssh2-after-set WHEN true THEN ASSERT intended HAS '
                                  '"ip ssh version 2"\n',
    })
    result = check(root, "--format", "json")
    findings = [(f["rule"], f["device"], f["path"], f["line"])
                for f in json.loads(result.stdout)["findings"]]
    # r2 is access: its intended config lacks the line until a later rule SETs the role;
    # the finding points at where its templates are chosen.
    assert findings == [("ssh2", "r2", "groups/ios.yaml", 4)]


def test_policy_warnings_are_reported_by_check_as_by_policy_validate(make_repo) -> None:
    constant = 'RULE said WHEN true THEN ASSERT "Device is properly configured"\n'
    root = make_repo({"policies/base.unet": constant})
    for _ in range(2):  # cold, then from the index
        result = check(root)
        assert result.exit_code == 0
        assert result.stdout.startswith("policies/base.unet:1:33: P216 warning: ASSERT \"Device")
        assert "1 warning" in result.stderr


def test_a_report_path_that_is_a_symlink_is_replaced_not_followed(repo, tmp_path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    sarif = tmp_path / "unet.sarif"
    sarif.symlink_to(victim)
    result = check(repo, "--report", f"sarif={sarif}")
    assert result.exit_code in (0, 1), result.output
    assert victim.read_text() == "keep me\n"
    assert not sarif.is_symlink() and json.loads(sarif.read_text())["version"] == "2.1.0"


def test_a_report_is_never_written_into_a_git_directory(repo, tmp_path) -> None:
    (tmp_path / ".git").mkdir()
    result = check(repo, "--report", f"sarif={tmp_path / '.git' / 'config'}")
    assert result.exit_code == 2
    assert "cannot write report" in result.stderr and "inside a .git directory" in result.stderr
    assert not (tmp_path / ".git" / "config").exists()


def test_a_mistyped_file_is_an_error_not_an_empty_pass(repo) -> None:
    result = check(repo, "devices/hq/r3.yaml")
    assert result.exit_code == 2
    assert "error: devices/hq/r3.yaml: no such file in the repository (did you mean" \
        in result.stderr
    assert check(repo, "devices/hq/r1.yaml").exit_code == 0  # the file exists: r1 is checked
    # a folder is every file in it (it used to check nothing, and pass)
    result = check(repo, "devices/hq")
    assert result.exit_code == 1 and "2 devices" in result.stderr, result.stderr


def test_where_sees_the_fleet(repo) -> None:
    result = check(repo, "--where", "len(fleet) > 1")
    assert "2 devices" in result.stderr, result.stderr  # not "0 devices": fleet was empty
