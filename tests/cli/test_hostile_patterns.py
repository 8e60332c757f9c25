"""Hostile patterns in each place a user writes one: a diagnostic at file:line:col, exit 1/2,
never a hang and never exit 3."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from unet.cli import cli

LINE = "a" * 3999 + "b"
DEVICE = ("name: r1\nlocation: hq\ngroups: [ios]\nrole: core\nmanagement_ip: 10.0.0.1\n"
          "templates: [t.j2]\n")
RUNNING = {"configs/r1.cfg": f"hostname r1\ninterface Gi1\n description x\n{LINE}\n",
           "devices/hq/r1.yaml": DEVICE}


def run(root, *args: str):
    return CliRunner().invoke(cli, ["--repo", str(root), *args])


def _policy(condition: str) -> dict[str, str]:
    return {"policies/p.unet": f'RULE hostile SEVERITY error "x"\nWHEN {condition}\n'
                               "THEN ASSERT true\n"}


@pytest.mark.parametrize("pattern", ["(a|aa)*$", "(a{1,100}){1,100}"])
def test_running_has_with_a_backtracking_pattern_is_p301(make_repo, pattern: str) -> None:
    root = make_repo({**RUNNING, "templates/t.j2": "hostname r1\n",
                      **_policy(f'running HAS "{pattern}"')})
    result = run(root, "check")
    assert result.exit_code in (1, 2), result.output
    assert "policies/p.unet:1:1: P301 error: rule 'hostile' could not be evaluated on r1" \
        in result.output and "took longer than" in result.output


@pytest.mark.parametrize(("pattern", "col"), [("a{10000000}", 26), ("(?:a{60000}){60000}", 37),
                                              ("a{99999999999}", 26)])
def test_matches_compile_bomb_is_refused_at_its_column(make_repo, pattern: str,
                                                       col: int) -> None:
    root = make_repo(_policy(f"node.name MATCHES /{pattern}/"))
    result = run(root, "check")
    assert result.exit_code == 2, result.output
    assert f"policies/p.unet:2:{col}: P202 error: invalid regex: pattern too large" \
        in result.output


def test_template_header_with_900_nested_groups_is_t108(make_repo) -> None:
    header = "(" * 900 + "a" + ")" * 900
    root = make_repo({**RUNNING, "templates/t.j2": f"{{# unet: match '{header}' #}}\nhostname r1\n"})
    result = run(root, "diff", "r1")
    assert "templates/t.j2:1:" in result.output and "T108" in result.output
    assert "nested more than 100 deep" in result.output


def test_template_header_that_backtracks_is_t114(make_repo) -> None:
    root = make_repo({**RUNNING, "templates/t.j2": "{# unet: match '(a|aa)*$' #}\nhostname r1\n"})
    result = run(root, "diff", "r1")
    assert result.exit_code in (1, 2)
    assert "templates/t.j2:1:" in result.output and "T114" in result.output


def test_normalizer_that_backtracks_is_t115(make_repo) -> None:
    root = make_repo({**RUNNING, "templates/t.j2": "hostname r1\n",
                      "unet.yaml": "name: test-net\nnormalizers:\n  - pattern: '(a|aa)*$'\n"})
    result = run(root, "diff", "r1")
    assert "T115" in result.output and "normalizers[0].pattern" in result.output


def test_slice_match_that_backtracks_is_c400(tmp_path) -> None:
    path = tmp_path / "r1.cfg"
    path.write_text(LINE + "\n")
    result = CliRunner().invoke(cli, ["slice", str(path), "-p", "ios", "--match", "(a|aa)*$"])
    assert result.exit_code == 2
    assert "C400" in result.output and "took longer than" in result.output


def test_a_900_kb_literal_is_cut_in_the_message(make_repo) -> None:
    root = make_repo({"policies/p.unet": 'RULE big WHEN true THEN ASSERT node.name == "'
                                         + "x" * 900_000 + '"\n'})
    result = run(root, "check")
    assert result.exit_code == 1
    assert "characters cut" in result.output and len(result.output) < 20_000


def test_where_that_backtracks_is_p302(make_repo) -> None:
    root = make_repo({**RUNNING, "templates/t.j2": "hostname r1\n"})
    result = run(root, "check", "--where", 'running HAS "(a|aa)*$"')
    assert result.exit_code == 2
    assert "<--where>:1:1: P302 error" in result.output


def test_waiver_where_that_backtracks_is_p303_and_waives_nothing(make_repo) -> None:
    root = make_repo({**RUNNING, "templates/t.j2": "hostname r1\n",
                      "policies/p.unet": 'RULE named WHEN true THEN ASSERT node.name == "x"\n',
                      "waivers.yaml": "waivers:\n  - rule: named\n"
                                      "    where: 'running HAS \"(a|aa)*$\"'\n"
                                      "    reason: test\n"})
    result = run(root, "check")
    assert result.exit_code in (1, 2)
    assert "waivers.yaml:2:" in result.output and "P303 error" in result.output


@pytest.mark.parametrize("condition", ["running HAS node.vars.pattern",
                                       "node.name MATCHES node.vars.pattern"])
def test_a_pattern_bomb_from_data_is_p301(make_repo, condition: str) -> None:
    root = make_repo({**RUNNING, "templates/t.j2": "hostname r1\n",
                      "devices/hq/r1.yaml": DEVICE + "vars: {pattern: 'a{99999999999}'}\n",
                      **_policy(condition)})
    result = run(root, "check")
    assert result.exit_code in (1, 2), result.output
    assert "P301 error: rule 'hostile' could not be evaluated on r1" in result.output
    assert "(from data): pattern too large" in result.output
