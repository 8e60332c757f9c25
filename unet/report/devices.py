"""Devices as tables, CSV, JSON or YAML, and one device with the origin of each value."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import IO, Any

from unet.core import printable, printable_json
from unet.inventory import ResolvedDevice, dotted_path

__all__ = ["COLUMNS", "LIST_FORMATS", "SHOW_FORMATS", "render_device", "render_devices"]

COLUMNS = ("name", "platform", "role", "lifecycle", "location", "management_ip", "groups")
LIST_FORMATS = ("table", "json", "yaml", "csv")
SHOW_FORMATS = ("text", "json", "yaml")


def _row(device: ResolvedDevice) -> dict[str, Any]:
    return {column: device.data.get(column) for column in COLUMNS}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value)


def render_devices(devices: Sequence[ResolvedDevice], fmt: str, stream: IO[str], *,
                   styled: bool = False) -> None:
    rows = [_row(d) for d in devices]
    if fmt == "json":
        json.dump(rows, stream, indent=2)
        stream.write("\n")
    elif fmt == "yaml":
        _yaml_dump(rows, stream)
    elif fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([_cell(row[c]) for c in COLUMNS] for row in rows)
    elif styled:
        _rich_table(rows, stream)
    else:
        _plain_table(rows, stream)


def _plain_table(rows: list[dict[str, Any]], stream: IO[str]) -> None:
    # On a terminal, a value's control characters are shown as escapes (CSV keeps them).
    cells = [[c.upper() for c in COLUMNS]] + [[printable(_cell(r[c])) for c in COLUMNS]
                                              for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    for row in cells:
        padded = (value.ljust(width) for value, width in zip(row, widths, strict=True))
        stream.write("  ".join(padded).rstrip() + "\n")


def _rich_table(rows: list[dict[str, Any]], stream: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in COLUMNS:
        table.add_column(column, no_wrap=column in ("name", "management_ip"))
    for row in rows:
        table.add_row(*(Text(printable(_cell(row[c]))) for c in COLUMNS))
    Console(file=stream, force_terminal=True, soft_wrap=False).print(table)


def render_device(device: ResolvedDevice, fmt: str, stream: IO[str], *,
                  explain: bool = False) -> None:
    if fmt == "json":
        document: dict[str, Any] = {"name": device.name, "data": device.data}
        if explain:
            document["provenance"] = {dotted_path(path): str(where)
                                      for path, _, where in device.explain()}
        json.dump(document, stream, indent=2)
        stream.write("\n")
    elif fmt == "yaml" and not explain:
        _yaml_dump(device.data, stream)
    elif explain:
        _explained(device, stream)
    else:
        _yaml_dump(device.data, stream)


def _explained(device: ResolvedDevice, stream: IO[str]) -> None:
    """`path: value` on the left, the file:line:col it came from on the right."""
    lines = [(f"{dotted_path(path)}: {_inline(value)}", str(where))
             for path, value, where in device.explain()]
    width = min(max((len(left) for left, _ in lines), default=0), 48)
    for left, where in lines:
        stream.write(printable(f"{left.ljust(width)}  # {where}") + "\n")


def _inline(value: Any) -> str:
    return json.dumps(value) if not isinstance(value, str) else value


def _yaml_dump(data: Any, stream: IO[str]) -> None:
    """YAML with a string holding a bidi override, C1 control or line separator written
    double-quoted and `\\uXXXX`-escaped: the same value, which a terminal cannot act on."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = '"' if printable_json(value) != value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, string)
    text = yaml.dump(data, Dumper=Dumper, sort_keys=False, default_flow_style=False,
                     allow_unicode=True)
    stream.write(printable_json(text))  # only inside those double quotes, where it is YAML
