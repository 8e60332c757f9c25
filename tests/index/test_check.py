"""The index answers exactly what a fresh evaluation would, and re-evaluates only what changed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import MINIMAL
from unet.index import CheckOptions, index_path, indexed_check
from unet.report import merge_reports, outcome_report
from unet.report.json import from_json, to_json
from unet.source import worktree_snapshot

POLICY = ('RULE roles WHEN true THEN ASSERT node.role == "core"\n'
          'RULE desc WHEN true THEN ASSERT ALL i IN node.interfaces SATISFIES '
          'i.description STARTSWITH "to r"\n')
FILES = {
    **MINIMAL,
    "groups/edge.yaml": "name: edge\nparents: [ios]\nrole: edge\n",
    "devices/hq/r3.yaml": "name: r3\nlocation: hq\ngroups: [edge]\n",
    "devices/hq/r4.yaml": "name: r4\nlocation: hq\ngroups: [edge]\nrole: core\n",
    "policies/base.unet": POLICY,
}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.fixture
def repo(make_repo) -> Path:
    root = make_repo(FILES)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "init")
    return root


def run(root: Path, **options: object):
    return indexed_check(root, worktree_snapshot(root), CheckOptions(**options))  # type: ignore[arg-type]


def as_json(outcome) -> str:
    return json.dumps(to_json(outcome_report(outcome)), indent=2)


def test_cold_warm_and_uncached_runs_give_identical_json(repo) -> None:
    cold = run(repo)
    warm = run(repo)
    uncached = indexed_check(repo, worktree_snapshot(repo), CheckOptions(), use_index=False)
    assert cold.stats["warm"] == 0 and warm.stats["warm"] == 1
    assert as_json(cold) == as_json(warm) == as_json(uncached)
    assert [f.device for f in cold.findings] == ["r2", "r3"]


def test_editing_a_group_re_evaluates_exactly_its_members(repo) -> None:
    run(repo)
    edge = repo / "groups" / "edge.yaml"
    edge.write_text(edge.read_text() + "vars: {x: 1}\n")
    outcome = run(repo)
    assert outcome.stats["devices_evaluated"] == 2  # r3 and r4 inherit from edge
    assert outcome.stats["devices_reused"] == 2
    assert outcome.stats["documents_parsed"] == 1
    assert as_json(outcome) == as_json(indexed_check(repo, worktree_snapshot(repo),
                                                     CheckOptions(), use_index=False))


def test_editing_a_parent_group_reaches_every_descendant(repo) -> None:
    run(repo)
    ios = repo / "groups" / "ios.yaml"
    ios.write_text(ios.read_text() + "model: x\n")
    assert run(repo).stats["devices_evaluated"] == 4


def test_a_changed_policy_re_evaluates_everything(repo) -> None:
    run(repo)
    (repo / "policies" / "more.unet").write_text("RULE x WHEN true THEN ASSERT true\n")
    outcome = run(repo)
    assert outcome.stats["devices_evaluated"] == 4
    assert outcome.evaluated["r1"] == ["roles", "desc", "x"]


def test_seeds_and_changed_since_select_the_affected_devices(repo) -> None:
    assert run(repo, seeds=("groups/edge.yaml",)).devices == ["r3", "r4"]
    assert run(repo, seeds=("devices/hq/r1.yaml", "links/hq.yaml")).devices == ["r1", "r2"]
    assert run(repo, seeds=("policies/base.unet",)).devices == ["r1", "r2", "r3", "r4"]
    assert run(repo, seeds=("README.md",)).devices == []


def test_shards_merge_into_the_unsharded_report(repo) -> None:
    whole = outcome_report(run(repo))
    shards = [outcome_report(run(repo, shard=(k, 3))) for k in (1, 2, 3)]
    assert sorted(d for s in shards for d in s.evaluated) == ["r1", "r2", "r3", "r4"]
    merged = merge_reports([from_json(json.loads(json.dumps(to_json(s)))) for s in shards])
    assert json.dumps(to_json(merged)) == json.dumps(to_json(whole))


def test_a_corrupted_index_is_rebuilt_with_a_warning(repo) -> None:
    first = run(repo)
    path = index_path(repo)
    for extra in path.parent.glob(path.name + "-*"):
        extra.unlink()
    path.write_bytes(b"this is not a database" * 100)
    outcome = run(repo)
    assert outcome.notes and outcome.notes[0].startswith("I100") and "rebuilt" in outcome.notes[0]
    assert as_json(outcome) == as_json(first)


def test_deleting_the_index_loses_nothing(repo) -> None:
    first = run(repo)
    for file in index_path(repo).parent.glob("*"):
        file.unlink()
    again = run(repo)
    assert again.stats["warm"] == 0 and as_json(again) == as_json(first)


def test_a_unet_upgrade_empties_the_index(repo, monkeypatch) -> None:
    run(repo)
    import unet.index._db as db

    monkeypatch.setattr(db, "__version__", "999.0.0")
    outcome = run(repo)
    assert outcome.stats["warm"] == 0 and outcome.stats["documents_reused"] == 0


def test_parallel_jobs_give_the_same_result(repo, monkeypatch) -> None:
    import unet.index._parallel as parallel_module

    monkeypatch.setattr(parallel_module, "MIN_PARALLEL", 2)  # fork even for 4 devices
    serial = indexed_check(repo, worktree_snapshot(repo), CheckOptions(), use_index=False)
    parallel = indexed_check(repo, worktree_snapshot(repo), CheckOptions(jobs=2),
                             use_index=False)
    assert as_json(parallel) == as_json(serial)


def test_two_processes_at_once_never_corrupt_the_index(repo, tmp_path) -> None:
    script = tmp_path / "run.py"
    script.write_text(
        "import sys\nfrom pathlib import Path\n"
        "from unet.index import CheckOptions, indexed_check\n"
        "from unet.source import worktree_snapshot\n"
        "root = Path(sys.argv[1])\n"
        "for i in range(5):\n"
        "    (root / 'devices/hq/r2.yaml').write_text("
        "'name: r2\\nlocation: hq\\ngroups: [ios]\\nrole: access\\nvars: {i: %d}\\n' % i)\n"
        "    indexed_check(root, worktree_snapshot(root), CheckOptions())\n")
    procs = [subprocess.Popen([sys.executable, str(script), str(repo)]) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    outcome = run(repo)
    assert outcome.notes == []  # no rebuild needed: nothing was corrupted
    assert as_json(outcome) == as_json(indexed_check(repo, worktree_snapshot(repo),
                                                     CheckOptions(), use_index=False))


def test_a_directory_outside_git_works_too(make_repo) -> None:
    root = make_repo({"policies/base.unet": POLICY})
    first, second = run(root), run(root)
    assert second.stats["warm"] == 1 and as_json(first) == as_json(second)


def test_example_network_cold_warm_incremental_and_sharded_agree(tmp_path) -> None:
    import shutil

    from tests.conftest import EXAMPLES

    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "init")
    today = {"today": __import__("datetime").date(2026, 11, 27)}
    cold = as_json(run(root, **today))
    warm = as_json(run(root, **today))
    (root / "devices" / "hq" / "hq-acc-01.yaml").write_text(
        (root / "devices" / "hq" / "hq-acc-01.yaml").read_text() + "# a comment\n")
    incremental = run(root, **today)
    assert incremental.stats["devices_evaluated"] == 1
    shards = [outcome_report(run(root, shard=(k, 4), **today)) for k in (1, 2, 3, 4)]
    merged = json.dumps(to_json(merge_reports(shards)), indent=2)
    assert cold == warm == as_json(incremental) == merged
