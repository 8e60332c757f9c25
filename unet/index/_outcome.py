"""A check run as plain data: what the index stores and what reporters read."""

from __future__ import annotations

import marshal
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from unet.core import Diagnostic, Finding, Location, Severity
from unet.index._documents import decode_diagnostic, encode_diagnostic

__all__ = ["CheckOutcome", "RuleInfo", "decode_findings", "encode_findings"]


class RuleInfo(NamedTuple):
    id: str
    severity: Severity
    title: str
    location: Location


@dataclass(slots=True)
class CheckOutcome:
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rules: list[RuleInfo] = field(default_factory=list)
    evaluated: dict[str, list[str]] = field(default_factory=dict)
    # device -> rule id -> why: rules whose WHEN matched but that were not evaluated (P310).
    not_evaluated: dict[str, dict[str, str]] = field(default_factory=dict)
    devices: list[str] = field(default_factory=list)
    # how the run was answered: devices evaluated / reused, files parsed / reused, warm
    stats: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # index warnings (I1xx), for stderr
    # A sharded run: the W103 of waivers that suppressed nothing in this shard (a merge
    # of every shard reports those that suppressed nothing in any). None: not sharded.
    unused_waivers: list[Diagnostic] | None = None
    # False when a file read during the run differed from the id it was known by: the
    # run is answered, but not stored.
    complete: bool = True
    # Against a baseline (`check --new-since`, never stored): (REF as given, the commit
    # compared with) and the baseline's findings that are gone.
    baseline: tuple[str, str] | None = None
    fixed: list[Finding] = field(default_factory=list)

    def encode(self) -> bytes:
        unused = self.unused_waivers
        return marshal.dumps((
            encode_findings(self.findings),
            [encode_diagnostic(d, "") for d in self.diagnostics],
            [(r.id, int(r.severity), r.title, _loc(r.location)) for r in self.rules],
            self.evaluated, self.devices,
            None if unused is None else [encode_diagnostic(d, "") for d in unused],
            self.not_evaluated))

    @classmethod
    def decode(cls, body: bytes) -> CheckOutcome:
        """The stored outcome; ValueError (or EOFError, TypeError) when it is not one."""
        findings, diagnostics, rules, evaluated, devices, unused, skipped = marshal.loads(body)
        return cls(decode_findings(findings), [decode_diagnostic(d, "") for d in diagnostics],
                   [RuleInfo(i, Severity(s), t, Location(*loc)) for i, s, t, loc in rules],
                   evaluated, skipped, devices, unused_waivers=None if unused is None else
                   [decode_diagnostic(d, "") for d in unused])


def _loc(location: Location) -> tuple[str, int, int]:
    return (location.path, location.line, location.col)


def encode_findings(findings: list[Finding]) -> list[tuple[Any, ...]]:
    return [(f.rule, int(f.severity), f.device, f.message, _loc(f.location),
             [_loc(r) for r in f.related], f.fingerprint, f.waived, f.pending, f.baseline)
            for f in findings]


def decode_findings(entries: list[tuple[Any, ...]]) -> list[Finding]:
    return [Finding(rule, Severity(severity), device, message, Location(*loc),
                    tuple(Location(*r) for r in related), fingerprint, waived, pending,
                    baseline)
            for (rule, severity, device, message, loc, related, fingerprint, waived, pending,
                 baseline) in entries]
