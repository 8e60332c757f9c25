"""The cached run equals `--no-cache` byte for byte, whatever git was told or the disk holds.

Each scenario works on a copy of examples/ in real git: a first run fills the index,
the scenario changes something, and the cached run (warm or incremental) must print
exactly what a run without the index prints.
"""

from __future__ import annotations

import json
import os
import time
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import GIT_IDENTITY, git, git_examples
from unet.index import CheckOptions, CheckOutcome, indexed_check, intended_configs
from unet.report import outcome_report
from unet.report.json import to_json
from unet.source import worktree_snapshot

TODAY = date(2026, 11, 27)
FIXED_NTP = "ntp server 10.0.0.2\n"  # hq-acc-02's running config lacks it: one finding
LACKS = "configs/hq-acc-02.cfg ntp-in-running the running configuration lacks NTP server 10.0.0.2"


def check(root: Path, *, cache: bool = True, jobs: int = 1, **options: object) -> CheckOutcome:
    return indexed_check(root, worktree_snapshot(root),
                         CheckOptions(today=TODAY, jobs=jobs, **options),  # type: ignore[arg-type]
                         use_index=cache, intended=intended_configs)


def as_json(outcome: CheckOutcome) -> str:
    return json.dumps(to_json(outcome_report(outcome)), indent=1)


def agree(root: Path, **options: object) -> dict[str, object]:
    """Assert that the cached run prints what an uncached one does; the report."""
    cached, fresh = as_json(check(root, **options)), as_json(check(root, cache=False, **options))
    assert cached == fresh
    report: dict[str, object] = json.loads(fresh)
    return report


def messages(report: dict[str, object], code: str | None = None) -> list[str]:
    found = [*report["findings"], *report["diagnostics"]]  # type: ignore[misc]
    return [f"{d['path']} {d.get('code', d.get('rule'))} {d['message']}" for d in found
            if code is None or d.get("code") == code]


def commit(root: Path, message: str = "change") -> None:
    git(root, "add", "-A")
    git(root, *GIT_IDENTITY, "commit", "-qm", message)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return git_examples(tmp_path / "net")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


@pytest.mark.parametrize("committed", [False, True])
def test_editing_the_target_of_a_committed_symlink_is_seen(root: Path, committed: bool) -> None:
    (root / "elsewhere").mkdir()
    for real in ("configs/hq-acc-02.cfg", "devices/hq/hq-acc-01.yaml"):
        (root / real).rename(root / "elsewhere" / Path(real).name)
    os.symlink("../elsewhere/hq-acc-02.cfg", root / "configs" / "hq-acc-02.cfg")
    os.symlink("../../elsewhere/hq-acc-01.yaml", root / "devices" / "hq" / "hq-acc-01.yaml")
    commit(root, "links")
    before = agree(root)
    assert LACKS in messages(before)
    _append(root / "elsewhere" / "hq-acc-02.cfg", FIXED_NTP)
    _append(root / "elsewhere" / "hq-acc-01.yaml", "location: hq-b1\n")  # a duplicate key
    if committed:
        commit(root)
    after = agree(root)
    assert LACKS not in messages(after)
    assert any(m.startswith("devices/hq/hq-acc-01.yaml U102") for m in messages(after))


def test_one_running_config_per_device_and_a_warning_for_the_others(root: Path) -> None:
    live = root / "configs" / "hq-acc-02.cfg"
    (root / "configs" / "old").mkdir()
    for other in ("configs/old/hq-acc-02.cfg", "configs/hq-acc-02.cfg~", "configs/hq-acc-02.orig",
                  "configs/hq-acc-02.bak"):
        (root / other).write_bytes(live.read_bytes())
    commit(root, "backups")
    assert LACKS in messages(agree(root))
    _append(live, FIXED_NTP)  # the live config: the one the device's findings come from
    assert LACKS not in messages(agree(root))
    commit(root)
    report = agree(root)
    assert LACKS not in messages(report)
    warned = sorted(m.split()[0] for m in messages(report, "C300"))
    assert warned == ["configs/hq-acc-02.bak", "configs/hq-acc-02.cfg~", "configs/hq-acc-02.orig"]
    assert all("its running config is configs/hq-acc-02.cfg" in m
               for m in messages(report, "C300"))


