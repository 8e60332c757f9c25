"""Small repositories shared by tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

MINIMAL = {
    "unet.yaml": "name: test-net\n",
    "locations/hq.yaml": "name: hq\ntype: site\n",
    "groups/ios.yaml": "name: ios\nplatform: ios\nvendor: cisco\n",
    "devices/hq/r1.yaml": "name: r1\nlocation: hq\ngroups: [ios]\nrole: core\n"
                          "management_ip: 10.0.0.1\ninterfaces:\n  Gi1: {description: to r2}\n",
    "devices/hq/r2.yaml": "name: r2\nlocation: hq\ngroups: [ios]\nrole: access\n"
                          "management_ip: 10.0.0.2\ninterfaces:\n  Gi1: {description: to r1}\n",
    "links/hq.yaml": "links:\n  - endpoints: [\"r1:Gi1\", \"r2:Gi1\"]\n",
}


GIT_IDENTITY = ("-c", "user.email=t@example.net", "-c", "user.name=t")


def git(root: Path, *args: str) -> str:
    """Run real git in `root`; its output."""
    done = subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True)
    return done.stdout


def git_examples(root: Path) -> Path:
    """A copy of examples/ at `root`, as a git repository with one commit."""
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples", root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, *GIT_IDENTITY, "commit", "-qm", "init")
    return root


def fuzz(max_examples: int, *, deadline_ms: int = 5000):  # type: ignore[no-untyped-def]
    """Settings for the fuzz tests (tests/**/test_fuzz*.py).

    In CI they are reproducible and short: a fixed sequence of examples (derandomized,
    no example database), a few seconds each; one example slower than `deadline_ms` is a
    failure (a hang in the making), with room for a busy CI machine. `UNET_FUZZ=N` turns
    them into a hunt: N times the examples, freshly random on every run
    (`UNET_FUZZ=50 pytest -k fuzz`).
    """
    import os

    from hypothesis import HealthCheck, settings

    hunt = int(os.environ.get("UNET_FUZZ", "0") or 0)
    return settings(max_examples=max_examples * max(hunt, 1), derandomize=not hunt,
                    database=None, deadline=deadline_ms, print_blob=bool(hunt),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])
