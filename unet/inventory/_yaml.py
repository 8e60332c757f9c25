"""YAML with YAML 1.2 core semantics, positions for every value, and hard limits.

libyaml (PyYAML's C parser) builds the node graph; tags are resolved with the
YAML 1.2 core schema (`off` and `no` stay strings, `010` is ten, `1:30` is a
string), and we construct plain Python values ourselves so that we can keep
every value's line and column, reject duplicate keys, and refuse alias bombs
before expanding them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from unet.core import Diagnostic, Location, Severity

try:  # libyaml is much faster; fall back to the pure-Python parser where it is missing
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


__all__ = ["MAX_FILE_BYTES", "Document", "Path_", "parse_yaml"]

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_VALUES = 100_000  # after alias expansion; a device file has hundreds
MAX_DEPTH = 64

Path_ = tuple[Any, ...]  # a value's address in its document: ("interfaces", "Gi1", "mtu")

_TAG = "tag:yaml.org,2002:"


_STR, _SEQ, _MAP = _TAG + "str", _TAG + "seq", _TAG + "map"
_IMPLICIT = (
    # (first characters, tag, pattern): the YAML 1.2 core schema's implicit types.
    ("tTfF", _TAG + "bool", re.compile(r"true|True|TRUE|false|False|FALSE")),
    ("-+0123456789", _TAG + "int", re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")),
    ("-+0123456789.", _TAG + "float", re.compile(
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")),
    ("~nN", _TAG + "null", re.compile(r"~|null|Null|NULL")),
)
_CANDIDATES = {
    char: tuple((tag, pattern) for chars, tag, pattern in _IMPLICIT if char in chars)
    for chars, _, _ in _IMPLICIT for char in chars
}


class _Resolver12(BaseResolver):
    """The YAML 1.2 core schema, with a fast path: most scalars are plain words."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR
            if not value:
                return _TAG + "null"
            for tag, pattern in _CANDIDATES.get(value[0], ()):
                if pattern.fullmatch(value):
                    return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


class _Composer(_Parser, _Resolver12):
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _Resolver12.__init__(self)


@dataclass(slots=True)
class Document:
    """One parsed YAML file: its data and where each value was written.

    `marks[path]` is `(key_line, key_col, value_line, value_col)`, 1-based; for list
    items and the root the key position equals the value position.
    """

    path: str
    data: Any
    marks: dict[Path_, tuple[int, int, int, int]] = field(default_factory=dict)

    def location(self, path: Path_, *, key: bool = False) -> Location:
        """The closest known position for `path` (walking up to a parent when needed)."""
        if not self.marks:
            return Location(self.path)
        while path not in self.marks and path:
            path = path[:-1]
        kl, kc, vl, vc = self.marks.get(path, (1, 1, 1, 1))
        return Location(self.path, kl, kc) if key else Location(self.path, vl, vc)


