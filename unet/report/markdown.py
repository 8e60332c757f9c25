"""A pull-request comment or GitHub job summary: verdict, counts, then a table of problems.

Rows are worst first (waived findings last) and capped at MAX_ROWS so the comment stays
under GitHub's size limits.
"""

from __future__ import annotations

from typing import IO

from unet.core import Finding, Severity, printable
from unet.report._model import Report, SourceLookup, finding_marks, verdict
from unet.report._sort import Item, ident, worst_first

__all__ = ["MAX_ROWS", "cell", "render"]

MAX_ROWS = 200
_ICONS = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}


def render(report: Report, stream: IO[str], *, styled: bool = False,
           source: SourceLookup | None = None) -> None:
    stream.write(f"## {_heading(report)}\n\n")
    stream.write(_counts_table(report))
    rows = _rows(report)
    if rows:
        stream.write("\n| Severity | Rule | Device | Location | Message |\n")
        stream.write("| --- | --- | --- | --- | --- |\n")
        for item in rows[:MAX_ROWS]:
            stream.write(_row(item))
        if len(rows) > MAX_ROWS:
            stream.write(f"\n_{len(rows) - MAX_ROWS} more not shown; "
                         f"the text, JSON or SARIF report has all {len(rows)}._\n")
    if report.baseline is not None and report.baseline.fixed:
        stream.write(f"\n### Fixed since {cell(report.baseline.ref)}\n\n")
        stream.write("| Rule | Device | Location | Message |\n| --- | --- | --- | --- |\n")
        for finding in report.baseline.fixed[:MAX_ROWS]:
            loc = finding.location
            where = f"{loc.path}:{loc.line}" if loc.line else loc.path
            cells = (finding.rule, finding.device, where, finding.message)
            stream.write("| " + " | ".join(cell(c) for c in cells) + " |\n")


def cell(text: str) -> str:
    """Text safe inside a table cell: no column breaks, no line breaks, no raw HTML, no
    bidi override or control character (escaped, so a reviewer reads what is there)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    return printable(text).replace("|", "\\|")


def _heading(report: Report) -> str:
    items: list[Item] = [*report.diagnostics,
                         *(f for f in report.findings if f.waived is None and f.pending is None
                           and f.baseline != "unchanged")]
    worst = max((item.severity for item in items), default=None)
    icon = _ICONS[worst] if worst is not None else "✅"
    return f"{icon} unet {report.command}: {cell(verdict(report))}"


def _counts_table(report: Report) -> str:
    counts = report.counts
    for severity, n in report.finding_counts.items():
        counts[severity] += n
    rows = [(f"{s.label}s" if s is not Severity.INFO else "info", counts[s])
            for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    if report.has_policy_results:
        coverage = report.coverage
        rows += [("pending deploy", report.pending), ("waived", report.waived)]
        if report.baseline is not None:
            rows += [("existing", report.baseline.existing),
                     ("fixed", len(report.baseline.fixed))]
        rows += [(key, int(coverage.get(key, 0))) for key in ("devices", "rules", "checks")]
        rows += [("devices matched no rule", len(coverage.get("unmatched_devices", ()))),
                 ("rules matched no device", len(coverage.get("unmatched_rules", ())))]
    else:
        rows += [(key, value) for key, value in report.stats.items() if isinstance(value, int)]
    lines = ["| | Count |", "| --- | ---: |", *(f"| {cell(k)} | {v} |" for k, v in rows)]
    return "\n".join(lines) + "\n"


def _rows(report: Report) -> list[Item]:
    waived = [f for f in report.findings if f.waived is not None]
    active: list[Item] = [*report.diagnostics,
                          *(f for f in report.findings if f.waived is None)]
    return worst_first(active) + worst_first(waived)


def _row(item: Item) -> str:
    loc = item.location
    where = f"{loc.path}:{loc.line}" if loc.line else loc.path
    severity = f"{_ICONS[item.severity]} {item.severity.label}"
    device, message = "", item.message
    if isinstance(item, Finding):
        device = item.device
        severity += "".join(f" ({m})" for m in finding_marks(item))
        if item.waived is not None:
            severity += " (waived)"
            message += f" — waived: {item.waived}"
    cells = (severity, ident(item), device, where, message)
    return "| " + " | ".join(cell(c) for c in cells) + " |\n"
