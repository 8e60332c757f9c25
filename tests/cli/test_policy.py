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
                      "policies/b.rules": 'WHEN node.role == "core" THEN ASSERT true\n',
                      "policies/tests/t.yaml": TESTS})
    result = invoke(root, "test")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "PASS policies/tests/t.yaml:2:5: core passes",
        "PASS policies/tests/t.yaml:5:5: access fails",
        "rules without tests (2):",
        "  other     policies/a.unet:2:1",
    ]
    # a rule without a name: where it is, since its id is nowhere in the file
    assert lines[4].startswith("  b-") and lines[4].endswith(
        "  policies/b.rules:1:1  (no RULE name: this id is made from its text)")


def test_policy_test_failure_says_why(make_repo) -> None:
    root = make_repo({"policies/a.unet": 'RULE core-only WHEN true THEN ASSERT true\n',
                      "policies/tests/t.yaml": TESTS})
    result = invoke(root, "test", "--format", "json")
    assert result.exit_code == 1
    cases = json.loads(result.stdout)["cases"]
    assert cases[1]["failures"] == ["expected core-only to fail; it passed"]


BAD_FIXTURES = """tests:
  - name: misspelt group
    device: {name: t1, groups: [iso], role: core}
    expect: {core-only: pass}
  - name: unknown location
    device: {name: t2, groups: [ios], location: nowhere, role: core}
    expect: {core-only: pass}
  - name: template outside templates/
    device: {name: t3, groups: [ios], role: core, templates: [../../etc/passwd]}
    expect: {core-only: pass}
  - name: no platform
    device: {name: t4, role: core}
    config: hostname t4
    expect: {core-only: pass}
  - name: misspelt rule
    device: {name: t5, groups: [ios], role: core}
    expect: {core-onyl: fail}
  - name: misspelt rule
    device: {name: t6, groups: [ios], role: access}
    expect: {core-only: fail}
"""


def test_policy_test_refuses_fixtures_with_unknown_references(make_repo) -> None:
    """A fixture whose group, location or template does not exist would silently test a
    device nobody meant: each is an error at its line, and that case is not run."""
    root = make_repo({"policies/a.unet": 'RULE core-only WHEN true THEN ASSERT node.role == "core"\n',
                      "policies/tests/t.yaml": BAD_FIXTURES})
    result = invoke(root, "test")
    assert result.exit_code == 2, result.output
    # Each error once, at its line; only the two cases with sound fixtures ran, and the
    # misspelt rule is P401, not a FAIL saying the rule "did not apply".
    expected = [
        "policies/tests/t.yaml:3:33: U302 error: unknown group 'iso' (did you mean 'ios'?)",
        "policies/tests/t.yaml:6:49: U301 error: unknown location 'nowhere'",
        "policies/tests/t.yaml:9:63: T101 error: template '../../etc/passwd' not found under",
        "policies/tests/t.yaml:12:20: U203 error: device 't4' has no platform",
        "policies/tests/t.yaml:17:14: P401 error: no rule 'core-onyl' in the policies",
        "policies/tests/t.yaml:18:11: P402 error: another policy test is named 'misspelt rule'",
        "PASS policies/tests/t.yaml:15:5: misspelt rule",
        "PASS policies/tests/t.yaml:18:5: misspelt rule",
    ]
    lines = result.stdout.splitlines()
    assert all(line.startswith(want) for line, want in zip(lines, expected, strict=True)), lines


MALFORMED_CASES = """tests:
  - name: misspelt keys
    devce: {name: t1, groups: [ios]}
    expect: {core-onyl: passs}
  - name: bad group
    device: {name: t2, groups: [iso], role: core}
    extra: 1
    expect: {core-only: pass}
  - name: sound
    device: {name: t3, groups: [ios], role: core}
    expect: {core-only: pass}
"""


def test_policy_test_names_every_problem_of_a_malformed_case_in_one_run(make_repo) -> None:
    """A misspelt key in one case used to skip the whole file, hiding its other cases and
    the misspelt rule and group until the key was fixed."""
    root = make_repo({"policies/a.unet": 'RULE core-only WHEN true THEN ASSERT node.role == "core"\n',
                      "policies/tests/t.yaml": MALFORMED_CASES})
    result = invoke(root, "test")
    assert result.exit_code == 2, result.output
    lines = result.stdout.splitlines()
    codes = [(line.split(":")[1], line.split(": ")[1].split()[0]) for line in lines
             if line.startswith("policies/")]
    assert codes == sorted(codes, key=lambda c: int(c[0]))  # in the order of the file
    found = {code for _, code in codes}
    assert {"U202", "U203", "U205", "P401", "U302"} <= found, lines
    assert "PASS policies/tests/t.yaml:9:5: sound" in lines
    assert not any("misspelt keys" in line or "bad group" in line for line in lines
                   if line.startswith(("PASS", "FAIL")))
