"""In-place edits of lists the device numbers itself (IOS ACLs: 10, 20, … after
`ip access-list resequence`), planned make-before-break: new entries take free numbers
between the entries they must sit between, and are added before old ones are removed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import NamedTuple

__all__ = ["SequencePlan", "common", "plan_sequence"]

_STEPS = (10, 100, 1000, 10000, 100000)


class SequencePlan(NamedTuple):
    step: int  # the numbering step the list is resequenced with first
    adds: list[tuple[int, str]]  # (number, entry), in order
    removes: list[tuple[int, str]]  # (number, entry) of the running entries to remove


def common(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Index pairs of a longest common subsequence of `a` and `b` (lists are short)."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            rows[i][j] = rows[i + 1][j + 1] + 1 if a[i] == b[j] else max(rows[i + 1][j],
                                                                          rows[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif rows[i + 1][j] >= rows[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def plan_sequence(running: Sequence[str], intended: Sequence[str]) -> SequencePlan:
    """The numbers to add and remove to turn `running` into `intended`, once the device
    has numbered `running` step, 2×step, …"""
    kept = common(running, intended)
    for step in _STEPS:
        adds = _allocate(running, intended, kept, step)
        if adds is not None:
            break
    else:  # more entries than any step leaves room for: renumber after everything
        step, adds = _STEPS[-1], _after_all(running, intended, kept, _STEPS[-1])
    keep = {i for i, _ in kept}
    removes = [(step * (i + 1), text) for i, text in enumerate(running) if i not in keep]
    return SequencePlan(step, adds, removes)


def _allocate(running: Sequence[str], intended: Sequence[str], kept: list[tuple[int, int]],
              step: int) -> list[tuple[int, str]] | None:
    used = {step * (i + 1) for i in range(len(running))}
    last = step * len(running)
    bounds = [(-1, 0), *((j, step * (i + 1)) for i, j in kept), (len(intended), -1)]
    adds: list[tuple[int, str]] = []
    for (low_j, low), (high_j, high) in itertools.pairwise(bounds):
        new = intended[low_j + 1: high_j]
        if not new:
            continue
        if high < 0:  # after the last kept entry: after every running entry too
            adds += [(max(low, last) + step * (k + 1), text) for k, text in enumerate(new)]
            continue
        # Between the entry before and the next running number (free, or about to be):
        # round numbers (15 between 10 and 20), else any free number up to `high`.
        near = min((n for n in used if n > low), default=high)
        free = list(range(low + 1, min(near, high)))
        if len(free) < len(new):
            free = [n for n in range(low + 1, high) if n not in used]
            if len(free) < len(new):
                return None
        gap = (len(free) + 1) // (len(new) + 1) or 1
        adds += [(free[min(gap * (k + 1), len(free)) - 1], text) for k, text in enumerate(new)]
    return adds


def _after_all(running: Sequence[str], intended: Sequence[str], kept: list[tuple[int, int]],
               step: int) -> list[tuple[int, str]]:
    """Every intended entry renumbered after the running ones (the old ones then removed)."""
    base = step * (len(running) + 1)
    del kept[:]
    return [(base + step * k, text) for k, text in enumerate(intended)]
