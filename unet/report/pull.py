"""`unet pull` results: a table (device, result, reason, seconds) or JSON, and a summary."""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING, Any

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
    if styled:
        _rich(rows, stream)
        return
    cells = [list(_COLUMNS), *map(list, rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(_COLUMNS))]
    for row in cells:
        stream.write("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)
                               ).rstrip() + "\n")


def _rich(rows: list[tuple[str, str, str, str]], stream: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in _COLUMNS:
        table.add_column(column, justify="right" if column == "SECONDS" else "left")
    for device, status, reason, seconds in rows:
        table.add_row(device, f"[{_STYLES[status]}]{status}[/]", reason, seconds)
    Console(file=stream, force_terminal=True, highlight=False, soft_wrap=True).print(table)


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
