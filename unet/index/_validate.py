"""`unet validate` through the index: the data's problems, every device's template errors
and what is wrong with `waivers.yaml`.

An unchanged repository is answered from a stored run without loading anything; otherwise
a device's templates are rendered again only when something its rendering reads changed
(its files, the templates, unet.yaml), as for `unet check`.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from unet import __version__
from unet.core import Diagnostic
from unet.index._db import Index, open_index
from unet.index._documents import decode_diagnostic, encode_diagnostic

if TYPE_CHECKING:
    from unet.source import Snapshot

__all__ = ["ValidateOutcome", "indexed_validate"]


class ValidateOutcome(NamedTuple):
    diagnostics: list[Diagnostic]
    devices: int
    warm: bool
    notes: list[str]  # index warnings (I1xx), for stderr


def indexed_validate(root: Path, snapshot: Snapshot, *, use_index: bool = True,
                     today: date | None = None) -> ValidateOutcome:
    index = open_index(root) if use_index else None
    today = today or date.today()
    try:
        key = _run_key(snapshot, today)
        stored = index.get("runs", "key", key) if index is not None else None
        if stored is not None:
            try:
                diagnostics, devices = marshal.loads(stored)
                return ValidateOutcome([decode_diagnostic(d, "") for d in diagnostics],
                                       devices, True, list(index.warnings) if index else [])
            except (ValueError, EOFError, TypeError) as exc:
                assert index is not None
                index.mark_damaged(f"a stored validation cannot be decoded: {exc}")
        found, devices = _validate(index, snapshot, today)
        if index is not None and _run_key(snapshot, today) == key:
            body = marshal.dumps(([encode_diagnostic(d, "") for d in found], devices))
            index.put("runs", [(key, body, time.time())])
        return ValidateOutcome(found, devices, False, list(index.warnings) if index else [])
    finally:
        if index is not None:
            index.close()


def _run_key(snapshot: Snapshot, today: date) -> str:
    # A waiver expires with the date, not with a change of the files. (unet.policy's
    # WAIVERS_FILE, not imported: a warm run loads no policy code.)
    day = today.isoformat() if snapshot.files("waivers.yaml") else ""
    where = os.environ.get("UNET_RUNNING_CONFIGS", "")  # C310 depends on it
    digest = hashlib.sha256(f"validate\0{__version__}\0{day}\0{where}\0".encode())
    state = getattr(snapshot, "state_key", None)
    if state is not None:
        digest.update(state().encode())
    else:
        for path in snapshot.files():
            digest.update(f"{path}\0{snapshot.blob_id(path)}\n".encode())
    return digest.hexdigest()


def _validate(index: Index | None, snapshot: Snapshot,
              today: date) -> tuple[list[Diagnostic], int]:
    from unet.index._build import _shared_key
    from unet.index._deps import Dependencies
    from unet.index._documents import IndexedDocuments
    from unet.index._gate import Renders, collapse, template_problems
    from unet.inventory import load_inventory
    from unet.policy import lint_policy_tests, lint_waivers, policy_rule_ids, waiver_device_names

    documents = IndexedDocuments(index)
    documents.prefetch(snapshot)
    inventory = load_inventory(snapshot, cache=documents)
    documents.flush()
    dependencies = Dependencies(inventory, snapshot)
    shared = _shared_key(snapshot)
    devices = sorted(inventory.devices.values(), key=lambda d: d.name)
    keys = {d.name: dependencies.key(d, shared) for d in devices}
    stored: dict[str, list[Diagnostic]] = {}
    if index is not None:
        for (name, inputs), body in index.rows("device_renders", "device", keys):
            if keys.get(name) == inputs:
                stored[name] = [decode_diagnostic(d, "") for d in marshal.loads(body)]
    renders = Renders(snapshot)
    fresh = {d.name: template_problems(renders.plain(d), d) for d in devices
             if d.name not in stored}
    if index is not None and fresh:
        index.put("device_renders", [
            (name, keys[name], marshal.dumps([encode_diagnostic(p, "") for p in problems]))
            for name, problems in fresh.items()])
    problems = [p for found in (stored, fresh) for ps in found.values() for p in ps]
    problems += renders.templates.diagnostics  # header problems, once per template
    rule_ids = policy_rule_ids(snapshot)
    problems += lint_waivers(snapshot, rules=rule_ids,
                             devices=waiver_device_names(inventory, snapshot), today=today)
    problems += lint_policy_tests(snapshot, inventory, rule_ids)  # fixtures, unknown rules
    problems += dependencies.running.diagnostics  # where running_configs points (C310, C300)
    unique = {(d.location, d.code, d.message): d
              for d in [*inventory.diagnostics, *problems]}
    return collapse(list(unique.values())), len(devices)
