"""A stable JSON document: `{"version": 1, "command", "diagnostics": [...], "summary"}`."""

from __future__ import annotations

import json
from typing import IO, Any

from unet.core import Diagnostic, Location
from unet.report._model import Report, SourceLookup

__all__ = ["diagnostic_to_dict", "location_to_dict", "render"]

SCHEMA_VERSION = 1


def location_to_dict(location: Location) -> dict[str, Any]:
    return {"path": location.path, "line": location.line, "col": location.col}


def diagnostic_to_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        **location_to_dict(diagnostic.location),
        "code": diagnostic.code,
        "severity": diagnostic.severity.label,
        "message": diagnostic.message,
        "related": [location_to_dict(r) for r in diagnostic.related],
    }


def render(report: Report, stream: IO[str], *, styled: bool = False,
           source: SourceLookup | None = None) -> None:
    counts = report.counts
    document = {
        "version": SCHEMA_VERSION,
        "command": report.command,
        "diagnostics": [diagnostic_to_dict(d) for d in report.diagnostics],
        "summary": {**{s.label + "s": n for s, n in counts.items()}, **report.stats},
    }
    json.dump(document, stream, indent=2, sort_keys=False)
    stream.write("\n")
