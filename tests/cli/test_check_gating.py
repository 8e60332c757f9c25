"""`unet check` and `unet validate` judging a change by what it does, on a copy of examples/
in real git: new findings only (`--new-since`), pending deploys, template errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.helpers import GIT_IDENTITY, git, git_examples
from unet.cli import cli

ACC01 = "devices/hq/hq-acc-01.yaml"
ACC02 = "devices/hq/hq-acc-02.yaml"


def unet(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--repo", str(root), *args])


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, *GIT_IDENTITY, "commit", "-qm", message)


def edit(root: Path, path: str, old: str, new: str) -> None:
    target = root / path
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def net(tmp_path: Path) -> Path:
    return git_examples(tmp_path / "net")


def sarif_states(result: Result) -> list[tuple[str, str | None]]:
    run = json.loads(result.stdout)["runs"][0]
    return [(r["ruleId"], r.get("baselineState")) for r in run["results"]]


def test_a_commit_that_adds_one_violation_reports_exactly_that_one(net: Path) -> None:
    edit(net, ACC02, "serial: FOC2118W1AB\n", "")
    commit(net, "hq-acc-02: serial unknown")

    result = unet(net, "check", "--new-since", "HEAD~1", "--format", "sarif",
                  "--fail-on", "warning")
    assert result.exit_code == 1
    assert sarif_states(result) == [("serial-known", "new")]
    assert "1 warning new since HEAD~1; 3 existing (not listed), 0 fixed" in result.stderr

    document = json.loads(unet(net, "check", "--new-since", "HEAD~1", "--format",
                               "json").stdout)
    assert [(f["rule"], f["baseline"]) for f in document["findings"]] == [
        ("serial-known", "new")]
    assert document["baseline"]["new"] == 1 and document["baseline"]["existing"] == 3

    shown = unet(net, "check", "--new-since", "HEAD~1", "--show-existing", "--format",
                 "concise")
    assert "serial-known warning (new): hq-acc-02" in shown.stdout
    assert "ntp-in-running error (existing; pending deploy): hq-acc-02" in shown.stdout


def test_a_fix_is_reported_fixed_and_an_unrelated_commit_passes(net: Path) -> None:
    edit(net, ACC02, "serial: FOC2118W1AB\n", "")
    commit(net, "hq-acc-02: serial unknown")
    edit(net, ACC02, "name: hq-acc-02\n", "name: hq-acc-02\nserial: FOC2118W1AB\n")
    commit(net, "hq-acc-02: serial known again")

    fixed = unet(net, "check", "--new-since", "HEAD~1", "--format", "concise",
                 "--fail-on", "info")
    assert fixed.exit_code == 0
    assert fixed.stdout.startswith("devices/hq/hq-acc-02.yaml:1:7: serial-known fixed: "
                                   "hq-acc-02:")
    assert sarif_states(unet(net, "check", "--new-since", "HEAD~1", "--format", "sarif")) \
        == [("serial-known", "absent")]
    markdown = unet(net, "check", "--new-since", "HEAD~1", "--format", "markdown").stdout
    assert "### Fixed since HEAD~1" in markdown and "| serial-known | hq-acc-02 |" in markdown

    edit(net, "devices/hq/hq-core-01.yaml", "name: hq-core-01\n",
         "name: hq-core-01\n# maintained by the core team\n")
    commit(net, "a comment")
    unrelated = unet(net, "check", "--new-since", "HEAD~1", "--format", "github",
                     "--fail-on", "info")
    assert unrelated.exit_code == 0
    assert "::error" not in unrelated.stdout and "::warning" not in unrelated.stdout
    assert "nothing new since HEAD~1; 3 existing" in unrelated.stderr



def test_merged_shards_against_a_baseline_give_the_unsharded_report(net: Path,
                                                                    tmp_path: Path) -> None:
    edit(net, ACC02, "serial: FOC2118W1AB\n", "")  # one new finding
    edit(net, "configs/ber1-rtr-01.cfg", "snmp-server community public RO\n", "")  # one fixed
    commit(net, "hq-acc-02: serial unknown; ber1-rtr-01: no public community")
    args = ("check", "--new-since", "HEAD~1", "--format", "json")
    whole = unet(net, *args)
    shards = []
    for k in (1, 2, 3):
        shards.append(tmp_path / f"shard-{k}.json")
        shards[-1].write_text(unet(net, *args, "--shard", f"{k}/3").stdout, encoding="utf-8")
    for fmt in ("json", "text"):
        merged = unet(net, "report", "merge", *map(str, shards), "--format", fmt)
        alone = whole if fmt == "json" else unet(net, *args[:-1], "text")
        assert (merged.exit_code, merged.stdout, merged.stderr) == \
            (alone.exit_code, alone.stdout, alone.stderr)
    document = json.loads(whole.stdout)["baseline"]
    assert (document["new"], document["existing"], len(document["fixed"])) == (1, 2, 1)

    plain = tmp_path / "plain.json"
    plain.write_text(unet(net, "check", "--format", "json").stdout, encoding="utf-8")
    mixed = unet(net, "report", "merge", str(shards[0]), str(plain))
    assert mixed.exit_code == 2
    assert "cannot merge shards checked against different baselines: HEAD~1 (" in mixed.stderr


def test_the_baseline_setting_and_its_guard(net: Path) -> None:
    edit(net, "unet.yaml", "name: example-network\n", "name: example-network\nbaseline: main\n")
    commit(net, "baseline")
    git(net, "checkout", "-qb", "topic")
    edit(net, ACC02, "serial: FOC2118W1AB\n", "")
    commit(net, "topic: one violation")
    edit(net, "devices/hq/hq-core-01.yaml", "name: hq-core-01\n", "name: hq-core-01\n# x\n")
    commit(net, "topic: unrelated")
    # `baseline: main` is the merge base of the branch: the violation two commits ago counts
    result = unet(net, "check", "--baseline", "--format", "json")
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["serial-known"]

    refused = unet(net, "check", "--new-since", "--output=/tmp/x")
    assert refused.exit_code == 2 and "never starts with '-'" in refused.stderr
    both = unet(net, "check", "--new-since", "HEAD", "--baseline")
    assert both.exit_code == 2


def test_ntp_added_to_intended_data_then_a_description_commit_passes(net: Path) -> None:
    """The intended config gets a third NTP server, the device does not have it yet."""
    with (net / ACC01).open("a", encoding="utf-8") as device:
        device.write("vars:\n  ntp_servers: [10.0.0.1, 10.0.0.2, 10.0.0.3]\n")
    commit(net, "hq-acc-01: a third NTP server")
    edit(net, ACC01, "description: HQ B1 floor 1 access switch",
         "description: HQ B1 floor 1 access switch (stack of 2)")
    changed = unet(net, "check", ACC01, "--format", "concise")
    assert changed.exit_code == 0, changed.stdout
    assert ("ntp-in-running error (pending deploy): hq-acc-01: the running configuration "
            "lacks NTP server 10.0.0.3") in changed.stdout
    assert "pending deploy" in changed.stderr
    assert unet(net, "check", ACC01, "--fail-on-pending").exit_code == 1

    diff = unet(net, "diff", "hq-acc-01")
    assert diff.exit_code == 1
    assert "ios/base.j2: missing (pending deploy: fixes ntp-in-running)" in diff.stdout
    assert "+ ntp server 10.0.0.3" in diff.stdout


def test_a_public_community_no_template_claims_is_not_pending(net: Path) -> None:
    # A deploy leaves lines no template claims alone: it would not remove them.
    edit(net, "templates/ios/base.j2", '"snmp-server .*" ', "")
    finding = next(f for f in json.loads(unet(net, "check", "--format", "json").stdout)
                   ["findings"] if f["rule"] == "snmp-no-public")
    assert finding["pending"] is None


BROKEN = {
    "undefined": ("templates/ios/base.j2", "hostname {{ name }}", "hostname {{ vars.hostnme }}",
                  "templates/ios/base.j2:10:13: T103 error: devices ber1-rtr-01, ber1-sw-01, "
                  "hq-acc-01 and 6 more (named at groups/all-cisco-ios.yaml:3:13): undefined: "
                  "vars.hostnme"),
    "syntax": ("templates/eos/base.j2", "hostname {{ name }}", "hostname {{ name }\n",
               "T102 error: devices dc1-leaf-01, dc1-leaf-02 (named at groups/dc-leaf.yaml:4:13)"
               ": template syntax error"),
    "missing": ("groups/dc-leaf.yaml", "templates: [eos/base.j2]", "templates: [eos/bsae.j2]",
                "groups/dc-leaf.yaml:4:13: T101 error: devices dc1-leaf-01, dc1-leaf-02: "
                "template 'eos/bsae.j2' not found under templates/ (did you mean "
                "'eos/base.j2'?)\n"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_template_fails_validate_and_check(net: Path, kind: str) -> None:
    path, old, new, expected = BROKEN[kind]
    edit(net, path, old, new)
    for command in (["validate"], ["check", "--format", "concise"]):
        result = unet(net, *command)
        assert result.exit_code == 2, (command, result.stdout)
        assert expected in result.stdout, (command, result.stdout)
        assert result.stdout.count(expected.split(": ")[0]) == 1  # once, not per device


def test_a_rule_on_intended_is_not_evaluated_when_templates_fail(net: Path) -> None:
    (net / "policies/intended.unet").write_text(
        'RULE intended-hostname SEVERITY error "The intended config sets the hostname"\n'
        'WHEN node.platform == "ios"\nTHEN ASSERT intended HAS "hostname .*"\n',
        encoding="utf-8")
    assert unet(net, "check").exit_code == 0  # renders: the rule holds
    edit(net, "templates/ios/base.j2", "hostname {{ name }}", "hostname {{ vars.hostnme }}")
    result = unet(net, "check", "--format", "json")
    document = json.loads(result.stdout)
    assert result.exit_code == 2
    assert not [f for f in document["findings"] if f["rule"] == "intended-hostname"]
    skipped = [d for d in document["diagnostics"] if d["code"] == "P310"]
    assert [d["message"] for d in skipped] == [
        "rule 'intended-hostname' not evaluated on 5 devices (ber1-rtr-01, ber1-sw-01, "
        "hq-acc-01 and 2 more): their intended configurations cannot be rendered "
        "(templates/ios/base.j2:10:13: T103)"]
    why = "its intended configuration cannot be rendered (templates/ios/base.j2:10:13: T103)"
    assert document["not_evaluated"] == {
        name: {"intended-hostname": why} for name in
        ("ber1-rtr-01", "ber1-sw-01", "hq-acc-01", "hq-acc-02", "hq-acc-03")}


def test_junit_shows_a_rule_not_evaluated_as_skipped_not_passed(net: Path,
                                                               tmp_path: Path) -> None:
    (net / "policies/intended.unet").write_text(
        'RULE intended-hostname WHEN node.platform == "ios"\n'
        'THEN ASSERT intended HAS "hostname .*"\n', encoding="utf-8")
    edit(net, "templates/ios/base.j2", "hostname {{ name }}", "hostname {{ vars.hostnme }}")
    for run in ("cold", "warm"):
        report = tmp_path / f"{run}.xml"
        assert unet(net, "check", "--report", f"junit={report}").exit_code == 2
        root = ET.fromstring(report.read_bytes())
        [case] = [c for c in root.iter("testcase")
                  if c.get("classname") == "hq-acc-01"
                  and c.get("name", "").startswith("intended-hostname")]
        [skipped] = case
        assert skipped.tag == "skipped", run
        assert skipped.get("message") == (
            "not evaluated: its intended configuration cannot be rendered "
            "(templates/ios/base.j2:10:13: T103)")


def test_warm_validate_is_answered_from_the_index(net: Path) -> None:
    edit(net, "templates/ios/base.j2", "hostname {{ name }}", "hostname {{ vars.hostnme }}")
    first = unet(net, "validate", "--format", "json")
    again = unet(net, "validate", "--format", "json")
    assert first.stdout == again.stdout
    assert json.loads(again.stdout)["summary"]["errors"] == 1
    assert unet(net, "validate", "--format", "json", "--no-cache").stdout == first.stdout
    edit(net, "templates/ios/base.j2", "hostname {{ vars.hostnme }}", "hostname {{ name }}")
    assert unet(net, "validate").exit_code == 0  # the edit is seen: nothing stale


def test_the_hook_on_a_repository_without_commits_reports_everything_as_new(
        tmp_path: Path) -> None:
    import shutil

    net = tmp_path / "net"
    shutil.copytree(Path(__file__).resolve().parents[2] / "examples", net)
    git(net, "init", "-q")
    result = unet(net, "check", "--baseline", "--format", "concise", "--fail-on-pending")
    assert result.exit_code == 1
    assert "no commit yet, so every finding is new" in result.stderr
    assert "ntp-in-running error (pending deploy): hq-acc-02" in result.stdout
