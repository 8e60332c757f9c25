"""The per-device result table of `unet pull` and `unet deploy`: rich on a terminal,
aligned plain text elsewhere. The second column is the result, coloured by `styles`."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import IO

from unet.core import printable

__all__ = ["write_table"]


def write_table(columns: Sequence[str], rows: Sequence[Sequence[str]], stream: IO[str], *,
                styled: bool, styles: Mapping[str, str],
                right: Collection[str] = ("SECONDS",)) -> None:
    # Cells hold what devices said: shown as text, never read as markup or control codes.
    rows = [[printable(cell) for cell in row] for row in rows]
    if styled:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(box=None, header_style="bold", pad_edge=False)
        for column in columns:
            table.add_column(column, justify="right" if column in right else "left")
        for row in rows:
            status = row[1]
            table.add_row(Text(row[0]), Text(status, style=styles.get(status, "")),
                          *map(Text, row[2:]))
        Console(file=stream, force_terminal=True, highlight=False, soft_wrap=True).print(table)
        return
    cells = [list(columns), *map(list, rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    for row in cells:
        stream.write("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)
                               ).rstrip() + "\n")
