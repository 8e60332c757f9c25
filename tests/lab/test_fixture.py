"""When the lab cannot start, its tests fail under CI=true and are skipped elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

TEST = "tests/lab/test_lab.py::test_a_wrong_password_is_refused"


def _run(ci: bool) -> subprocess.CompletedProcess[str]:
    # Without a PATH, the lab finds none of its tools (`ip`, `unshare`, ...).
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PATH")}
    env["PATH"] = "/nonexistent"
    if ci:
        env["CI"] = "true"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-rfEs", TEST], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120)


@pytest.mark.parametrize(("ci", "outcome"), [(True, "1 error"), (False, "1 skipped")])
def test_an_unavailable_lab(ci: bool, outcome: str) -> None:
    result = _run(ci)
    assert outcome in result.stdout, result.stdout
    assert "the ip command" in result.stdout
    assert (result.returncode != 0) is ci
