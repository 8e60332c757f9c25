"""The index: a SQLite cache of parsed files, device results and whole runs.

    outcome = indexed_check(root, worktree_snapshot(root), CheckOptions(jobs=2))

Deleting the index loses nothing; it is rebuilt on the next run.
"""

from __future__ import annotations

from unet.index._admin import clear_index, index_stats
from unet.index._baseline import against_baseline
from unet.index._check import indexed_check, indexed_inventory, pending_deploys, pending_rules
from unet.index._collapse import collapse
from unet.index._db import SCHEMA_VERSION, Index, index_path, open_index
from unet.index._deps import Dependencies, affected_devices, shard_of
from unet.index._intended import intended_configs
from unet.index._options import CheckOptions, IntendedFactory
from unet.index._outcome import CheckOutcome, RuleInfo
from unet.index._validate import ValidateOutcome, indexed_validate

__all__ = [
    "SCHEMA_VERSION",
    "CheckOptions",
    "CheckOutcome",
    "Dependencies",
    "Index",
    "IntendedFactory",
    "RuleInfo",
    "ValidateOutcome",
    "affected_devices",
    "against_baseline",
    "clear_index",
    "collapse",
    "index_path",
    "index_stats",
    "indexed_check",
    "indexed_inventory",
    "indexed_validate",
    "intended_configs",
    "open_index",
    "pending_deploys",
    "pending_rules",
    "shard_of",
]