def test_a_device_named_after_its_file_keeps_that_name_through_the_cache(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import unet.index._parallel as parallel

    device = root / "devices" / "hq" / "hq-acc-03.yaml"
    device.write_text(device.read_text().replace("name: hq-acc-03\n", ""))
    commit(root, "no name")
    assert "hq-acc-03" in agree(root)["evaluated"]  # type: ignore[operator]
    git(root, "mv", "devices/hq/hq-acc-03.yaml", "devices/hq/hq-acc-05.yaml")
    (root / "devices" / "hq" / "hq-acc-06.yaml").write_bytes(
        (root / "devices" / "hq" / "hq-acc-05.yaml").read_bytes())  # an identical copy
    renamed = agree(root)
    assert {"hq-acc-05", "hq-acc-06"} <= set(renamed["evaluated"])  # type: ignore[arg-type]
    assert "hq-acc-03" not in renamed["evaluated"]  # type: ignore[operator]
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)  # fork even for 17 files
    serial = [as_json(check(root, cache=False, jobs=1)) for _ in range(2)]
    forked = [as_json(check(root, cache=False, jobs=2)) for _ in range(2)]
    assert serial[0] == serial[1] == forked[0] == forked[1]
    git(root, "config", "core.checkStat", "minimal")  # parallel parse into a warm index
    assert as_json(check(root, jobs=2)) == serial[0]


@pytest.mark.parametrize("flag", ["--skip-worktree", "--assume-unchanged"])
def test_content_git_was_told_not_to_look_at_is_read_and_never_cached_as_the_old_id(
        root: Path, flag: str) -> None:
    agree(root)
    config = root / "configs" / "hq-acc-02.cfg"
    original = config.read_bytes()
    git(root, "update-index", flag, "configs/hq-acc-02.cfg", "devices/hq/hq-acc-01.yaml")
    _append(config, FIXED_NTP)
    _append(root / "devices" / "hq" / "hq-acc-01.yaml", "location: hq-b1\n")
    assert git(root, "status", "--porcelain") == ""  # git sees nothing
    edited = agree(root)
    assert LACKS not in messages(edited)
    assert any(m.startswith("devices/hq/hq-acc-01.yaml U102") for m in messages(edited))
    git(root, "update-index", flag.replace("--", "--no-"), "configs/hq-acc-02.cfg",
        "devices/hq/hq-acc-01.yaml")
    git(root, "checkout", "--", "configs/hq-acc-02.cfg", "devices/hq/hq-acc-01.yaml")
    assert config.read_bytes() == original
    restored = agree(root)
    assert LACKS in messages(restored)  # the old id, and the old content's results
    assert not messages(restored, "U102")


def test_a_minimal_stat_check_cannot_hide_an_edit(root: Path) -> None:
    git(root, "config", "core.checkStat", "minimal")
    git(root, "config", "core.trustctime", "false")
    agree(root)
    config = root / "configs" / "hq-acc-02.cfg"
    stat = config.stat()
    text = config.read_text()
    edited = text.replace("ntp server 10.0.0.1", "ntp server 10.0.0.2")  # same size
    assert edited != text and len(edited) == len(text)
    time.sleep(1.05 - time.time() % 1)  # git keeps whole-second ctimes: edit in a later one
    config.write_text(edited)
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    report = agree(root)
    assert any("lacks NTP server 10.0.0.1" in m for m in messages(report)), messages(report)


def test_a_sparse_checkout_never_stores_what_it_could_not_read(root: Path) -> None:
    full = agree(root)
    git(root, "sparse-checkout", "set", "--no-cone", "/*", "!/devices/dc1/")
    assert not (root / "devices" / "dc1").exists()
    sparse = agree(root)
    assert sparse == full  # the left-out files are read from git's objects
    git(root, "sparse-checkout", "disable")
    after = agree(root)
    assert after == full and len(after["evaluated"]) == 15  # type: ignore[arg-type]
    assert not messages(after, "U108")
