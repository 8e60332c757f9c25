"""Hostile policies cannot hang or crash a run, and what they do is the same in every run."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import GIT_IDENTITY, git, git_examples
from tests.policy.helpers import check, report

LONG = "a" * 30000 + "!"


def test_catastrophic_regex_is_reported_per_device_and_the_run_goes_on() -> None:
    files = {"devices/r1.yaml": f"name: r1\nplatform: ios\nvars: {{blob: '{LONG}'}}\n",
             "devices/r2.yaml": f"name: r2\nplatform: ios\nvars: {{blob: '{LONG}'}}\n",
             "links/l.yaml": "links: []\n"}
    run = check("RULE evil WHEN true THEN ASSERT node.vars.blob MATCHES /(a+)+$/\n"
                "RULE fine WHEN true THEN ASSERT node.platform == \"ios\"\n", files)
    assert [(d.code, d.message.split(":")[0]) for d in run.diagnostics] == [
        ("P301", "rule 'evil' could not be evaluated on r1"),
        ("P301", "rule 'evil' could not be evaluated on r2")]
    assert "took longer than 1s" in run.diagnostics[0].message
    # Said at the pattern that ran long, not at the rule's first line.
    assert (run.diagnostics[0].location.line, run.diagnostics[0].location.col) == (1, 56)
    # Every rule ran on every device: one device's hostile value skips nothing elsewhere.
    assert run.result.evaluated == {"r1": ["evil", "fine"], "r2": ["evil", "fine"]}
    assert run.result.findings == []


def test_a_rule_past_its_budget_is_reported_for_that_device_and_the_others_run() -> None:
    big = "[" + ", ".join(str(i) for i in range(2000)) + "]"
    run = check("RULE cube WHEN true THEN ASSERT ALL a IN node.vars.big SATISFIES ALL b IN "
                "node.vars.big SATISFIES ALL c IN node.vars.big SATISFIES a != -1\n"
                "RULE fine WHEN true THEN ASSERT node.role == \"core\"\n",
                {"devices/r1.yaml": f"name: r1\nplatform: ios\nrole: core\nvars: {{big: {big}}}\n"})
    assert [(d.code, d.location.line) for d in run.diagnostics] == [("P305", 1)]
    assert "could not be evaluated on r1: it took more than 2,000,000 steps" in \
        run.diagnostics[0].message
    assert [(f.rule, f.device) for f in run.result.findings] == [("fine", "r2")]


def test_set_values_that_do_not_fit_are_refused() -> None:
    run = check('RULE a WHEN true THEN SET node.platform TO "nonexistent"\n'
                "RULE b WHEN true THEN SET node.management_ip TO 5\n"
                "RULE c WHEN true THEN SET node.interfaces TO 5\n"
                'RULE d WHEN true THEN SET node.interfaces.Gi1.mtu TO "big"\n')
    assert [(d.code, d.location.line, d.location.col) for d in run.policies.diagnostics] == [
        ("P220", 1, 44), ("P220", 2, 49), ("P220", 3, 46), ("P220", 4, 54)]
    assert run.policies.diagnostics[0].message.startswith(
        'SET node.platform: "nonexistent" does not fit node.platform: Input should be')


def test_computed_set_values_that_do_not_fit_are_findings_at_the_set() -> None:
    run = check('RULE a WHEN true THEN SET node.platform TO node.role\n'
                'RULE b WHEN true THEN SET node.lifecycle TO concat("bo", "gus")\n'
                'RULE c WHEN node.platform == "ios" AND running IS NOT NULL '
                'THEN ASSERT running HAS "hostname .*"\n'
                'RULE d WHEN true THEN SET node.lifecycle TO lower("LIVE")\n')
    assert run.policies.ok, [str(d) for d in run.policies.diagnostics]
    found = sorted((f.rule, f.device, f.location.line) for f in run.result.findings)
    assert found == [("a", "r1", 1), ("a", "r2", 1), ("b", "r1", 2), ("b", "r2", 2)]
    first = next(f for f in run.result.findings if f.rule == "a")
    assert "SET node.platform was not done" in first.message
    # The device kept its platform, so rules reading `running` still work.
    assert run.result.evaluated["r1"] == ["a", "b", "c", "d"]
    assert run.result.outcomes["r1"].data["platform"] == "ios"
    assert run.result.outcomes["r1"].data["lifecycle"] == "live"


def test_a_timed_out_regex_gives_the_same_results_warm_and_without_the_index(
        tmp_path: Path) -> None:
    root = git_examples(tmp_path / "net")
    # ber1-rtr-01 (evaluated first) holds the hostile line; hq-acc-02 a finding of the rule.
    with (root / "configs" / "ber1-rtr-01.cfg").open("a") as config:
        config.write(f"snmp-server contact {LONG}\n")
    with (root / "configs" / "hq-acc-02.cfg").open("a") as config:
        config.write("snmp-server contact aaaa\n")
    (root / "policies" / "contact.unet").write_text(
        'RULE contact WHEN running IS NOT NULL THEN ASSERT NONE l IN running.lines("snmp-server contact .*")'
        " SATISFIES l MATCHES /^snmp-server contact (a+)+$/\n")
    git(root, "add", "-A")
    git(root, *GIT_IDENTITY, "commit", "-qm", "contacts")
    cold = report(root, cache=True)
    with (root / "configs" / "hq-acc-02.cfg").open("a") as config:
        config.write("!\n")  # only hq-acc-02 is evaluated again
    warm, fresh = report(root, cache=True), report(root, cache=False)
    assert warm == fresh
    result = json.loads(fresh)
    assert [d["path"] for d in result["diagnostics"] if d.get("code") == "P301"] == [
        "policies/contact.unet"]
    assert [f["device"] for f in result["findings"] if f["rule"] == "contact"] == ["hq-acc-02"]
    assert json.loads(cold)["findings"] == result["findings"]


def test_match_expressions_with_nested_quantifiers_are_refused() -> None:
    run = check('RULE evil WHEN running HAS "(a+)+" THEN ASSERT true')
    assert [d.code for d in run.policies.diagnostics] == ["P204"]


def test_values_set_into_themselves_stop_growing_at_the_set() -> None:
    # Doubled forty times, or nested 1,500 deep: every later comparison, message and
    # render would walk all of it, so the SET that goes too far is not done.
    doubled = "".join(", SET node.vars.x TO [node.vars.x, node.vars.x]" for _ in range(40))
    deep = "".join(", SET node.vars.y TO [node.vars.y]" for _ in range(1500))
    run = check(f'RULE grow WHEN true THEN SET node.vars.x TO "aaaa"{doubled}\n'
                f"RULE nest WHEN true THEN SET node.vars.y TO 1{deep}\n"
                'RULE x WHEN node.name == "r1" THEN ASSERT node.vars.x == node.vars.x '
                'AND node.vars.x == 1 MESSAGE "x is {node.vars.x}"\n'
                'RULE y WHEN node.name == "r1" THEN ASSERT node.vars.y == node.vars.y '
                'AND node.vars.y == 1\n')
    shown = {(f.rule, f.device): f.message for f in run.result.findings}
    assert shown[("grow", "r1")] == "SET node.vars.x was not done: it has more than 100,000 elements"
    assert shown[("nest", "r1")] == "SET node.vars.y was not done: it is nested more than 32 deep"
    assert shown[("x", "r1")].startswith("x is [[[[") and len(shown[("x", "r1")]) < 4200
    assert shown[("y", "r1")].startswith("expected node.vars.y == node.vars.y AND "
                                         "node.vars.y == 1; node.vars.y is [[[[")


def test_text_a_rule_builds_counts_against_its_budget() -> None:
    # Few elements, each building a megabyte: the steps are few, the work is not.
    big = "[" + ", ".join(str(i) for i in range(3000)) + "]"
    grow = 'concat("aaaaaaaa", n)'
    for _ in range(5):
        grow = f'replace({grow}, "a", "aaaaaaaaaa")'
    run = check(f"RULE text WHEN true THEN ASSERT ALL n IN node.vars.big SATISFIES "
                f"len({grow}) > 5\n",
                {"devices/r1.yaml": f"name: r1\nplatform: ios\nrole: core\nvars: {{big: {big}}}\n"})
    assert [(d.code, d.location.line) for d in run.diagnostics] == [("P305", 1)]
    assert "rule 'text' could not be evaluated on r1" in run.diagnostics[0].message


def test_values_that_python_refuses_are_null_or_false_not_internal_errors() -> None:
    from tests.policy.helpers import failing

    files = {"devices/r1.yaml": "name: r1\nplatform: ios\nrole: core\n"
                                "vars: {m: {a: 1}, l: ['(', true], t: {a: true}}\n"}
    assert failing('int("+-5") IS NULL AND int("²") IS NULL AND node.name != "x"', files) == []
    assert failing("NOT (node.vars.m CONTAINS [1]) AND NOT ({a: 1} IN node.vars.m)", files) \
        == []
    assert failing("node.vars.t == {a: true} AND node.vars.t != {a: 1}", files) == ["r2"]
    huge = "1" * 5000
    run = check(f'RULE v WHEN true THEN ASSERT version(node.name) < version("{huge}")\n'
                "RULE p WHEN true THEN ASSERT node.name MATCHES node.vars.l\n", files)
    assert [d.code for d in run.policies.diagnostics] == ["P218"]  # not a release number
    assert [(d.code, d.message.split(": ", 1)[1][:21]) for d in run.diagnostics
            if d.code == "P301"] == [("P301", "a list is not a patte")]


def test_a_huge_float_literal_is_an_error_at_the_literal() -> None:
    run = check("RULE f WHEN true THEN ASSERT node.vars.x[1e400] IS NULL\n")
    assert [str(d) for d in run.policies.diagnostics] == [
        "policies/p.unet:1:42: P101 error: 1e400 is too large for a number"]


def test_searches_in_long_text_count_against_the_budget() -> None:
    grow = "".join(", SET node.vars.s TO concat(node.vars.s, node.vars.s)" for _ in range(19))
    words = " ".join(str(i) for i in range(3000))
    run = check(f'RULE s WHEN true THEN SET node.vars.s TO "a"{grow}\n'
                f'RULE c WHEN node.name == "r1" THEN ASSERT ALL i IN split("{words}") '
                'SATISFIES NOT (node.vars.s CONTAINS concat("b", i))\n'
                'RULE j WHEN node.name == "r1" THEN ASSERT ALL i IN split("a b c d") '
                "SATISFIES join(split(\"x y z w v u t s r q p o\"), node.vars.s) IS NULL\n")
    assert [(d.code, d.message.split(":")[0]) for d in run.diagnostics] == [
        ("P305", "rule 'c' could not be evaluated on r1")]


SLOW = "," * 250  # `(.*,){12}\d\d\d` backtracks on it for a long time, under the 1 s timeout


def test_time_in_regular_expressions_counts_against_the_rules_budget(monkeypatch) -> None:
    """Each match was under its timeout and cost a step per 256 characters: 40 such lines
    took 25 s with no error; 100,000 would take hours."""
    import unet.policy._compile as compiled
    import unet.policy._evaluate as evaluated

    monkeypatch.setattr(evaluated, "MAX_RULE_SECONDS", 0.3)  # the budget of a small test
    monkeypatch.setattr(compiled, "MAX_RULE_SECONDS", 0.3)
    config = "hostname r1\n" + "".join(f"{SLOW}q{i}\n" for i in range(200))
    run = check('RULE slow WHEN node.name == "r1" THEN ASSERT ALL l IN running.lines(".*") '
                r"SATISFIES l NOT MATCHES /(.*,){12}\d\d\d/" "\n",
                {"configs/r1.cfg": config})
    assert [(d.code, d.message.split(":")[0]) for d in run.diagnostics] == [
        ("P305", "rule 'slow' could not be evaluated on r1")]
    assert "it took longer than 0.3 s" in run.diagnostics[0].message


def test_a_rule_stopped_on_three_devices_is_not_evaluated_on_the_others(monkeypatch) -> None:
    """A rule too costly for its budget on every device of 2,000 would run for hours."""
    import unet.policy._compile as compiled

    monkeypatch.setattr(compiled, "MAX_STEPS", 20_000)  # the budget of a small test
    big = "[" + ", ".join(str(i) for i in range(100)) + "]"
    files = {f"devices/d{i}.yaml": f"name: d{i}\nplatform: ios\nvars: {{big: {big}}}\n"
             for i in range(6)}
    run = check("RULE cube WHEN node.vars.big IS NOT NULL THEN ASSERT ALL a IN node.vars.big "
                "SATISFIES ALL b IN node.vars.big SATISFIES ALL c IN node.vars.big SATISFIES "
                "a != -1\n", files)
    messages = [d.message for d in run.diagnostics if d.code == "P305"]
    assert sum("could not be evaluated on d" in m and "more than 20,000 steps" in m
               for m in messages) == 3
    # every other device, without trying even its WHEN (which may be what is slow)
    assert sorted(m.split(":")[0] for m in messages if "stopped by its budget on 3 other "
                  "devices" in m) == [f"rule 'cube' not evaluated on {name}"
                                      for name in ("d3", "d4", "d5", "r1", "r2")]
