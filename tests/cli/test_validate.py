"""`unet validate` on each kind of bad input: file:line:col, exit code 2, nothing lost."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from unet.cli import cli

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [" + ", ".join([f"*{p}"] * 10) + "]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True)
)


def validate(root, *args: str):
    return CliRunner().invoke(cli, ["--repo", str(root), "validate", *args])


def test_clean_repository_exits_0(make_repo) -> None:
    result = validate(make_repo())
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no problems (2 devices, 6 files)" in result.stderr


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"devices/hq/r2.yaml": "name: r2\n  bad: indent\n"}, "devices/hq/r2.yaml:2:6: U101 error"),
        ({"devices/hq/r2.yaml": "name: r2\nrole: core\nrole: edge\n"}, "devices/hq/r2.yaml:3:1: U102"),
        ({"devices/hq/r1.yaml": "name: r1\ngroups: [ios]\ninterfaces:\n  Gi1: {mtu: \"9214x\"}\n"},
         "devices/hq/r1.yaml:4:14: U204 error: interfaces.Gi1.mtu: expected an integer"),
        ({"devices/hq/r2.yaml": "name: r2\ngroups: [ios]\nplatfrom: ios\n"},
         "devices/hq/r2.yaml:3:1: U202 error: unknown key 'platfrom' (did you mean 'platform'?)"),
        ({"devices/hq/r2.yaml": "name: r2\ngroups: [isо]\n"}, "devices/hq/r2.yaml:2:10: U302"),
        ({"devices/hq/r2.yaml": "name: r2\nlocation: moon\ngroups: [ios]\n"}, "U301 error: unknown location 'moon'"),
        ({"groups/ios.yaml": "name: ios\nplatform: ios\nparents: [ios]\n"}, "U309 error: group cycle: ios -> ios"),
        ({"links/hq.yaml": "links:\n  - endpoints: [\"r1:Gi1\", \"r9:Gi1\"]\n"}, "U303 error: link endpoint 'r9:Gi1'"),
        ({"devices/hq/r2.yaml": ""}, "devices/hq/r2.yaml:1:1: U104 error: file is empty"),
        ({"devices/hq/r2.yaml": b"name: r2\ndescription: \xff\n"}, "devices/hq/r2.yaml:2:14: U105"),
        ({"devices/hq/r2.yaml": b"name: r2\nvars: {blob: '" + b"x" * (20 * 1024 * 1024) + b"'}\n"},
         "devices/hq/r2.yaml:1:1: U106 error: file is 20.0 MiB"),
        ({"devices/hq/r2.yaml": BOMB}, "U103 error: aliases in this file expand"),
    ],
    ids=["syntax", "duplicate-key", "wrong-type", "unknown-key", "missing-group",
         "missing-location", "group-cycle", "link-to-missing-device", "empty-file",
         "not-utf8", "huge-file", "alias-bomb"],
)
def test_bad_input_is_reported_at_its_line_with_exit_2(make_repo, files, expected) -> None:
    result = validate(make_repo(files))
    assert result.exit_code == 2
    assert expected in result.stdout
    assert "error" in result.stderr


def test_device_file_that_is_a_directory(make_repo) -> None:
    root = make_repo()
    (root / "devices" / "r3.yaml").mkdir()
    result = validate(root)
    assert result.exit_code == 2
    assert "devices/r3.yaml:1:1: U108 error: cannot read: is a directory, not a file" in result.stdout


def test_every_problem_in_one_run_sorted(make_repo) -> None:
    root = make_repo({
        "devices/hq/r2.yaml": "name: r2\nlocation: moon\ngroups: [ios]\nmtu: 1\n",
        "groups/ios.yaml": "name: ios\nplatform: ios\nvendr: cisco\n",
    })
    lines = validate(root).stdout.splitlines()
    assert len(lines) == 3
    assert lines == sorted(lines)


def test_json_format_and_extra_report(make_repo, tmp_path) -> None:
    root = make_repo({"devices/hq/r2.yaml": "name: r2\nlocation: moon\ngroups: [ios]\n"})
    extra = tmp_path / "out.txt"
    result = validate(root, "--format", "json", "--report", f"text={extra}")
    document = json.loads(result.stdout)
    assert document["command"] == "validate"
    assert document["summary"]["errors"] == 1
    [diagnostic] = document["diagnostics"]
    assert diagnostic | {"message": ""} == {"path": "devices/hq/r2.yaml", "line": 2, "col": 11,
                                            "code": "U301", "severity": "error", "message": "",
                                            "related": []}
    assert extra.read_text().startswith("devices/hq/r2.yaml:2:11: U301 error")


def test_report_target_must_be_format_equals_path(make_repo) -> None:
    result = validate(make_repo(), "--report", "sarif")
    assert result.exit_code == 2
    assert "expected FORMAT=PATH" in result.output


WAIVED_POLICY = {"policies/mgmt.unet": 'RULE mgmt WHEN true THEN ASSERT node.role == "core"\n'}


def test_waivers_are_validated_at_the_line_of_each_problem(make_repo) -> None:
    root = make_repo({**WAIVED_POLICY, "waivers.yaml": (
        "waivers:\n"
        "  - rule: mgnt\n    devices: [r2]\n    reason: typo in the rule\n"
        "  - rule: mgmt\n    devices: [r2, r9, 'x*']\n    reason: lab\n"
        "  - rule: mgmt\n    devices: [r2]\n    reason: old\n    expires: '2020-01-31'\n"
        "  - rule: mgmt\n    devices: [r2]\n    reason: bad date\n    expires: '2027-02-30'\n")})
    result = validate(root)
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        "waivers.yaml:2:5: W104 warning: waiver names rule 'mgnt', which no policy defines "
        "(did you mean 'mgmt'?)",
        "waivers.yaml:6:19: W106 warning: waiver for 'mgmt' names device 'r9', which is not "
        "in the inventory (did you mean 'r2'?)",
        "waivers.yaml:6:23: W106 warning: waiver for 'mgmt' names device pattern 'x*', which "
        "matches no device",
        "waivers.yaml:8:5: W102 warning: waiver for 'mgmt' expired on 2020-01-31; it no longer "
        "suppresses findings",
        "waivers.yaml:15:14: W101 error: expires: '2027-02-30' is not a date; write YYYY-MM-DD"]
    assert "1 error, 4 warnings (2 devices, 7 files)" in result.stderr


def test_waiver_for_a_device_whose_file_has_errors_names_only_that_error(make_repo) -> None:
    root = make_repo({**WAIVED_POLICY, "devices/hq/r2.yaml": "name: r2\n  bad: indent\n",
                      "waivers.yaml": "waivers:\n  - rule: mgmt\n    devices: [r2]\n"
                                      "    reason: x\n"})
    result = validate(root)
    assert [line.split(": ")[1].split()[0] for line in result.stdout.splitlines()] == ["U101"]


def test_waivers_need_no_policy_that_parses(make_repo) -> None:
    # A policy with a syntax error: its rule ids are unknown, so no W104 is guessed.
    root = make_repo({"policies/mgmt.unet": "RULE mgmt WHEN true THEN ASSRT x\n",
                      "waivers.yaml": "waivers:\n  - rule: mgmt\n    devices: [r2]\n"
                                      "    reason: x\n"})
    result = validate(root)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_a_waiver_expires_on_a_warm_run_too(make_repo) -> None:
    from datetime import date

    from unet.index import indexed_validate
    from unet.source import worktree_snapshot

    root = make_repo({**WAIVED_POLICY, "waivers.yaml": (
        "waivers:\n  - rule: mgmt\n    devices: [r2]\n    reason: x\n"
        "    expires: '2027-01-31'\n")})
    before = indexed_validate(root, worktree_snapshot(root), today=date(2027, 1, 31))
    again = indexed_validate(root, worktree_snapshot(root), today=date(2027, 1, 31))
    after = indexed_validate(root, worktree_snapshot(root), today=date(2027, 2, 1))
    assert (before.diagnostics, again.warm) == ([], True)
    assert [d.code for d in after.diagnostics] == ["W102"]


def test_a_running_config_with_a_nul_byte_is_named_at_that_byte(make_repo) -> None:
    import json

    root = make_repo({"configs/r1.cfg": b"hostname r1\ninterface Gi1\n description a\x00b\n",
                      "configs/r2.cfg": "hostname r2\n",
                      "groups/ios.yaml": "name: ios\nplatform: ios\ntemplates: [t.j2]\n",
                      "templates/t.j2": "hostname {{ name }}\n"})
    result = CliRunner().invoke(cli, ["--repo", str(root), "diff", "--format", "json"])
    found = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "C301"]
    assert [(d["path"], d["line"], d["col"]) for d in found] == [("configs/r1.cfg", 3, 15)]
    assert "a NUL byte" in found[0]["message"]


def test_validate_reports_where_running_configs_points(tmp_path) -> None:
    (tmp_path / "unet.yaml").write_text("name: t\nrunning_configs: ../x/{name}\n")
    result = CliRunner().invoke(cli, ["--repo", str(tmp_path), "validate", "--no-cache"])
    assert result.exit_code == 2 and "unet.yaml:2:18: C310 error" in result.stdout


def test_policy_test_fixtures_are_validated_too(make_repo) -> None:
    """`unet validate` said "no problems" while `unet policy test` failed on a fixture."""
    root = make_repo({
        "policies/a.unet": 'RULE core-only WHEN true THEN ASSERT node.role == "core"\n',
        "policies/tests/t.yaml": "tests:\n  - name: one\n    device: {name: t1, groups: [iso]}\n"
                                 "    expect: {core-onyl: pass}\n"})
    result = validate(root)
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith("policies/tests/t.yaml:3:33: U302 error: unknown group 'iso'")
    assert lines[1].startswith("policies/tests/t.yaml:4:14: P401 error: no rule 'core-onyl'")
