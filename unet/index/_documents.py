"""Parsed and validated YAML files in the index, by content id.

Entries are `marshal`-encoded plain data (dicts, lists, strings, numbers): fast to
load, and loading them can never run code.
"""

from __future__ import annotations

import marshal
from functools import cache
from typing import TYPE_CHECKING, Any

from unet.core import Diagnostic, Location, Severity
from unet.index._db import Index, transaction

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

    New entries are written to the index in one transaction by `flush`.
    """

    def __init__(self, index: Index | None) -> None:
        self.index = index
        self.memory: dict[tuple[str, str], bytes] = {}  # made in this run
        self.stored: dict[tuple[str, str], bytes] = {}  # prefetched from the index
        self.prefetched = False
        self.pending: list[tuple[str, str, bytes]] = []
        self.parsed = 0  # entries made in this run
        self.reused = 0  # entries found from an earlier run

    def _body(self, blob: str, kind: str) -> bytes | None:
        body = self.memory.get((blob, kind)) or self.stored.get((blob, kind))
        if body is None and self.index is not None and not self.prefetched:
            row = self.index.connection.execute(
                "SELECT body FROM documents WHERE blob = ? AND kind = ?", (blob, kind)).fetchone()
            body = bytes(row[0]) if row else None
        return body

    def prefetch(self, snapshot: Snapshot) -> None:
        """Read the entries of the snapshot's data files in a few queries, not one per file."""
        if self.index is None:
            return
        from unet.inventory import data_files

        blobs = sorted({blob for path, _ in data_files(snapshot)
                        if (blob := readable_blob(snapshot, path))})
        for start in range(0, len(blobs), 500):
            chunk = blobs[start:start + 500]
            rows = self.index.connection.execute(
                f"SELECT blob, kind, body FROM documents WHERE blob IN "
                f"({', '.join('?' * len(chunk))})", chunk)
            self.stored.update(((blob, kind), bytes(body)) for blob, kind, body in rows)
        self.prefetched = True

    def known(self, blob: str, kind: str) -> bool:
        return self._body(blob, kind) is not None

    def get(self, blob: str, kind: str, path: str) -> tuple[Document, list[Diagnostic]] | None:
        body = self._body(blob, kind)
        if body is None:
            return None
        if (blob, kind) not in self.memory:
            self.reused += 1
        data, marks, problems = marshal.loads(body)
        return _document(path, data, marks), [decode_diagnostic(p, path) for p in problems]

    def put(self, blob: str, kind: str, document: Document | None,
            problems: list[Diagnostic]) -> None:
        path = document.path if document is not None else (
            problems[0].location.path if problems else "")
        self.remember(blob, kind, self.encode(path, document, problems))

    @staticmethod
    def encode(path: str, document: Document | None, problems: list[Diagnostic]) -> bytes:
        # Positions are encoded on their own: most runs never look at them (see _document).
        return marshal.dumps((document.data if document else None,
                              marshal.dumps(document.marks if document else {}),
                              [encode_diagnostic(p, path) for p in problems]))

    def remember(self, blob: str, kind: str, body: bytes) -> None:
        """A new entry (parsed here or by a worker process)."""
        self.memory[(blob, kind)] = body
        self.pending.append((blob, kind, body))
        self.parsed += 1

    def flush(self) -> None:
        if not self.pending or self.index is None:
            self.pending.clear()
            return
        with transaction(self.index.connection) as connection:
            connection.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)",
                                   self.pending)
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
