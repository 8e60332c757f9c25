"""Worker processes of `unet check -j N` never outlive it, however it dies."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="finds the workers through /proc (Linux)")

DEVICES = 300
INTERFACES = 40
# Enough work per device that the parallel phase lasts well past the moment it is seen.
POLICY = ("RULE pairs WHEN true THEN ASSERT ALL a IN node.interfaces SATISFIES "
          "ALL b IN node.interfaces SATISFIES a.description != \"x\" OR b.mtu == 1\n")


def _fleet(root: Path) -> None:
    (root / "devices").mkdir(parents=True)
    (root / "policies").mkdir()
    (root / "unet.yaml").write_text("name: fleet\n")
    (root / "policies" / "pairs.unet").write_text(POLICY)
    interfaces = "".join(f"  Gi0/{i}: {{description: port {i}, mtu: 1500}}\n"
                         for i in range(INTERFACES))
    for n in range(DEVICES):
        (root / "devices" / f"r{n}.yaml").write_text(
            f"name: r{n}\nplatform: ios\nrole: core\ninterfaces:\n{interfaces}")


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == parent:
            found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has exited; only its parent's reaping is left


def _python_children(parent: int) -> list[int]:
    own = Path(f"/proc/{parent}/cmdline").read_bytes()
    workers = []
    for pid in _children(parent):
        try:
            if Path(f"/proc/{pid}/cmdline").read_bytes() == own:  # forked, not git
                workers.append(pid)
        except OSError:
            continue
    return workers


def _kill_and_watch(process: subprocess.Popen[bytes]) -> None:
    """Wait for forked workers, kill -9 their parent, assert they are gone soon after."""
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not workers and time.monotonic() < deadline and process.poll() is None:
            workers = _python_children(process.pid)
            time.sleep(0.02)
        assert workers, "the run ended before its parallel phase was seen"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _alive(pid)], "workers outlived their parent"
    finally:
        if process.poll() is None:
            process.kill()
        for pid in workers:  # never leave a stray process behind, even when failing
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_kill_9_of_check_takes_its_workers_with_it(tmp_path: Path) -> None:
    root = tmp_path / "fleet"
    _fleet(root)
    env = {**os.environ, "UNET_CACHE_DIR": str(tmp_path / "cache")}
    _kill_and_watch(subprocess.Popen(
        [sys.executable, "-m", "unet", "--repo", str(root), "check", "-j", "2", "--no-cache",
         "--format", "json"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env))


def test_without_the_kernels_help_a_watchdog_ends_orphaned_workers() -> None:
    """Where PR_SET_PDEATHSIG does not exist (macOS, BSD), each worker watches its parent."""
    script = ("import time\n"
              "import unet.index._parallel as parallel\n"
              "parallel._kernel_kills_orphans = lambda: False\n"
              "parallel.MIN_PARALLEL = 1\n"
              "parallel.run_parallel(lambda chunk: time.sleep(120) or b'', [1, 2, 3, 4], 2)\n")
    _kill_and_watch(subprocess.Popen([sys.executable, "-c", script]))
