from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from unet.core import Diagnostic, Finding, Location, Severity, count_by_severity, record

__all__ = ["Baseline", "Report", "RuleSummary", "SourceLookup", "finding_marks",
           "source_lines", "summary_line", "verdict"]

SourceLookup = Callable[[str], "str | None"]


def source_lines(text: str) -> list[str]:
    """A file's lines as the parsers count them, at "\n" only: `splitlines` also breaks at
    form feeds, lone CRs and Unicode separators, and would show the wrong line."""
    return text.replace("\r\n", "\n").split("\n")


@record
class RuleSummary:
    """What reporters need to know about a policy rule (SARIF driver rules, JUnit names)."""

    id: str
    severity: Severity
    title: str
    location: Location  # where the rule is written: policies/<file>:line
    description: str = ""


@dataclass(slots=True)
class Baseline:
    """What a check was compared with (`--new-since REF`): the findings that already existed
    there are `existing` (in `Report.findings` only with --show-existing), those gone are
    `fixed`."""

    ref: str
    commit: str
    existing: int = 0
    fixed: list[Finding] = field(default_factory=list)
    shows_existing: bool = False


@dataclass(slots=True)
class Report:
    """What a command found: diagnostics, findings and counts for the summary.

    Commands that do not evaluate policies leave `findings`, `rules`, `evaluated`
    and `coverage` empty.
    """

    command: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Facts for the summary line and machine-readable output (files read, devices, ...).
    stats: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    rules: list[RuleSummary] = field(default_factory=list)
    # device -> ids of the rules whose WHEN matched it, in evaluation order (JUnit testcases).
    evaluated: dict[str, list[str]] = field(default_factory=dict)
    # device -> rule id -> why it has no verdict there (P310): skipped, not passed.
    not_evaluated: dict[str, dict[str, str]] = field(default_factory=dict)
    # devices, rules, checks, unmatched_devices (names), unmatched_rules (ids).
    coverage: dict[str, Any] = field(default_factory=dict)
    # Show the source line under every diagnostic even off a terminal (`policy validate`).
    frames: bool = False
    baseline: Baseline | None = None
    # `check --fail-on-pending`: findings pending deploy count as failures (annotations).
    pending_fails: bool = False

    @property
    def counts(self) -> dict[Severity, int]:
        return count_by_severity(self.diagnostics)

    @property
    def finding_counts(self) -> dict[Severity, int]:
        """Findings by severity, waived and pending-deploy ones excluded (and, against a
        baseline, existing ones)."""
        counts = dict.fromkeys(Severity, 0)
        for finding in self.findings:
            if finding.waived is None and finding.pending is None \
                    and finding.baseline != "unchanged":
                counts[finding.severity] += 1
        return counts

    @property
    def pending(self) -> int:
        """Findings on running configurations that a deploy of the intended ones fixes."""
        return sum(1 for f in self.findings if f.pending is not None and f.waived is None)

    @property
    def waived(self) -> int:
        return sum(1 for f in self.findings if f.waived is not None)

    @property
    def has_policy_results(self) -> bool:
        """True for reports of commands that evaluate policies (check), even with no findings."""
        return bool(self.findings or self.rules or self.evaluated or self.coverage)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary_line(report: Report) -> str:
    """One human line for stderr.

    validate: `2 errors, 1 warning (14 devices, 31 files)`; check: `3 errors, 2 warnings,
    1 waived; 15 devices, 18 rules, 204 checks; 2 devices matched no rule`.
    """
    if report.has_policy_results:
        return _policy_summary(report)
    counts = report.counts
    problems = [_plural(counts[s], s.label) for s in (Severity.ERROR, Severity.WARNING)
                if counts[s]]
    scope = ", ".join(_plural(v, k.rstrip("s")) for k, v in report.stats.items()
                      if isinstance(v, int))
    verdict = ", ".join(problems) if problems else "no problems"
    return f"{verdict} ({scope})" if scope else verdict


def verdict(report: Report) -> str:
    """The counts part of the summary line: `2 errors, 1 info, 1 waived` or `no findings`."""
    if not report.has_policy_results:
        return summary_line(report)
    # Diagnostics and findings both print as `... error:` lines, so count them together.
    counts = report.counts
    for severity, n in report.finding_counts.items():
        counts[severity] += n
    problems = [_plural(counts[Severity.ERROR], "error"),
                _plural(counts[Severity.WARNING], "warning"),
                f"{counts[Severity.INFO]} info", f"{report.pending} pending deploy",
                f"{report.waived} waived"]
    said = ", ".join(p for p in problems if not p.startswith("0 "))
    base = report.baseline
    if base is not None:
        shown = "listed" if base.shows_existing else "not listed"
        return (f"{said or 'nothing'} new since {base.ref}; {base.existing} existing "
                f"({shown}), {len(base.fixed)} fixed")
    return said or "no findings"


def finding_marks(finding: Finding) -> list[str]:
    """The words every format adds to a finding: new / existing, pending deploy."""
    marks = []
    if finding.baseline == "new":
        marks.append("new")
    elif finding.baseline == "unchanged":
        marks.append("existing")
    elif finding.baseline == "absent":
        marks.append("fixed")
    if finding.pending is not None:
        marks.append("pending deploy")
    return marks


def _policy_summary(report: Report) -> str:
    coverage = report.coverage
    parts = [verdict(report), ", ".join(_plural(int(coverage.get(k, 0)), k.rstrip("s"))
                                for k in ("devices", "rules", "checks"))]
    idle_devices = len(coverage.get("unmatched_devices", ()))
    idle_rules = len(coverage.get("unmatched_rules", ()))
    if idle_devices:
        parts.append(f"{_plural(idle_devices, 'device')} matched no rule")
    if idle_rules:
        parts.append(f"{_plural(idle_rules, 'rule')} matched no device")
    return "; ".join(parts)
