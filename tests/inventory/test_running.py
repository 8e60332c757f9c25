"""Where running configurations are read from: configs/, `running_configs:` in unet.yaml
(inside the repository only), or UNET_RUNNING_CONFIGS (anywhere the operator says)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import MINIMAL
from unet.cli import cli
from unet.inventory import RunningConfigs, load_inventory
from unet.source import MemorySnapshot, WorktreeSnapshot

R1 = "hostname r1\nntp server 10.0.0.1\n"
RULE = 'RULE ntp WHEN running IS NOT NULL THEN ASSERT running HAS "ntp server 10.0.0.1"\n'


def test_configs_folder_by_default() -> None:
    running = RunningConfigs(MemorySnapshot({**MINIMAL, "configs/r1.cfg": R1}))
    assert running.path("r1") == "configs/r1.cfg" and running.path("r2") is None
    assert running.tree("r1", "ios") is not None


def test_a_template_inside_the_repository_replaces_configs() -> None:
    snapshot = MemorySnapshot({**MINIMAL, "unet.yaml": "running_configs: backups/{name}.conf\n",
                               "backups/r1.conf": R1, "configs/r2.cfg": R1})
    running = RunningConfigs(snapshot)
    assert running.path("r1") == "backups/r1.conf"
    assert running.path("r2") is None  # configs/ is not read any more
    assert running.path("../r1") is None and running.path(".hidden") is None
    assert running.tree("r1", "ios") is not None and not running.diagnostics


def test_the_repositorys_settings_cannot_read_outside_it(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "r1").write_text(R1)
    repo = tmp_path / "net"
    repo.mkdir()
    (repo / "unet.yaml").write_text("name: net\n# backups\nrunning_configs: ../outside/{name}\n")
    running = RunningConfigs(WorktreeSnapshot(repo))
    assert running.path("r1") is None
    [problem] = running.diagnostics
    assert problem.code == "C310" and "UNET_RUNNING_CONFIGS" in problem.message
    assert str(problem.location) == "unet.yaml:3:18"  # the setting, not the file's top


@pytest.mark.parametrize("setting", [".git/{name}", "backups/../.git/{name}.cfg",
                                     "a/.git/{name}"])
def test_running_configs_never_point_into_git(tmp_path: Path, setting: str) -> None:
    (tmp_path / "unet.yaml").write_text(f"running_configs: {setting}\n")
    running = RunningConfigs(WorktreeSnapshot(tmp_path))
    assert running.path("r1") is None
    [problem] = running.diagnostics
    assert problem.code == "C310" and "points into .git/" in problem.message
    assert str(problem.location) == "unet.yaml:1:18"



def test_the_environment_may_point_outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           ) -> None:
    (tmp_path / "oxidized").mkdir()
    (tmp_path / "oxidized" / "r1").write_text(R1)
    (tmp_path / "secret").write_text("not a config\n")
    repo = tmp_path / "net"
    repo.mkdir()
    monkeypatch.setenv("UNET_RUNNING_CONFIGS", "../oxidized/{name}")
    running = RunningConfigs(WorktreeSnapshot(repo))
    assert running.path("r1") == "r1" and running.external
    assert running.display("r1").endswith("oxidized/r1")
    assert running.tree("r1", "ios") is not None
    assert running.path("../secret") is None  # a device name never leaves the folder


def test_a_template_without_name_is_an_error_at_its_line() -> None:
    inventory = load_inventory(MemorySnapshot({**MINIMAL,
                                               "unet.yaml": "running_configs: backups/\n"}))
    [problem] = inventory.diagnostics
    assert (problem.code, problem.location.line) == ("U205", 1)
    assert "must contain {name}" in problem.message


def test_check_reads_running_configs_from_the_template(make_repo) -> None:
    root = make_repo({"unet.yaml": "running_configs: backups/{name}.cfg\n",
                      "backups/r1.cfg": R1, "backups/r2.cfg": "hostname r2\n",
                      "policies/p.unet": RULE})
    result = CliRunner().invoke(cli, ["--repo", str(root), "check", "--no-cache",
                                      "--format", "concise"])
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "backups/r2.cfg:1:1: ntp error: r2: expected running HAS \"ntp server 10.0.0.1\": no line "
        "matching 'ntp server 10.0.0.1' in the configuration"]
