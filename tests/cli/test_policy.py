from __future__ import annotations

import json

from click.testing import CliRunner

from unet.cli import cli


def invoke(root, *args: str):
    return CliRunner().invoke(cli, ["--repo", str(root), "policy", *args])


def test_validate_reports_every_error_with_a_caret(make_repo) -> None:
    root = make_repo({"policies/a.unet": "WHEN node.role = 1 THEN ASSERT true\n",
                      "policies/b.unet": "WHEN node.vendr == 1 THEN ASSERT true\n"})
    result = invoke(root, "validate")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        "policies/a.unet:1:16: P101 error: '=' is not a comparison; use '==' (or IS) to compare",
        " 1 | WHEN node.role = 1 THEN ASSERT true",
        "   |                ^",
        "policies/b.unet:1:6: P201 error: unknown field 'node.vendr' (did you mean 'node.vendor'?); "
        "device fields are: all_groups, connection, description, groups, inherited, interfaces, lifecycle, links, "
        "location, management_ip, model, name, os_version, platform, role, serial, tags, "
        "templates, unclaimed, vars, vendor",
        " 1 | WHEN node.vendr == 1 THEN ASSERT true",
        "   |      ^",
    ]


def test_validate_clean(make_repo) -> None:
    result = invoke(make_repo({"policies/a.unet": "WHEN true THEN ASSERT true\n"}), "validate")
    assert result.exit_code == 0
    assert "no problems (1 file, 1 rule)" in result.stderr


TESTS = """tests:
  - name: core passes
    device: {name: t1, groups: [ios], role: core}
    expect: {core-only: pass}
  - name: access fails
    device: {name: t2, groups: [ios], role: access}
    expect: {core-only: fail}
"""


def test_policy_test_passes_and_lists_untested_rules(make_repo) -> None:
    root = make_repo({"policies/a.unet": 'RULE core-only WHEN true THEN ASSERT node.role == "core"\n'
                                         "RULE other WHEN true THEN ASSERT true\n",
                      "policies/tests/t.yaml": TESTS})
    result = invoke(root, "test")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "PASS policies/tests/t.yaml:2:5: core passes",
        "PASS policies/tests/t.yaml:5:5: access fails",
        "rules without tests: other",
    ]


def test_policy_test_failure_says_why(make_repo) -> None:
    root = make_repo({"policies/a.unet": 'RULE core-only WHEN true THEN ASSERT true\n',
                      "policies/tests/t.yaml": TESTS})
    result = invoke(root, "test", "--format", "json")
    assert result.exit_code == 1
    cases = json.loads(result.stdout)["cases"]
    assert cases[1]["failures"] == ["expected core-only to fail; it passed"]
