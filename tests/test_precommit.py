"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit (`pre-commit run`).

pre-commit builds a virtualenv and pip-installs unet into it (30-90 s), once for the
module: every test shares one PRE_COMMIT_HOME and a `.pre-commit-config.yaml` that names
a snapshot of this working tree at a fixed commit, so the environment is reused (`try-repo`
would build a fresh one on every call).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
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
HOOKS = ("unet-validate", "unet-check", "unet-policy-test")

Run = Callable[..., subprocess.CompletedProcess[str]]


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV})
    return done.stdout.strip()


def _commit_all(path: Path, message: str = "snapshot") -> None:
    if not (path / ".git").exists():
        _git(path, "init", "-q")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "--allow-empty", "-m", message)


def _project_snapshot(dest: Path) -> str:
    """The working tree of unet as a fresh git repository; its commit.

    A copy makes the hooks run exactly what is on disk, committed or not.
    """
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "unet", dest / "unet", ignore=skip)
    for name in ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, dest / name)
    _commit_all(dest)
    return _git(dest, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, Path]]:
    """(the unet snapshot, its commit, the shared PRE_COMMIT_HOME)."""
    base = tmp_path_factory.mktemp("hooks")
    project = base / "unet-src"
    yield project, _project_snapshot(project), base / "pre-commit-home"


@pytest.fixture
def net(tmp_path: Path, hooks: tuple[Path, str, Path]) -> Path:
    """A network repository (no policy yet) using the hooks, committed."""
    project, rev, _ = hooks
    files = {**MINIMAL, ".pre-commit-config.yaml": (
        f"repos:\n  - repo: {project}\n    rev: {rev}\n    hooks:\n"
        + "".join(f"      - id: {hook}\n" for hook in HOOKS))}
    root = tmp_path / "net"
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    _commit_all(root)
    return root


@pytest.fixture
def run(net: Path, hooks: tuple[Path, str, Path]) -> Run:
    env = {**os.environ, "PRE_COMMIT_HOME": str(hooks[2]), "PRE_COMMIT_COLOR": "never",
           **GIT_ENV}

    def pre_commit_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", *args], cwd=net,
                              env=env, capture_output=True, text=True, timeout=600)

    return pre_commit_run


def _write(net: Path, relative: str, text: str, *, stage: bool = True) -> None:
    target = net / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    if stage:
        _git(net, "add", relative)


def test_hooks_fail_on_a_violation_and_pass_once_fixed(net: Path, run: Run) -> None:
    # The change being committed adds a policy r1 breaks: a new finding.
    _write(net, "policies/ntp.unet", POLICY)
    broken = run("--all-files")
    out = broken.stdout
    assert broken.returncode == 1, out + broken.stderr
    assert _status(out, "unet validate") == "Passed"
    assert _status(out, "unet check") == "Failed"
    assert _status(out, "unet policy test") == "Passed"
    assert "devices/hq/r1.yaml:1:7: ntp error (new)" in out

    # Files are seeds: a change to r2 alone checks r2 (clean), a change to the group
    # both devices use checks r1 too.
    only_r2 = run("unet-check", "--files", "devices/hq/r2.yaml")
    assert only_r2.returncode == 0, only_r2.stdout
    via_group = run("unet-check", "--files", "groups/ios.yaml")
    assert via_group.returncode == 1, via_group.stdout
    assert "devices/hq/r1.yaml:1:7: ntp error (new)" in via_group.stdout

    _write(net, "devices/hq/r1.yaml", FIXED_R1)
    fixed = run("--all-files")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert _status(fixed.stdout, "unet check") == "Passed"


def test_only_what_the_commit_introduces_fails_it(net: Path, run: Run) -> None:
    # A violation that is already committed does not block an unrelated commit...
    _write(net, "policies/ntp.unet", POLICY)
    _commit_all(net, "the NTP policy, r1 not yet compliant")
    _write(net, "devices/hq/r2.yaml", MINIMAL["devices/hq/r2.yaml"] + "serial: X1\n")
    unrelated = run("unet-check", "--verbose", "--files", "devices/hq/r1.yaml")
    assert unrelated.returncode == 0, unrelated.stdout
    assert "nothing new since HEAD; 1 existing (not listed), 0 fixed" in unrelated.stdout

    # ...a commit that fixes it is told so...
    _write(net, "devices/hq/r1.yaml", FIXED_R1)
    fixing = run("unet-check", "--verbose", "--files", "devices/hq/r1.yaml")
    assert fixing.returncode == 0, fixing.stdout
    assert "devices/hq/r1.yaml:1:7: ntp fixed: r1:" in fixing.stdout

    # ...and a template that cannot render fails both hooks, at the template's line.
    _write(net, "templates/base.j2", "hostname {{ vars.nme }}\n")
    _write(net, "groups/ios.yaml", MINIMAL["groups/ios.yaml"] + "templates: [base.j2]\n")
    broken = run("--all-files")
    assert broken.returncode == 1, broken.stdout
    assert _status(broken.stdout, "unet validate") == "Failed"
    assert _status(broken.stdout, "unet check") == "Failed"
    for device, name in (("r1", "vars.nme"), ("r2", "vars")):  # r2 has no vars at all
        assert (f"templates/base.j2:1:13: T103 error: device {device}: undefined: {name} "
                "(named at groups/ios.yaml:4:13)") in broken.stdout


def _status(output: str, hook_name: str) -> str:
    """'Passed', 'Failed' or 'Skipped' from pre-commit's `name....Status` line."""
    for line in output.splitlines():
        if line.startswith(hook_name + "."):
            return line.rsplit(".", 1)[-1].strip("()").split("(")[0].strip()
    raise AssertionError(f"no status line for {hook_name!r} in:\n{output}")
