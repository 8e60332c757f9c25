"""Render `unet slice` results: the configuration lines as text, or their lines as JSON.

Text is escaped like every other output (`printable`): a description holding U+202E or
NEL from a device cannot reorder or forge the lines a reader sees.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, Any

from unet.config import ConfigTree, Node, emit
from unet.core import printable, text_lines

__all__ = ["render_slices"]


def render_slices(results: Sequence[tuple[str, ConfigTree]], fmt: str, stream: IO[str]) -> None:
    if fmt == "json":
        document = [{"path": path, "platform": tree.dialect, "lines": _lines(tree, 0)}
                    for path, tree in results]
        json.dump(document, stream, indent=2)  # ASCII: every such character is \uXXXX
        stream.write("\n")
        return
    for path, tree in results:
        if len(results) > 1:
            stream.write(printable(f"==> {path} <==") + "\n")
        stream.writelines(printable(line) + "\n" for line in text_lines(emit(tree)))


def _lines(node: Node, depth: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for child in node.children:
        out.append({"line": child.line, "depth": depth, "text": child.text})
        out += _lines(child, depth + 1)
    return out
