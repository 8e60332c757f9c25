"""The one tree model every dialect parses into: lines with children.

Children are a list (order, duplicates) plus a dict from text to the first child
with that text (fast lookup). `tag` is free for dialects and remediation.
"""

from __future__ import annotations

from collections.abc import Iterator

from unet.core import Diagnostic, Location, Severity

__all__ = [
    "CONTEXT", "ENTER", "INSERT", "LISTEDIT", "MAX_DEPTH", "NEGATE", "REDEFINE", "REPLACE",
    "RESEQ", "SEQ", "SEQEDIT", "UNSEQ", "ConfigTree", "Node", "cap_depth",
]

# Tags on remediation commands (tuples whose first item is one of these), read by `apply`,
# the emitters and the command list:
#   (NEGATE, target, cascade)  remove `target` (and the lines `cascade` matches)
#   (REPLACE, old)             overwrite the slot holding `old`
#   (REDEFINE,)                restate a section whole
#   (ENTER,)                   enter an existing section to change what is under it
#   (RESEQ,)                   renumber a list's entries (the device's own numbering)
#   (SEQEDIT, step)            edit a section's entries by number after RESEQ
#   (LISTEDIT, title, step)    edit the sibling lines of a numbered list (`access-list 105`)
#   (SEQ, n, text) / (UNSEQ, n, text)  add / remove entry number n
#   (INSERT, template, item, where, anchor)  move an entry (JunOS `insert`)
NEGATE, REPLACE, REDEFINE, ENTER = "negate", "replace", "redefine", "enter"
# On a node of a slice: the line is there only as the parent of lines the slice selects
# (`interface Gi1` for `interface .*||description .*`), so a diff never removes or adds it
# as a whole, only what is under it.
CONTEXT = "context"
RESEQ, SEQEDIT, LISTEDIT, SEQ, UNSEQ, INSERT = (
    "resequence", "seqedit", "listedit", "seq", "unseq", "insert")

# Shared by every leaf and never mutated (Node._own replaces them before any change).
_NO_CHILDREN: list[Node] = ()  # type: ignore[assignment]
_NO_INDEX: dict[str, Node] = {}


class Node:
    """One configuration line; `text` has no indentation (opaque blocks contain newlines)."""

    __slots__ = ("children", "index", "line", "tag", "text")

    def __init__(self, text: str, line: int = 0) -> None:
        self.text = text
        self.line = line
        # Leaves share empty containers; they are replaced on the first `add`.
        self.children: list[Node] = _NO_CHILDREN
        self.index: dict[str, Node] = _NO_INDEX
        self.tag: object = None

    def __repr__(self) -> str:
        return f"Node({self.text!r}, children={len(self.children)})"

    def _own(self) -> None:
        if self.children is _NO_CHILDREN:
            self.children, self.index = [], {}

    def add(self, text: str, line: int = 0) -> Node:
        """Append a new child (duplicates allowed; the index keeps the first)."""
        return self.adopt(Node(text, line))

    def get(self, text: str) -> Node | None:
        return self.index.get(text)

    def ensure(self, text: str, line: int = 0) -> Node:
        """The child with this text, created if missing."""
        found = self.index.get(text)
        return found if found is not None else self.add(text, line)

    def adopt(self, node: Node) -> Node:
        self._own()
        self.children.append(node)
        self.index.setdefault(node.text, node)
        return node

    def remove(self, child: Node) -> None:
        self.children.remove(child)
        if self.index.get(child.text) is child:
            del self.index[child.text]
            for other in self.children:
                if other.text == child.text:
                    self.index[child.text] = other
                    break

    def rename(self, child: Node, text: str) -> None:
        if self.index.get(child.text) is child:
            del self.index[child.text]
        child.text = text
        self.index.setdefault(text, child)

    def reindex(self) -> None:
        if not self.children:
            self.children, self.index = _NO_CHILDREN, _NO_INDEX
            return
        self.index = {}
        for child in self.children:
            self.index.setdefault(child.text, child)

    def copy(self) -> Node:
        """A deep copy, tags included."""
        node = Node(self.text, self.line)
        node.tag = self.tag
        if self.children:
            node.children = [child.copy() for child in self.children]
            node.reindex()
        return node

    def walk(self, lineage: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Node]]:
        """Every descendant with its lineage (ancestors' texts then its own), depth first."""
        for child in self.children:
            path = (*lineage, child.text)
            yield path, child
            yield from child.walk(path)

    def same(self, other: Node) -> bool:
        """Structural equality: same texts, same children in the same order."""
        if self.text != other.text or len(self.children) != len(other.children):
            return False
        return all(a.same(b) for a, b in zip(self.children, other.children, strict=True))


class ConfigTree(Node):
    """The root of a parsed configuration: its dialect, source path and warnings."""

    __slots__ = ("deep", "diagnostics", "dialect", "path")

    def __init__(self, dialect: str, path: str = "<config>") -> None:
        super().__init__("", 0)
        self.children, self.index = [], {}
        self.dialect = dialect
        self.path = path
        self.deep = False  # set by the indent parser when it nests deeper than MAX_DEPTH
        self.diagnostics: list[Diagnostic] = []

    def __repr__(self) -> str:
        return f"ConfigTree({self.dialect!r}, {self.path!r}, children={len(self.children)})"

    def copy(self) -> ConfigTree:
        tree = ConfigTree(self.dialect, self.path)
        tree.children = [child.copy() for child in self.children]
        tree.reindex()
        tree._own()
        tree.diagnostics = list(self.diagnostics)
        return tree

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ConfigTree) and self.same(other)

    __hash__ = None  # type: ignore[assignment]


MAX_DEPTH = 100  # levels of nesting; real configurations use fewer than 10


def cap_depth(tree: ConfigTree) -> None:
    """Cut a tree nested deeper than MAX_DEPTH (iteratively): the lines below that depth
    become flat children of their ancestor at MAX_DEPTH, and a C401 error names the first."""
    stack: list[tuple[Node, int]] = [(tree, 0)]
    first: Node | None = None
    while stack:
        node, depth = stack.pop()
        if depth < MAX_DEPTH:
            stack.extend((child, depth + 1) for child in node.children)
            continue
        deep = _descendants(node)
        if not deep:
            continue
        first = first or deep[0]
        for child in deep:
            child.children, child.index = _NO_CHILDREN, _NO_INDEX
        node._own()
        node.children = deep
        node.reindex()
    if first is not None:
        tree.diagnostics.append(Diagnostic(
            Location(tree.path, first.line), "C401", Severity.ERROR,
            f"configuration nested more than {MAX_DEPTH} levels deep (unclosed braces or an "
            "indentation staircase?); the lines below that depth were flattened"))


def _descendants(node: Node) -> list[Node]:
    out: list[Node] = []
    stack = list(reversed(node.children))
    while stack:
        child = stack.pop()
        out.append(child)
        stack.extend(reversed(child.children))
    return out