class _Refused(Exception):
    def __init__(self, node: Node, code: str, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.code = code
        self.message = message


_FRIENDLY = (
    ("cannot start any token", "tabs are not allowed for indentation in YAML; use spaces"),
    ("mapping values are not allowed here", "a ':' where YAML expects none; quote the value "
     "if it contains ': ', or check the indentation"),
    ("could not find expected ':'", "a key without ':' (or a value indented like a key)"),
    ("found undefined alias", "an alias (*name) with no matching anchor (&name) in this file"),
)


def parse_yaml(data: bytes, path: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one file; on any problem return None and diagnostics that point at it."""
    if len(data) > MAX_FILE_BYTES:
        mib = len(data) / (1024 * 1024)
        return None, [_diag(path, 0, 0, "U106", f"file is {mib:.1f} MiB; the limit is "
                            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB for a YAML data file")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position_of_byte(data, exc.start)
        return None, [_diag(path, line, col, "U105",
                            f"file is not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8")]
    try:
        node = _Composer(text.removeprefix("\ufeff")).get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_diagnostic(path, exc, text)]
    except yaml.YAMLError as exc:
        return None, [_diag(path, 1, 1, "U101", f"invalid YAML: {exc}")]
    if node is None:
        return None, [_diag(path, 1, 1, "U104", "file is empty (or only comments)")]
    return _construct_document(node, path, text)


def _construct_document(node: Node, path: str, text: str,
                        ) -> tuple[Document | None, list[Diagnostic]]:
    builder = _Builder(path)
    try:
        if "*" in text:  # only aliases can multiply values; skip the walk without them
            _check_size(node)
        value = builder.build(node, ())
    except _Refused as exc:
        mark = exc.node.start_mark
        return None, [_diag(path, mark.line + 1, mark.column + 1, exc.code, exc.message)]
    if builder.diagnostics:
        return None, builder.diagnostics
    if value is None:  # a lone `---` or `~`
        return None, [_diag(path, 1, 1, "U104", "file is empty (or only comments)")]
    return Document(path, value, builder.marks), []


def _check_size(root: Node) -> None:
    """Refuse documents whose aliases expand past MAX_VALUES, without expanding them."""
    sizes: dict[int, int] = {}

    def size(node: Node, depth: int) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if depth > MAX_DEPTH:
            raise _Refused(node, "U103", f"data is nested more than {MAX_DEPTH} levels deep")
        sizes[id(node)] = 1  # a self-referencing alias counts once, then is refused in build
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        if total > MAX_VALUES:
            raise _Refused(root, "U103", f"aliases in this file expand to more than {MAX_VALUES:,} "
                           "values (an alias bomb?); refusing to load it")
        sizes[id(node)] = total
        return total

    size(root, 0)


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.marks: dict[Path_, tuple[int, int, int, int]] = {}
        self.diagnostics: list[Diagnostic] = []
        self._active: set[int] = set()

    def build(self, node: Node, path: Path_, key_node: Node | None = None) -> Any:
        if len(path) > MAX_DEPTH:
            raise _Refused(node, "U103", f"data is nested more than {MAX_DEPTH} levels deep")
        mark = node.start_mark
        kmark = (key_node or node).start_mark
        self.marks[path] = (kmark.line + 1, kmark.column + 1, mark.line + 1, mark.column + 1)
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if id(node) in self._active:
            raise _Refused(node, "U103", "an alias refers to a node that contains it (a cycle)")
        self._active.add(id(node))
        try:
            kind = "seq" if isinstance(node, SequenceNode) else "map"
            if node.tag != _TAG + kind:  # reported, and the file read on for more problems
                self._refused(_Refused(node, "U107", _unsupported(node.tag)))
            if isinstance(node, SequenceNode):
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            assert isinstance(node, MappingNode)  # the only kind left
            return self._mapping(node, path)
        finally:
            self._active.discard(id(node))

    def _scalar(self, node: ScalarNode) -> Any:
        """A scalar's value; a bad tag or number is reported and read as null, so every
        such value of the file is named in one run (the file is still refused)."""
        try:
            return _scalar(node)
        except _Refused as exc:
            self._refused(exc)
            return None

    def _refused(self, exc: _Refused) -> None:
        mark = exc.node.start_mark
        self.diagnostics.append(_diag(self.path, mark.line + 1, mark.column + 1, exc.code,
                                      exc.message))

    def _mapping(self, node: MappingNode, path: Path_) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        seen: dict[Any, Node] = {}
        merged: list[tuple[Any, Node, Node]] = []
        for key_node, value_node in node.value:
            if _is_merge_key(key_node):
                merged.extend(self._merge_sources(value_node))
                continue
            if not isinstance(key_node, ScalarNode):
                raise _Refused(key_node, "U101", "a mapping key must be a plain value, "
                               "not a list or mapping")
            key = self._scalar(key_node)
            if isinstance(key, float) and key != key:
                raise _Refused(key_node, "U101", "a mapping key cannot be .nan; quote it")
            if key in seen:
                earlier = seen[key]
                first = earlier.start_mark
                where = Location(self.path, first.line + 1, first.column + 1)
                mark = key_node.start_mark
                # `1` and `true` are one key once read (1 == True): say what was written
                same = "" if earlier.value == key_node.value else \
                    f" (the same key as {earlier.value!r} once read)"
                self.diagnostics.append(Diagnostic(
                    Location(self.path, mark.line + 1, mark.column + 1), "U102", Severity.ERROR,
                    f"duplicate key {key_node.value!r}{same}; first defined at line "
                    f"{first.line + 1}", related=(where,)))
                continue
            seen[key] = key_node
            result[key] = self.build(value_node, (*path, key), key_node)
        for key, key_node, value_node in merged:  # explicit keys win over `<<` merges
            if key not in result:
                result[key] = self.build(value_node, (*path, key), key_node)
        return result

    def _merge_sources(self, node: Node) -> list[tuple[Any, Node, Node]]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        pairs: list[tuple[Any, Node, Node]] = []
        seen: set[Any] = set()
        for source in sources:  # earlier sources win, as in YAML 1.1's merge key
            if not isinstance(source, MappingNode):
                raise _Refused(source, "U101", "'<<' must merge a mapping or a list of mappings")
            for key_node, value_node in source.value:
                key = _scalar(key_node) if isinstance(key_node, ScalarNode) else None
                if key is not None and key not in seen:
                    seen.add(key)
                    pairs.append((key, key_node, value_node))
        return pairs


def _is_merge_key(node: Node) -> bool:
    # libyaml reports plain style as '' and the pure-Python parser as None.
    return isinstance(node, ScalarNode) and node.value == "<<" and not node.style


def _scalar(node: ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == _TAG + "str":
        return value
    if tag == _TAG + "int":
        return _to_int(node)
    if tag == _TAG + "float":
        return _to_float(value)
    if tag == _TAG + "bool":
        return value.lower() == "true"
    if tag == _TAG + "null":
        return None
    raise _Refused(node, "U107", _unsupported(tag))


def _unsupported(tag: str) -> str:
    return (f"unsupported YAML tag {tag!r}; unet reads plain YAML data (strings, numbers, "
            "booleans, null, lists and mappings)")


MAX_INT_DIGITS = 64  # no device value is longer; Python cannot print ints over 4,300 digits


def _to_int(node: ScalarNode) -> int:
    text = node.value.replace("_", "")
    if len(text) > MAX_INT_DIGITS:
        raise _Refused(node, "U101", f"a {len(text)}-digit integer is too large for any "
                       "setting; quote it to keep it as text")
    try:
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text)
    except ValueError:
        raise _Refused(node, "U101", f"{node.value!r} is not an integer") from None


def _to_float(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered == ".nan":
        return float("nan")
    return float(text)


_OPENED = {"a flow sequence": "the [ list", "a flow mapping": "the { mapping",
           "a quoted scalar": "the quoted string"}


def _syntax_diagnostic(path: str, exc: yaml.MarkedYAMLError, text: str = "") -> Diagnostic:
    problem = exc.problem or "invalid YAML"
    at_end = exc.problem_mark is not None and not text[exc.problem_mark.index:].strip()
    if exc.context and exc.context_mark and exc.context_mark != exc.problem_mark and (
            at_end or "end of stream" in problem):
        # An unclosed `[`, `{` or quote: where it opens, not past the end of the file.
        opened = exc.context_mark
        what = exc.context.removeprefix("while parsing ").removeprefix("while scanning ")
        what = _OPENED.get(what, what)
        return _diag(path, opened.line + 1, opened.column + 1, "U101",
                     f"invalid YAML: {what} that starts here is never closed ({problem})")
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    for needle, friendly in _FRIENDLY:
        if needle in problem:
            problem = f"{problem}: {friendly}"
            break
    context = ""
    if exc.context and exc.context_mark and "next token" not in exc.context:
        context = f" ({exc.context} at line {exc.context_mark.line + 1})"
    return _diag(path, line, col, "U101", f"invalid YAML: {problem}{context}")


def _position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def _diag(path: str, line: int, col: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(Location(path, line, col), code, Severity.ERROR, message)
