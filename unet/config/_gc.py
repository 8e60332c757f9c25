"""Pause the cyclic garbage collector during bulk tree work.

Parsing and diffing allocate one small object per line; with the collector on, the
generation-2 passes over a 100k-object heap cost more than the work itself. Trees hold
no cycles the collector would need to free during the call.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

__all__ = ["paused"]

P = ParamSpec("P")
T = TypeVar("T")


def paused(func: Callable[P, T]) -> Callable[P, T]:
    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        if not gc.isenabled():
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()

    return wrapper
