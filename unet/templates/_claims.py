"""What the device's templates claim of a configuration, and what no template claims.

Lines are identified by their line number in the tree they come from (slices copy it)
and their depth (JunOS words of one `set` line share a number), so a claim is the set of
(line, depth) of the lines a feature's slice holds. A line kept
only as the parent of lines under it is marked `CONTEXT`, so that a diff compares what
is under it and never removes or adds the line itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from unet.config import CONTEXT, ConfigTree, Node

__all__ = ["Lines", "claimed", "lines_of", "unclaimed"]


Lines = set[tuple[int, int]]


def lines_of(trees: Iterable[Node]) -> Lines:
    """(line, depth) of every line in `trees`."""
    found: Lines = set()
    for tree in trees:
        found.update((node.line, len(path)) for path, node in tree.walk())
    return found


def claimed(tree: ConfigTree, lines: Lines) -> ConfigTree:
    """The lines of `tree` some template claims."""
    out = ConfigTree(tree.dialect, tree.path)
    _keep(tree, lines, out, 1, want=True)
    return out


def unclaimed(tree: ConfigTree, lines: Lines) -> ConfigTree:
    """The lines of `tree` no template claims, under their (claimed) parent lines."""
    out = ConfigTree(tree.dialect, tree.path)
    _keep(tree, lines, out, 1, want=False)
    return out


def _keep(node: Node, lines: Lines, out: Node, depth: int, *, want: bool) -> None:
    for child in node.children:
        inside = (child.line, depth) in lines
        if not inside:
            if not want:  # unclaimed: the line and everything under it
                out.adopt(child.copy())
            continue
        if not child.children:
            if want:
                out.adopt(Node(child.text, child.line)).tag = child.tag
            continue
        section = Node(child.text, child.line)
        _keep(child, lines, section, depth + 1, want=want)
        if want:
            whole = len(section.children) == len(child.children) and all(
                c.tag != CONTEXT for c in section.children)
            section.tag = child.tag if whole else CONTEXT
            out.adopt(section)
        elif section.children:
            section.tag = CONTEXT
            out.adopt(section)
