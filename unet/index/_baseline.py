"""A check judged against a baseline (`check --new-since REF`): which findings are new.

The baseline is the same check on the tree of the merge base of REF and HEAD, read from
git's objects (no checkout) and answered through the same index: files and device results
are keyed by content, so only what differs from the work tree is parsed and evaluated again.
A finding is identified by its fingerprint (rule, device, what was looked at; never a
line number), so moving a line or editing above it changes nothing.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from unet.index._check import indexed_check
from unet.index._options import CheckOptions
from unet.index._outcome import CheckOutcome

__all__ = ["against_baseline"]


def against_baseline(root: Path, head: CheckOutcome, options: CheckOptions, ref: str, *,
                     use_index: bool = True) -> CheckOutcome:
    """`head` with every finding marked new or unchanged, and `fixed`: the baseline's
    findings (on the devices `head` checked) that are gone. ValueError for a bad REF."""
    from unet.source import GitSnapshot, merge_base

    commit = merge_base(root, ref)
    base = indexed_check(root, GitSnapshot(root, commit), _base_options(options),
                         use_index=use_index)
    before = {f.fingerprint for f in base.findings}
    after = {f.fingerprint for f in head.findings}
    head.findings = [dataclasses.replace(f, baseline="unchanged" if f.fingerprint in before
                                         else "new") for f in head.findings]
    checked = set(head.devices)
    head.fixed = [dataclasses.replace(f, baseline="absent") for f in base.findings
                  if f.fingerprint not in after and f.device in checked]
    head.baseline = (ref, commit)
    head.notes += [n for n in base.notes if n not in head.notes]
    return head


def _base_options(options: CheckOptions) -> CheckOptions:
    # Named devices that the baseline does not have yet are simply not in it.
    return dataclasses.replace(options, names=()) if options.names else options
