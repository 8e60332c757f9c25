"""Spread work over processes for cold runs (`-j N`), by forking the loaded state.

Workers are forked from a process that already holds the inventory and the
compiled rules, so nothing heavy is pickled: a worker gets a list of names and
returns plain, marshal-encoded results. Where fork is unavailable the work runs
in this process.

Workers never outlive their parent (`kill -9` of `unet check`, a CI job cancelled):
on Linux the kernel kills them (PR_SET_PDEATHSIG), elsewhere a thread in each worker
exits when the parent's pid goes away.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["available_jobs", "run_parallel"]

_TASK: Callable[[Sequence[Any]], bytes] | None = None
# Below this many items a fork costs more than it saves.
MIN_PARALLEL = 64
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WATCH_SECONDS = 0.5


def available_jobs(requested: int) -> int:
    """`-j 0` (the default) means one job per CPU the process may use."""
    if requested > 0:
        return requested
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return len(usable) if usable else (os.cpu_count() or 1)


def _die_with(parent: int) -> None:
    """A worker's initializer: exit as soon as `parent` is gone, however it died."""
    if not _kernel_kills_orphans():
        threading.Thread(target=_watch, args=(parent,), name="unet-parent-watch",
                         daemon=True).start()
    if os.getppid() != parent:  # it died before we could ask
        os._exit(1)


def _kernel_kills_orphans() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def _call(chunk: Sequence[Any]) -> bytes:
    assert _TASK is not None  # set by run_parallel before the fork
    return _TASK(chunk)


def run_parallel(task: Callable[[Sequence[Any]], bytes], items: Sequence[Any],
                 jobs: int) -> list[bytes]:
    """`task` applied to `jobs` contiguous chunks of `items`, in order."""
    global _TASK
    if jobs <= 1 or len(items) < MIN_PARALLEL:
        return [task(items)] if items else []
    import multiprocessing  # only here: a small run does not pay for importing it
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return [task(items)] if items else []
    size = -(-len(items) // jobs)
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    _TASK = task
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=len(chunks), mp_context=context,
                                 initializer=_die_with, initargs=(os.getpid(),)) as pool:
            return list(pool.map(_call, chunks))
    finally:
        _TASK = None
