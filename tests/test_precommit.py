"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit (`pre-commit try-repo`).

Slow: pre-commit builds a virtualenv and pip-installs unet into it (30-90 s).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.helpers import MINIMAL

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git not installed"),
]
pre_commit = pytest.importorskip("pre_commit", reason="pre-commit not installed (test extra)")

POLICY = ('RULE ntp SEVERITY error "Core devices use the corporate NTP server"\n'
          'WHEN node.role == "core"\n'
          'THEN ASSERT node.vars.ntp_servers CONTAINS "10.0.0.1"\n')
FIXED_R1 = MINIMAL["devices/hq/r1.yaml"] + "vars: {ntp_servers: [10.0.0.1]}\n"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, **GIT_ENV})


def _commit_all(path: Path) -> None:
    _git(path, "init", "-q")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "snapshot")


def _project_snapshot(dest: Path) -> Path:
    """The working tree of unet as a fresh git repository.

    try-repo on the checkout itself would only see committed and tracked files;
    a copy makes the test exercise exactly what is on disk.
    """
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "unet", dest / "unet", ignore=skip)
    for name in ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, dest / name)
    _commit_all(dest)
    return dest


def _network(dest: Path) -> Path:
    for relative, text in {**MINIMAL, "policies/ntp.unet": POLICY}.items():
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    _commit_all(dest)
    return dest


def test_hooks_fail_on_a_violation_and_pass_once_fixed(tmp_path: Path) -> None:
    project = _project_snapshot(tmp_path / "unet-src")
    net = _network(tmp_path / "net")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PRE_COMMIT_COLOR": "never", **GIT_ENV}

    def try_repo(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(project),
                               *args], cwd=net, env=env, capture_output=True, text=True,
                              timeout=600)

    broken = try_repo("--all-files")
    out = broken.stdout
    assert broken.returncode == 1, out + broken.stderr
    assert _status(out, "unet validate") == "Passed"
    assert _status(out, "unet check") == "Failed"
    assert _status(out, "unet policy test") == "Passed"
    assert "devices/hq/r1.yaml:1:7: ntp error" in out

    # Files are seeds: a change to r2 alone checks r2 (clean), a change to the group
    # both devices use checks r1 too.
    only_r2 = try_repo("unet-check", "--files", "devices/hq/r2.yaml")
    assert only_r2.returncode == 0, only_r2.stdout
    via_group = try_repo("unet-check", "--files", "groups/ios.yaml")
    assert via_group.returncode == 1, via_group.stdout
    assert "devices/hq/r1.yaml:1:7: ntp error" in via_group.stdout

    (net / "devices/hq/r1.yaml").write_text(FIXED_R1, encoding="utf-8")
    fixed = try_repo("--all-files")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert _status(fixed.stdout, "unet check") == "Passed"


def _status(output: str, hook_name: str) -> str:
    """'Passed', 'Failed' or 'Skipped' from pre-commit's `name....Status` line."""
    for line in output.splitlines():
        if line.startswith(hook_name + "."):
            return line.rsplit(".", 1)[-1].strip("()").split("(")[0].strip()
    raise AssertionError(f"no status line for {hook_name!r} in:\n{output}")
