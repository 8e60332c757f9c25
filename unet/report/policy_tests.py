"""Results of `unet policy test` as text or JSON."""

from __future__ import annotations

import json
from typing import IO

from unet.core import printable
from unet.policy import PolicyTestRun
from unet.report.json import diagnostic_to_dict

__all__ = ["render_policy_tests"]


def render_policy_tests(run: PolicyTestRun, fmt: str, stream: IO[str]) -> None:
    if fmt == "json":
        json.dump({
            "version": 1,
            "command": "policy test",
            "cases": [{"name": c.name, "path": c.location.path, "line": c.location.line,
                       "passed": c.passed, "failures": list(c.failures)} for c in run.cases],
            "untested_rules": run.untested,
            "diagnostics": [diagnostic_to_dict(d) for d in run.diagnostics],
        }, stream, indent=2)
        stream.write("\n")
        return
    for diagnostic in run.diagnostics:
        stream.write(f"{diagnostic}\n")
    for case in run.cases:
        verdict = "PASS" if case.passed else "FAIL"
        stream.write(printable(f"{verdict} {case.location}: {case.name}") + "\n")
        for failure in case.failures:
            stream.write(printable(f"     {failure}") + "\n")
    if run.untested:
        stream.write(f"rules without tests ({len(run.untested)}):\n")
        width = max(len(rule) for rule in run.untested)
        for rule in run.untested:
            at, named = run.untested_at.get(rule, (None, True))
            where = f"  {at}" if at is not None else ""
            hint = "" if named else "  (no RULE name: this id is made from its text)"
            stream.write(printable(f"  {rule:<{width}}{where}{hint}") + "\n")
