"""Policy rules as a table or JSON, and one rule explained."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO

from unet.core import printable
from unet.policy import CompiledRule
from unet.policy import _ast as ast
from unet.report._model import source_lines

__all__ = ["render_explanation", "render_rules"]


def render_rules(rules: Sequence[CompiledRule], fmt: str, stream: IO[str]) -> None:
    if fmt == "json":
        json.dump([{"id": r.id, "severity": r.rule.severity.label, "title": r.rule.title,
                    "path": r.rule.at.path, "line": r.rule.at.line, "when": r.rule.when_text}
                   for r in rules], stream, indent=2)
        stream.write("\n")
        return
    rows = [("ID", "SEVERITY", "DEFINED AT", "TITLE")]
    rows += [(r.id, r.rule.severity.label, f"{r.rule.at.path}:{r.rule.at.line}",
              r.rule.title or r.rule.when_text) for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
        stream.write(printable(("  ".join(cells) + "  " + row[3]).rstrip()) + "\n")


def render_explanation(rule: CompiledRule, source: str, matched: Sequence[str],
                       failing: Sequence[str], total: int, stream: IO[str]) -> None:
    r = rule.rule
    lines = source_lines(source)
    start = r.at.line - 1
    end = max([start + 1] + [a.at.line for a in r.actions] +
              [r.message[1].line if r.message else 0])
    said = [f"{r.id}: {r.title or '(no title)'}", f"  severity: {r.severity.label}",
            f"  defined at: {r.at}", f"  when: {r.when_text}",
            *(f"  then: {_action(action)}" for action in r.actions),
            f"  matches {len(matched)} of {total} devices"
            f"{': ' + ', '.join(matched) if matched else ''}",
            f"  fails on {len(failing)}{': ' + ', '.join(failing) if failing else ''}", "",
            *(f"  {n + 1:>4} | {text}" for n, text in enumerate(lines[start:end], start))]
    stream.write("".join(printable(line) + "\n" for line in said))


def _action(action: ast.Action) -> str:
    if isinstance(action, ast.Assert):
        return f"ASSERT {action.text}"
    if isinstance(action, ast.Set):
        return f"SET {action.target.text} TO ..."
    return f'APPLY "{action.template}"'
