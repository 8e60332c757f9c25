"""Ctrl-C during a run over devices: the workers are told to stop, and what each device
came to is still waited for, so it is recorded and reported."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import TypeVar

__all__ = ["results_of"]

T = TypeVar("T")


def results_of(futures: Sequence[Future[T]], stop: threading.Event, say: Callable[[str], None],
               *, stopping: str, waiting: str | None = None) -> list[T]:
    """Every future's result, in order. On Ctrl-C `stop` is set, `stopping` said, and the
    results are still waited for; another Ctrl-C says `waiting` and goes on waiting (a
    device mid-rollback), or, without `waiting`, ends the wait."""
    try:
        return [future.result() for future in futures]
    except KeyboardInterrupt:
        stop.set()
        say(stopping)
    while True:
        try:
            return [future.result() for future in futures]
        except KeyboardInterrupt:
            if waiting is None:
                raise
            say(waiting)
