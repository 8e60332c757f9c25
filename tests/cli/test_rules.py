from __future__ import annotations

from click.testing import CliRunner

from unet.cli import cli

POLICY = ('RULE core-only SEVERITY warning "Only core"\nWHEN node.groups CONTAINS "ios"\n'
          'THEN ASSERT node.role == "core"\n')


def invoke(root, *args: str):
    return CliRunner().invoke(cli, ["--repo", str(root), "rules", *args])


def test_list(make_repo) -> None:
    result = invoke(make_repo({"policies/a.unet": POLICY}), "list")
    assert result.stdout.splitlines() == [
        "ID         SEVERITY  DEFINED AT         TITLE",
        "core-only  warning   policies/a.unet:1  Only core",
    ]


def test_explain_shows_condition_matches_and_source(make_repo) -> None:
    result = invoke(make_repo({"policies/a.unet": POLICY}), "explain", "core-only")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:7] == [
        "core-only: Only core",
        "  severity: warning",
        "  defined at: policies/a.unet:1:1",
        '  when: node.groups CONTAINS "ios"',
        '  then: ASSERT node.role == "core"',
        "  matches 2 of 2 devices: r1, r2",
        "  fails on 1: r2",
    ]
    assert "     3 | THEN ASSERT node.role == \"core\"" in lines


def test_explain_unknown_rule(make_repo) -> None:
    result = invoke(make_repo({"policies/a.unet": POLICY}), "explain", "core-onyl")
    assert result.exit_code == 2
    assert "no rule 'core-onyl' (did you mean 'core-only'?)" in result.stderr
