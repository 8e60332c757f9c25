"""Parsed and validated YAML files in the index, by content id.

Entries are `marshal`-encoded plain data (dicts, lists, strings, numbers): fast to
load, and loading them can never run code.
"""

from __future__ import annotations

import marshal
from functools import cache
from typing import TYPE_CHECKING, Any

from unet.core import Diagnostic, Location, Severity
from unet.index._db import Index

if TYPE_CHECKING:
    from unet.inventory import Document
    from unet.source import Snapshot

__all__ = ["IndexedDocuments", "decode_diagnostic", "encode_diagnostic", "readable_blob"]

_HERE = ""  # a location in the file itself; cached entries are shared by paths


def encode_diagnostic(diagnostic: Diagnostic, path: str) -> tuple[Any, ...]:
    def place(location: Location) -> tuple[str, int, int]:
        return (_HERE if location.path == path else location.path, location.line, location.col)

    return (place(diagnostic.location), diagnostic.code, int(diagnostic.severity),
            diagnostic.message, tuple(place(r) for r in diagnostic.related))


def decode_diagnostic(entry: tuple[Any, ...], path: str) -> Diagnostic:
    def place(item: tuple[str, int, int]) -> Location:
        return Location(item[0] or path, item[1], item[2])

    where, code, severity, message, related = entry
    return Diagnostic(place(where), code, Severity(severity), message,
                      tuple(place(r) for r in related))


class IndexedDocuments:
    """The inventory's DocumentCache: entries in memory first, then in the index (if any).

    An entry is kept only when the snapshot read the file under the id it is kept by
    (`Snapshot.read_id`): a file that could not be read, or whose content turned out
    to differ from the id git gave, is never cached as that id's content. New entries
    are written to the index in one transaction by `flush`.
    """

    def __init__(self, index: Index | None) -> None:
        self.index = index
        self.snapshot: Snapshot | None = None
        self.memory: dict[tuple[str, str], bytes] = {}  # made in this run
        self.stored: dict[tuple[str, str], bytes] = {}  # prefetched from the index
        self.prefetched = False
        self.pending: list[tuple[str, str, bytes]] = []
        self.parsed = 0  # entries made in this run
        self.reused = 0  # entries found from an earlier run

    def _body(self, blob: str, kind: str) -> bytes | None:
        body = self.memory.get((blob, kind)) or self.stored.get((blob, kind))
        if body is None and self.index is not None and not self.prefetched:
            body = self.index.lookup("documents", (blob, kind))
        return body

    def prefetch(self, snapshot: Snapshot) -> None:
        """Read the entries of the snapshot's data files in a few queries, not one per file."""
        self.snapshot = snapshot
        if self.index is None:
            return
        from unet.inventory import data_files

        blobs = {blob for path, _ in data_files(snapshot)
                 if (blob := readable_blob(snapshot, path)) and not blob.startswith("!")}
        for (blob, kind), payload in self.index.rows("documents", "blob", blobs):
            self.stored[(blob, kind)] = payload
        self.prefetched = True

    def known(self, blob: str, kind: str) -> bool:
        return self._body(blob, kind) is not None

    def get(self, blob: str, kind: str, path: str) -> tuple[Document, list[Diagnostic]] | None:
        body = self._body(blob, kind)
        if body is None:
            return None
        try:
            data, marks, problems = marshal.loads(body)
            found = _document(path, data, marks), [decode_diagnostic(p, path) for p in problems]
        except (ValueError, EOFError, TypeError, IndexError, KeyError) as exc:
            self._damaged((blob, kind), exc)
            return None
        if (blob, kind) not in self.memory:
            self.reused += 1
        return found

    def _damaged(self, key: tuple[str, str], exc: Exception) -> None:
        self.memory.pop(key, None)
        self.stored.pop(key, None)
        if self.index is not None:
            self.index.mark_damaged(f"a stored file cannot be decoded: {exc}")

    def put(self, blob: str, kind: str, document: Document | None,
            problems: list[Diagnostic]) -> None:
        path = document.path if document is not None else (
            problems[0].location.path if problems else "")
        read = self.snapshot.read_id(path) if self.snapshot is not None else None
        self.accept(blob, read, kind, self.encode(path, document, problems))

    @staticmethod
    def encode(path: str, document: Document | None, problems: list[Diagnostic]) -> bytes:
        # Positions are encoded on their own: most runs never look at them (see _document).
        return marshal.dumps((document.data if document else None,
                              marshal.dumps(document.marks if document else {}),
                              [encode_diagnostic(p, path) for p in problems]))

    def accept(self, claimed: str, read: str | None, kind: str, body: bytes) -> None:
        """A new entry parsed here or by a worker process, from content whose id is `read`
        (None: the file could not be read, so nothing is kept)."""
        if read is None:
            return
        if read == claimed:
            self.memory[(claimed, kind)] = body
        self.pending.append((read, kind, body))
        self.parsed += 1

    def flush(self) -> None:
        if self.pending and self.index is not None:
            self.index.put("documents", self.pending)
        self.pending.clear()


@cache
def _lazy_document() -> type[Document]:
    from unet.inventory import Document

    class LazyDocument(Document):
        """Positions stay encoded until something asks for them (most runs never do)."""

        __slots__ = ("_decoded", "_encoded")
        _decoded: dict[Any, tuple[int, int, int, int]] | None
        _encoded: bytes

        @property
        def marks(self) -> dict[Any, tuple[int, int, int, int]]:  # type: ignore[override]
            if self._decoded is None:
                decoded: dict[Any, tuple[int, int, int, int]] = marshal.loads(self._encoded)
                self._decoded = decoded
            return self._decoded

    return LazyDocument


def _document(path: str, data: Any, marks: bytes) -> Document:
    document: Any = _lazy_document().__new__(_lazy_document())
    document.path, document.data = path, data
    document._encoded, document._decoded = marks, None
    return document  # type: ignore[no-any-return]


def readable_blob(snapshot: Snapshot, path: str) -> str | None:
    from unet.source import SnapshotReadError

    try:
        return snapshot.blob_id(path)
    except SnapshotReadError:  # the loader reports it
        return None
