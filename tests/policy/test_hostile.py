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


def test_values_set_into_themselves_are_shown_cut_however_large_or_deep() -> None:
    doubled = "".join(", SET node.vars.x TO [node.vars.x, node.vars.x]" for _ in range(40))
    deep = "".join(", SET node.vars.y TO [node.vars.y]" for _ in range(1500))
    run = check(f'RULE grow WHEN true THEN SET node.vars.x TO "aaaa"{doubled}\n'
                f"RULE nest WHEN true THEN SET node.vars.y TO 1{deep}\n"
                'RULE x WHEN node.name == "r1" THEN ASSERT node.vars.x == 1 '
                'MESSAGE "x is {node.vars.x}"\n'
                'RULE y WHEN node.name == "r1" THEN ASSERT node.vars.y == 1\n')
    shown = {f.rule: f.message for f in run.result.findings}
    assert shown["x"].startswith('x is [[[[') and len(shown["x"]) < 4200
    assert shown["y"].startswith("expected node.vars.y == 1; node.vars.y is [[[[")
    assert "...]]]" in shown["y"] and len(shown["y"]) < 200


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
