"""The options of an indexed check (part of the key of a stored run)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from unet import __version__
from unet.core import record

if TYPE_CHECKING:
    from unet.policy import ConfigView, Context
    from unet.source import Snapshot

__all__ = ["CheckOptions", "IntendedFactory"]

# Given the snapshot, a renderer of intended configs for policy conditions.
IntendedFactory = Callable[["Snapshot"], "Callable[[Context], ConfigView | None]"]


@record
class CheckOptions:
    names: tuple[str, ...] = ()
    where: str | None = None
    seeds: tuple[str, ...] = ()  # changed files: check the devices they affect
    shard: tuple[int, int] | None = None  # (K, N): the K-th of N stable partitions
    jobs: int = 1  # 0: one per CPU
    today: date | None = None

    def key(self) -> str:
        return json.dumps([self.names, self.where, sorted(self.seeds), self.shard,
                           str(self.today or date.today()), __version__])
