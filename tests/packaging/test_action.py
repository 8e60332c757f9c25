"""The composite GitHub Action (action.yml): its run steps work as GitHub runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())


def _step(step_id: str) -> dict[str, str]:
    return next(s for s in ACTION["runs"]["steps"] if s.get("id") == step_id)


def _run_unet_step(tmp_path: Path, **inputs: str) -> tuple[int, str, str]:
    output = tmp_path / "github_output"
    output.write_text("")
    env = {**os.environ, "GITHUB_OUTPUT": str(output),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "UNET_CACHE_DIR": str(tmp_path / "cache"), "UNET_REPO": str(EXAMPLES),
           "COMMAND": "check", "ARGS": "", "FORMAT": "github", "SHARD": "", "REPORTS": "",
           "BASELINE": "",
           **inputs}
    env.pop("GITHUB_STEP_SUMMARY", None)
    # GitHub's `shell: bash` is `bash --noprofile --norc -eo pipefail {0}`.
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                             _step("unet")["run"]], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout, output.read_text()


def test_check_step_annotates_and_reports_the_exit_code(tmp_path: Path) -> None:
    code, stdout, outputs = _run_unet_step(tmp_path, REPORTS=f"sarif={tmp_path}/unet.sarif",
                                      ARGS="--fail-on-pending")
    assert code == 1
    assert "exit-code=1" in outputs
    assert "::error file=" in stdout
    assert (tmp_path / "unet.sarif").is_file()


def test_shard_and_extra_args_reach_unet(tmp_path: Path) -> None:
    code, _, outputs = _run_unet_step(tmp_path, SHARD="1/2", ARGS="--exit-zero")
    assert (code, outputs.strip()) == (0, "exit-code=0")
    code, stdout, _ = _run_unet_step(tmp_path, COMMAND="validate")
    assert code == 0 and "::error" not in stdout


def test_every_input_is_used_and_documented() -> None:
    text = (ROOT / "action.yml").read_text()
    ci_docs = (ROOT / "docs" / "ci.md").read_text()
    for name in ACTION["inputs"]:
        assert f"inputs.{name}" in text, f"input {name} is never used"
        assert f"`{name}`" in ci_docs, f"input {name} is not in docs/ci.md"


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed")
def test_run_steps_are_shellcheck_clean(tmp_path: Path) -> None:
    for index, step in enumerate(s for s in ACTION["runs"]["steps"] if "run" in s):
        script = tmp_path / f"step{index}.sh"
        script.write_text("#!/usr/bin/env bash\n" + step["run"])
        result = subprocess.run(["shellcheck", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout


def test_baseline_input_reports_only_new_findings(tmp_path: Path) -> None:
    from tests.helpers import git_examples

    net = git_examples(tmp_path / "net")
    code, stdout, _ = _run_unet_step(tmp_path, UNET_REPO=str(net), BASELINE="HEAD",
                                     ARGS="--fail-on-pending")
    assert code == 0, stdout  # everything there was already committed
    assert "::notice::unet: 0 new since HEAD, 3 existing (not annotated), 0 fixed" in stdout
    code, stdout, _ = _run_unet_step(tmp_path, UNET_REPO=str(net), BASELINE="config")
    assert code == 0 and "new since HEAD" in stdout  # unet.yaml has no baseline: HEAD
