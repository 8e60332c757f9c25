"""`unet check` through the index: unchanged repositories and devices are not evaluated again.

1. The state of the repository (each file's content id, from git when it is a git
   work tree) plus the options give a run key; a stored run is answered as is,
   without importing the inventory or policy code at all.
2. Otherwise files are parsed only when their content id is new (the rest come
   from the index), every device is resolved, and a device is evaluated again
   only when something it reads changed (its files, links, running config, the
   templates, the policies or unet.yaml). `-j N` spreads parsing and evaluation
   over N processes (see `_build.py`).
3. Waivers apply to the whole result; the run and each device's result are stored.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from unet.index._db import Index, open_index
from unet.index._options import CheckOptions, IntendedFactory
from unet.index._outcome import CheckOutcome

if TYPE_CHECKING:
    from unet.inventory import Inventory
    from unet.source import Snapshot

__all__ = ["indexed_check", "indexed_inventory", "pending_deploys"]


def indexed_check(root: Path, snapshot: Snapshot, options: CheckOptions, *,
                  use_index: bool = True, intended: IntendedFactory | None = None,
                  ) -> CheckOutcome:
    index = open_index(root) if use_index else None
    try:
        return _check(index, snapshot, options, intended)
    finally:
        if index is not None:
            index.close()


def _check(index: Index | None, snapshot: Snapshot, options: CheckOptions,
           intended: IntendedFactory | None) -> CheckOutcome:
    run_key = _run_key(snapshot, options)
    # Running configs read from outside the repository (UNET_RUNNING_CONFIGS) are not in
    # the repository's state: only per-device results, keyed by their content, are reused.
    external = bool(os.environ.get("UNET_RUNNING_CONFIGS"))
    stored = _stored_run(index, run_key) if index is not None and not external else None
    if stored is not None:
        stored.stats = {"warm": 1, "devices_evaluated": 0, "devices_reused": len(stored.devices)}
        stored.notes = list(index.warnings) if index else []
        return stored
    from unet.index._build import build  # the heavy part: inventory, policies, rules

    outcome = build(index, snapshot, options, intended)
    # Stored only when every file read was what its id said (the key is computed again).
    if (index is not None and not external and outcome.complete
            and _run_key(snapshot, options) == run_key):
        index.put("runs", [(run_key, outcome.encode(), time.time())])
    outcome.notes = list(index.warnings) if index else []
    return outcome


def _stored_run(index: Index, run_key: str) -> CheckOutcome | None:
    body = index.get("runs", "key", run_key)
    if body is None:
        return None
    try:
        return CheckOutcome.decode(body)
    except (ValueError, EOFError, TypeError, IndexError, KeyError) as exc:
        index.mark_damaged(f"a stored run cannot be decoded: {exc}")
        return None


def _run_key(snapshot: Snapshot, options: CheckOptions) -> str:
    state = getattr(snapshot, "state_key", None)
    digest = hashlib.sha256(options.key().encode())
    if state is not None:
        digest.update(state().encode())
    else:  # not a git work tree: every file's content decides
        for path in snapshot.files():
            digest.update(f"{path}\0{snapshot.blob_id(path)}\n".encode())
    return digest.hexdigest()


def indexed_inventory(root: Path, snapshot: Snapshot, *,
                      notes: list[str] | None = None) -> Inventory:
    """The inventory with unchanged files taken from the index (and new ones added to it);
    the index's warnings (I1xx) are added to `notes`."""
    from unet.index._documents import IndexedDocuments
    from unet.inventory import load_inventory

    index = open_index(root)
    try:
        documents = IndexedDocuments(index)
        documents.prefetch(snapshot)
        inventory = load_inventory(snapshot, cache=documents)
        documents.flush()
        return inventory
    finally:
        index.close()
        if notes is not None:
            notes.extend(index.warnings)


def pending_deploys(root: Path, snapshot: Snapshot, names: tuple[str, ...] = (),
                    ) -> dict[str, list[str]]:
    """Device -> the rules whose (unwaived) findings on its running configuration a deploy
    of the intended one would fix, from a check of `names` (all devices when empty)."""
    return pending_rules(indexed_check(root, snapshot, CheckOptions(names=names, jobs=1)))


def pending_rules(outcome: CheckOutcome) -> dict[str, list[str]]:
    """Device -> the rules of a check's outcome whose open findings a deploy would fix."""
    found: dict[str, list[str]] = {}
    for finding in outcome.findings:
        if finding.pending is not None and finding.waived is None:
            rules = found.setdefault(finding.device, [])
            if finding.rule not in rules:
                rules.append(finding.rule)
    return found
