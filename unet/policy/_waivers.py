"""`waivers.yaml`: accepted exceptions, each with a reason, optionally until a date.

    waivers:
      - rule: ntp-servers            # a rule id (shell-style wildcards allowed)
        devices: [hq-acc-02]         # names or wildcards; and/or
        where: node.role == "access" # a condition, as in policies
        reason: NTP appliance for this floor arrives in March
        expires: 2027-03-31          # optional; after it the waiver no longer applies

An expired waiver stops suppressing and is reported; so is a waiver that
suppressed nothing, and one that names an unknown rule or device. Waived findings
stay visible (marked waived) in every output format. `lint_waivers` reports what
can be known without evaluating the policies (for `unet validate`).
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from unet.core import Diagnostic, Finding, Location, Severity
from unet.inventory import (
    Document,
    Inventory,
    did_you_mean,
    read_document,
    validate_document,
)
from unet.inventory.shape import REQUIRED, Field, ListOf, Model, Str
from unet.patterns import PatternTimeout
from unet.policy._compile import Compiler, Test
from unet.policy._context import Context
from unet.policy._parser import parse_condition
from unet.policy._values import PolicyEvaluationError
from unet.source import Snapshot

__all__ = ["WAIVERS_FILE", "Waiver", "apply_waivers", "lint_waivers", "load_waivers",
           "waiver_device_names"]

WAIVERS_FILE = "waivers.yaml"
EXPIRY_NOTICE_DAYS = 14


_WAIVER = Model("Waiver", "One accepted exception.", {
    "rule": Field(Str(), REQUIRED, nullable=False),
    "devices": Field(ListOf(Str())),
    "where": Field(Str()),
    "reason": Field(Str(min_length=1), REQUIRED, nullable=False),
    "expires": Field(Str(), description="YYYY-MM-DD"),
})
_WAIVERS_FILE = Model("WaiversFile", "`waivers.yaml`.", {
    "waivers": Field(ListOf(_WAIVER), REQUIRED, nullable=False),
})


@dataclass(slots=True)
class Waiver:
    rule: str
    devices: tuple[str, ...]
    where: Test | None
    reason: str
    expires: date | None
    at: Location
    # Where each of `devices` is written, for an unknown name (W106).
    device_at: tuple[Location, ...] = ()
    used: int = 0
    failed: str | None = None  # why `where` could not be evaluated (a regex timeout)
    applies: bool = True  # False: malformed, kept only to check what it names

    def covers(self, finding: Finding, context: Callable[[str], Context | None]) -> bool:
        if not fnmatch.fnmatchcase(finding.rule, self.rule):
            return False
        if self.devices and not any(fnmatch.fnmatchcase(finding.device, p) for p in self.devices):
            return False
        if self.where is None:
            return True
        ctx = context(finding.device)
        try:
            return ctx is not None and self.where(ctx)
        except (PolicyEvaluationError, PatternTimeout) as exc:  # not waived: say why
            self.failed = f"{finding.device}: {exc}"
            return False


def load_waivers(snapshot: Snapshot) -> tuple[list[Waiver], list[Diagnostic]]:
    if WAIVERS_FILE not in snapshot.files(WAIVERS_FILE):
        return [], []
    document, problems = read_document(snapshot, WAIVERS_FILE)
    if document is None:
        return [], problems
    problems, bad = validate_document(document, _WAIVERS_FILE)
    # A malformed entry is reported and not applied, yet what it names is still checked, as
    # are the other entries, so one run names every problem (not the semantic ones only once
    # the shape is fixed).
    broken = {path[1] for path in bad if len(path) > 1 and path[0] == "waivers"}
    entries = document.data.get("waivers") if isinstance(document.data, dict) else None
    if not isinstance(entries, list) or any(len(path) < 2 for path in bad):
        return [], problems
    waivers: list[Waiver] = []
    for index, entry in enumerate(entries):
        waiver = _waiver(document, index, entry, problems, shaped=index not in broken)
        if waiver is not None:
            waivers.append(waiver)
    return waivers, problems


def _waiver(document: Document, index: int, entry: Any, problems: list[Diagnostic], *,
            shaped: bool) -> Waiver | None:
    """The waiver of one entry; one that is malformed (not `shaped`, or found so here) is
    kept only to check the rule, devices and date it names, not applied."""
    if not isinstance(entry, dict) or not isinstance(entry.get("rule"), str):
        return None  # it names nothing to check
    at = document.location(("waivers", index))
    applies = shaped
    if shaped and not entry.get("devices") and not entry.get("where"):
        problems.append(Diagnostic(at, "W101", Severity.ERROR,
                                   "a waiver names its devices: give `devices:` or `where:`"))
        applies = False
    expires = None
    if isinstance(entry.get("expires"), str):
        try:
            expires = date.fromisoformat(entry["expires"])
        except ValueError:
            problems.append(Diagnostic(document.location(("waivers", index, "expires")), "W101",
                                       Severity.ERROR, f"expires: '{entry['expires']}' is not a "
                                       "date; write YYYY-MM-DD"))
            applies = False
    where = None
    if applies and entry.get("where"):
        where = _condition(entry["where"], document.location(("waivers", index, "where")),
                           problems)
        applies = where is not None
    listed = entry.get("devices")
    listed = listed if isinstance(listed, list) else []
    named = [(i, d) for i, d in enumerate(listed) if isinstance(d, str)]
    return Waiver(entry["rule"], tuple(d for _, d in named), where, entry.get("reason") or "",
                  expires, at, tuple(document.location(("waivers", index, "devices", i))
                                     for i, _ in named), applies=applies)


def _condition(text: str, at: Location, problems: list[Diagnostic]) -> Test | None:
    condition, errors = parse_condition(text, at.path)
    compiler = Compiler()
    test = compiler.lone_condition(condition) if condition is not None else None
    for error in [*errors, *compiler.diagnostics]:
        # Point into the YAML line: the condition starts at the value's column.
        loc = Location(at.path, at.line, at.col + error.location.col - 1)
        problems.append(dataclasses.replace(error, location=loc))
    return test if not errors and not compiler.diagnostics else None


def apply_waivers(findings: list[Finding], waivers: list[Waiver], *, rules: list[str],
                  context: Callable[[str], Context | None], today: date,
                  devices: Collection[str] | None = None,
                  ) -> tuple[list[Finding], list[Diagnostic]]:
    """Mark waived findings; report expired, soon-expiring, unused and unknown-rule or
    unknown-device waivers.

    `context(device)` gives the evaluation context for waivers with a `where:` condition;
    `devices`, the inventory's device names (None: not checked).
    """
    active = [w for w in waivers if w.applies and (w.expires is None or w.expires >= today)]
    result = []
    for finding in findings:
        waiver = next((w for w in active if w.covers(finding, context)), None)
        if waiver is not None:
            waiver.used += 1
            finding = dataclasses.replace(finding, waived=waiver.reason)
        result.append(finding)
    return result, [d for w in waivers for d in _notes(w, rules, devices, today)]


def waiver_device_names(inventory: Inventory, snapshot: Snapshot) -> set[str]:
    """The names a waiver may give: every device, also one whose file has errors (its
    file's name), which is reported on its own."""
    files = (p for p in snapshot.files("devices/") if p.endswith((".yaml", ".yml")))
    return {*inventory.devices, *(PurePosixPath(p).stem for p in files)}


def lint_waivers(snapshot: Snapshot, *, rules: list[str] | None, devices: Collection[str],
                 today: date) -> list[Diagnostic]:
    """Every problem of `waivers.yaml` found without evaluating a policy: its shape and
    conditions, unknown rules (when `rules` is known) and devices, expired dates."""
    waivers, problems = load_waivers(snapshot)
    return [*problems, *(d for w in waivers for d in _static_notes(w, rules, devices, today))]


def _static_notes(waiver: Waiver, rules: list[str] | None, devices: Collection[str] | None,
                  today: date) -> list[Diagnostic]:
    notes = []
    if rules is not None and not any(fnmatch.fnmatchcase(rule, waiver.rule) for rule in rules):
        notes.append(Diagnostic(waiver.at, "W104", Severity.WARNING,
                                f"waiver names rule '{waiver.rule}', which no policy defines"
                                f"{did_you_mean(waiver.rule, rules)}"))
    if devices is not None:
        known = sorted(devices)
        for pattern, at in zip(waiver.devices, waiver.device_at, strict=False):
            if any(fnmatch.fnmatchcase(name, pattern) for name in known):
                continue
            what = (f"device pattern '{pattern}', which matches no device"
                    if any(c in pattern for c in "*?[") else
                    f"device '{pattern}', which is not in the inventory"
                    f"{did_you_mean(pattern, known)}")
            notes.append(Diagnostic(at, "W106", Severity.WARNING,
                                    f"waiver for '{waiver.rule}' names {what}"))
    if waiver.expires is not None and waiver.expires < today:
        notes.append(Diagnostic(waiver.at, "W102", Severity.WARNING,
                                f"waiver for '{waiver.rule}' expired on {waiver.expires}; "
                                "it no longer suppresses findings"))
    return notes


def _notes(waiver: Waiver, rules: list[str], devices: Collection[str] | None,
           today: date) -> list[Diagnostic]:
    notes = []
    if waiver.failed is not None:
        notes.append(Diagnostic(waiver.at, "P303", Severity.ERROR,
                                f"waiver for '{waiver.rule}': `where` could not be evaluated "
                                f"on {waiver.failed}; the finding was not waived"))
    static = _static_notes(waiver, rules, devices, today)
    notes += static
    if not waiver.applies:  # its error says why it suppresses nothing
        return notes
    expired = waiver.expires is not None and waiver.expires < today
    # Expired, or an unknown name, already says why it suppressed nothing.
    if waiver.used == 0 and not static:
        notes.append(Diagnostic(waiver.at, "W103", Severity.WARNING,
                                f"waiver for '{waiver.rule}' suppressed nothing; remove it"))
    elif waiver.used and not expired and waiver.expires is not None \
            and (waiver.expires - today).days <= EXPIRY_NOTICE_DAYS:
        notes.append(Diagnostic(waiver.at, "W105", Severity.INFO,
                                f"waiver for '{waiver.rule}' expires on {waiver.expires}"))
    return notes
