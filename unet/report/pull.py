"""`unet pull` results: a table (device, result, reason, seconds) or JSON, and a summary."""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING, Any

from unet.report._table import write_table

if TYPE_CHECKING:
    from unet.devices import DeviceResult, PullResult

__all__ = ["PULL_FORMATS", "pull_summary", "render_pull"]

PULL_FORMATS = ("text", "json")
_COLUMNS = ("DEVICE", "RESULT", "REASON", "SECONDS")
_STYLES = {"changed": "yellow", "unchanged": "green", "failed": "bold red"}


def _describe(result: DeviceResult) -> dict[str, Any]:
    return {"device": result.device, "result": result.status, "reason": result.reason,
            "seconds": round(result.seconds, 3), "code": result.code,
            "written": list(result.written), "notes": list(result.notes)}


def _reason(result: DeviceResult) -> str:
    return f"{result.code} {result.reason}" if result.code else result.reason


def render_pull(result: PullResult, fmt: str, stream: IO[str], *, styled: bool = False) -> None:
    if fmt == "json":
        json.dump({"version": 1, "command": "pull",
                   "devices": [_describe(r) for r in result.results],
                   "commit": result.commit, "commit_error": result.commit_error,
                   "summary": _counts(result)}, stream)
        stream.write("\n")
        return
    rows = [(r.device, r.status, _reason(r), f"{r.seconds:.1f}") for r in result.results]
    write_table(_COLUMNS, rows, stream, styled=styled, styles=_STYLES)


def _counts(result: PullResult) -> dict[str, int]:
    counts = {"devices": len(result.results), "changed": 0, "unchanged": 0, "failed": 0}
    for device in result.results:
        counts[device.status] += 1
    return counts


def pull_summary(result: PullResult, seconds: float) -> str:
    counts = _counts(result)
    devices = f"{counts['devices']} device{'s' if counts['devices'] != 1 else ''}"
    text = (f"{devices}: {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed in {seconds:.1f} s")
    if result.commit:
        text += f"; committed {result.commit[:10]}"
    return text
