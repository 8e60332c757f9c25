"""Render a hierarchical config diff as text, unified diff or JSON.

`render(result, stream, *, styled=False, fmt="text")` is the one entry point; every
format is a function in `FORMATS`. Imports only the standard library and `unet.config`.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from typing import IO

from unet.config import ConfigDiff, Node, SectionDiff, emit
from unet.core import printable, text_lines

__all__ = ["FORMATS", "JSON_VERSION", "as_json", "render", "summary"]

JSON_VERSION = 1
_COLOURS = {"+": "\x1b[32m", "-": "\x1b[31m", "~": "\x1b[33m", "!": "\x1b[36m", "": "\x1b[1m"}
_RESET = "\x1b[0m"


def render(result: ConfigDiff, stream: IO[str], *, styled: bool = False, fmt: str = "text") -> None:
    FORMATS[fmt](result, stream, styled)


def summary(result: ConfigDiff) -> str:
    counts = result.counts()
    if not result:
        return "no differences"
    return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)


def _paint(marker: str, text: str, styled: bool) -> str:
    """A line of a diff, coloured by its marker; a configuration's control characters are
    shown as escapes, not sent to the terminal."""
    return f"{_COLOURS[marker]}{printable(text)}{_RESET}" if styled else printable(text)


def render_text(result: ConfigDiff, stream: IO[str], styled: bool) -> None:
    """Each changed section with its parent lines; `+` missing from running, `-` extra in
    running, `~` replaced (idempotent line), `!` order differs."""
    if result.root is not None:
        _section(result.root, stream, styled, 0, flat=result.rules.syntax == "junos")


def _section(sd: SectionDiff, stream: IO[str], styled: bool, depth: int, *,
             flat: bool = False) -> None:
    pad = "  " * depth
    subtree = _statements if flat else _subtree
    for node in sd.extra:
        subtree("-", node, stream, styled, depth)
    for old, new, _ in sd.replaced:
        line = f"~ {pad}{_first(new.text)}  (was: {_first(old.text)})"
        stream.write(_paint("~", line, styled) + "\n")
    for node in sd.missing:
        subtree("+", node, stream, styled, depth)
    if sd.reordered:
        stream.write(_paint("!", f"! {pad}order differs; intended order:", styled) + "\n")
        for child in sd.intended.children:
            stream.write(printable(f"  {pad}{_first(child.text)}") + "\n")
    for sub in sd.sections:
        stream.write(_paint("", f"  {pad}{sub.intended.text}", styled) + "\n")
        _section(sub, stream, styled, depth + 1, flat=flat)


def _first(text: str) -> str:
    head, _, rest = text.partition("\n")
    return f"{head} …(+{rest.count(chr(10)) + 1} lines)" if rest else head


def _statements(marker: str, node: Node, stream: IO[str], styled: bool, depth: int) -> None:
    """JunOS (one word per level): a removed or added subtree as one line per statement."""
    pad = "  " * depth
    paths = [" ".join(path) for path, n in node.walk((node.text,)) if not n.children]
    for line in paths or [node.text]:
        stream.write(_paint(marker, f"{marker} {pad}{line}", styled) + "\n")


def _subtree(marker: str, node: Node, stream: IO[str], styled: bool, depth: int) -> None:
    for offset, line in enumerate(node.text.split("\n")):
        indent = "  " * depth if offset == 0 else ""
        stream.write(_paint(marker, f"{marker} {indent}{line}", styled) + "\n")
    for child in node.children:
        _subtree(marker, child, stream, styled, depth + 1)


def render_unified(result: ConfigDiff, stream: IO[str], styled: bool) -> None:
    """`diff -u` of the two configurations as unet emits them (comments and noise dropped)."""
    before = text_lines(emit(result.running))
    after = text_lines(emit(result.intended))
    for line in difflib.unified_diff(
        before, after, result.running.path, result.intended.path, lineterm=""
    ):
        marker = line[:1] if line[:1] in "+-" and not line.startswith(("+++", "---")) else ""
        stream.write((_paint(marker, line, styled) if marker else printable(line)) + "\n")


def as_json(result: ConfigDiff) -> dict[str, object]:
    """The stable JSON document (keys documented in docs/config-engine.md)."""
    return {
        "version": JSON_VERSION,
        "platform": result.rules.name,
        "running": result.running.path,
        "intended": result.intended.path,
        "summary": result.counts(),
        "changes": [
            {
                "kind": change.kind,
                "path": list(change.path),
                "text": change.text,
                "old": change.old,
                "line": change.line,
                "lines": _lines(change.node) if change.kind in ("missing", "extra") else [],
            }
            for change in result.changes
        ],
    }


def _lines(node: Node | None) -> list[str]:
    if node is None:
        return []
    out = [node.text]
    for child in node.children:
        out += [" " + line for line in _lines(child)]
    return out


def render_json(result: ConfigDiff, stream: IO[str], styled: bool) -> None:
    json.dump(as_json(result), stream, indent=2, sort_keys=True)
    stream.write("\n")


FORMATS: dict[str, Callable[[ConfigDiff, IO[str], bool], None]] = {
    "json": render_json,
    "text": render_text,
    "unified": render_unified,
}
