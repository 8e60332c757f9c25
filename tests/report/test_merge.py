"""`unet report merge` of shards gives the unsharded run's report, waiver warnings included."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.index.test_check import FILES
from unet.cli import cli
from unet.report import Report, merge_reports

WAIVERS = """waivers:
  - rule: roles
    devices: [r2]
    reason: used in the shard that checks r2
  - rule: roles
    devices: [r9]
    reason: no device r9 (W106, which says why it suppresses nothing, in every shard)
  - rule: desc
    devices: [r4]
    reason: r4 has no finding of desc, so this one is unused too
"""


def unet(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--repo", str(root), *args])
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, result.stdout


def test_merged_shards_keep_w103_exactly_as_the_unsharded_run(make_repo, tmp_path) -> None:
    root = make_repo({**FILES, "waivers.yaml": WAIVERS})
    whole = {fmt: unet(root, "check", "--format", fmt) for fmt in ("json", "text")}
    assert whole["json"][1].count('"W103"') == 1 and whole["json"][1].count('"W106"') == 1
    files, shards = [], []
    for k in (1, 2, 3):
        code, out = unet(root, "check", "--shard", f"{k}/3", "--format", "json")
        files.append(tmp_path / f"shard-{k}.json")
        files[-1].write_text(out)
        shards.append(json.loads(out))
    for fmt, (code, out) in whole.items():
        merged = unet(root, "report", "merge", *map(str, files), "--format", fmt)
        assert merged == (code, out)
    for shard in shards:  # alone, a shard cannot know; it says which waivers it did not use
        assert "W103" not in [d["code"] for d in shard["diagnostics"]]
        assert shard["coverage"]["unused_waivers"]
    assert "unused_waivers" not in json.loads(whole["json"][1])["coverage"]


def test_a_shard_without_devices_leaves_unmatched_rules_as_the_unsharded_run(
        make_repo, tmp_path) -> None:
    idle = 'RULE idle WHEN node.role == "none" THEN ASSERT node.name IS NOT NULL\n'
    root = make_repo({**FILES, "policies/idle.unet": idle})
    whole = json.loads(unet(root, "check", "--format", "json")[1])
    assert whole["coverage"]["unmatched_rules"] == ["idle"]
    files = []
    for k in range(1, 9):  # 8 shards for 4 devices: some check none
        files.append(tmp_path / f"shard-{k}.json")
        files[-1].write_text(unet(root, "check", "--shard", f"{k}/8", "--format", "json")[1])
    assert any(not json.loads(f.read_text())["evaluated"] for f in files)
    merged = json.loads(unet(root, "report", "merge", *map(str, files), "--format", "json")[1])
    assert merged["coverage"] == whole["coverage"]


def test_merged_shards_keep_the_rules_each_could_not_evaluate() -> None:
    why = "its intended configuration cannot be rendered (templates/ios/base.j2:10:13: T103)"
    one = Report("check", evaluated={"r1": ["A"]}, not_evaluated={"r1": {"A": why}})
    two = Report("check", evaluated={"r2": ["A"]}, not_evaluated={"r2": {"A": why}})
    merged = merge_reports([two, one])
    assert merged.not_evaluated == {"r1": {"A": why}, "r2": {"A": why}}


def test_the_same_shard_twice_or_a_missing_one_is_refused(make_repo, tmp_path) -> None:
    """Either used to merge: findings counted twice, or waivers used only in the missing
    shard reported as unused ("remove it")."""
    root = make_repo({**FILES, "waivers.yaml": WAIVERS})
    files = []
    for k in (1, 2):
        files.append(tmp_path / f"shard-{k}.json")
        files[-1].write_text(unet(root, "check", "--shard", f"{k}/2", "--format", "json")[1])
    runner = CliRunner()
    twice = runner.invoke(cli, ["--repo", str(root), "report", "merge", str(files[0]),
                                str(files[0])])
    assert twice.exit_code == 2 and "(the same shard given twice?)" in twice.stderr
    alone = runner.invoke(cli, ["--repo", str(root), "report", "merge", str(files[1])])
    assert alone.exit_code == 2
    assert "error: shard 1/2 is missing; give all 2 reports" in alone.stderr
    assert "W103" not in alone.stdout
    assert json.loads(files[0].read_text())["coverage"]["shard"] == [1, 2]


def test_a_missing_report_file_is_named_as_missing(make_repo, tmp_path) -> None:
    result = CliRunner().invoke(cli, ["--repo", str(make_repo(FILES)), "report", "merge",
                                      str(tmp_path / "nosuch.json")])
    assert result.exit_code == 2
    assert result.stderr.endswith("nosuch.json: cannot read it: No such file or directory\n")
