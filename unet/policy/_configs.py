"""Configurations as policies see them: `running`/`intended` trees and their sections."""

from __future__ import annotations

from collections.abc import Iterator

from unet.config import ConfigTree, Match, Node
from unet.core import Location, record

__all__ = ["ConfigView", "Section"]


@record
class Section:
    """One configuration line (with its children) selected by a match expression."""

    node: Node
    lineage: tuple[str, ...]  # its ancestors' texts, then its own
    path: str  # the configuration file

    @property
    def text(self) -> str:
        return self.node.text

    @property
    def location(self) -> Location:
        return Location(self.path, self.node.line, 1) if self.node.line else Location(self.path)

    def view(self) -> ConfigView:
        """This section's children, searchable like a whole configuration."""
        return ConfigView(self.node, self.path, self.lineage)


class ConfigView:
    """A configuration (or a section of one) with the queries policies use."""

    __slots__ = ("lineage", "path", "root")

    def __init__(self, root: Node, path: str, lineage: tuple[str, ...] = ()) -> None:
        self.root = root
        self.path = path
        self.lineage = lineage

    @classmethod
    def of(cls, tree: ConfigTree) -> ConfigView:
        return cls(tree, tree.path)

    @property
    def location(self) -> Location:
        """The section this view covers, or the whole file."""
        if self.lineage:
            return Section(self.root, self.lineage, self.path).location
        return Location(self.path)

    def sections(self, match: Match) -> list[Section]:
        return list(self._find(self.root, match, 0, self.lineage))

    def has(self, match: Match) -> bool:
        return next(self._find(self.root, match, 0, self.lineage), None) is not None

    def lines(self, match: Match) -> list[str]:
        return [section.text for section in self._find(self.root, match, 0, self.lineage)]

    def value(self, match: Match) -> str | None:
        """The first capture group (or the whole line) of the first matching line."""
        last = match.patterns[-1]
        for section in self._find(self.root, match, 0, self.lineage):
            found = last.fullmatch(section.text) if last is not None else None
            if found is None:
                return section.text
            return found.group(1) if found.groups() else found.group(0)
        return None

    def nearest(self, match: Match) -> tuple[Location, str]:
        """Where a missing match comes closest, and what is missing there (for messages)."""
        node, depth, lineage = self.root, 0, self.lineage
        while depth < len(match.levels):
            child = next((c for c in node.children if match.line(depth, c.text)), None)
            if child is None:
                break
            node, depth, lineage = child, depth + 1, (*lineage, child.text)
        missing = "||".join(match.levels[depth:])
        if depth == 0:
            scope = f"under '{self.lineage[-1]}'" if self.lineage else "in the configuration"
            where = (Section(self.root, self.lineage, self.path).location if self.lineage
                     else Location(self.path))
            return where, f"no line matching '{missing}' {scope}"
        return (Section(node, lineage, self.path).location,
                f"no line matching '{missing}' under '{node.text}'")

    def _find(self, node: Node, match: Match, depth: int, lineage: tuple[str, ...],
              ) -> Iterator[Section]:
        last = depth == len(match.levels) - 1
        for child in node.children:
            if not match.line(depth, child.text):
                continue
            here = (*lineage, child.text)
            if last:
                yield Section(child, here, self.path)
            else:
                yield from self._find(child, match, depth + 1, here)
