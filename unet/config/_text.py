"""Configuration files as text: UTF-8, Latin-1 and UTF-16 (with or without a byte-order
mark, as Windows tools export them) are read; binary data is refused."""

from __future__ import annotations

import codecs
import re

__all__ = ["DEVICE_CONTROL", "UNREADABLE", "ConfigTextError", "decode_config"]

_SAMPLE = 65536
_CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13, 3}  # tab, newlines, form feed, ETX
# A line holding one of these (or DEL) is terminal debris, not configuration: the parser
# skips it (C101). Stored configurations do hold CR, form feed and ETX (banners).
UNREADABLE = re.compile("[" + "".join(map(chr, sorted(_CONTROL | {0x7F}))) + "]")
# What a device acts on when it is typed into a session, instead of storing it: Ctrl-C
# aborts, Ctrl-Z leaves configuration mode, CR ends the line early, a backspace rewrites
# it, ESC starts a terminal sequence; C1 controls (NEL, CSI) and the Unicode line and
# paragraph separators end a line for many readers, so a value holding one becomes a
# command of its own. A lone surrogate (`"\\ud800"` in a template) is no character a
# device or terminal can take at all. No command unet renders or sends holds one.
DEVICE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)  # deleted to count the rest
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class ConfigTextError(ValueError):
    """The bytes are not a text configuration; `reason` says why, for a diagnostic, and
    `line`/`col` (1-based) where the first byte that makes it so is, when one does."""

    def __init__(self, reason: str, data: bytes = b"", offset: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = self.col = 0  # the whole file
        if offset is not None:
            start = data.rfind(b"\n", 0, offset) + 1
            self.line = data.count(b"\n", 0, offset) + 1
            self.col = len(data[start:offset].decode("utf-8", "replace")) + 1


def decode_config(data: bytes) -> str:
    """The text of a configuration file; ConfigTextError for binary data."""
    encoding, start = _encoding(data)
    if encoding is not None:
        try:
            return data[start:].decode(encoding)
        except UnicodeDecodeError:
            raise ConfigTextError(f"not valid {encoding.upper()} text") from None
    sample = data[:_SAMPLE]
    nul = sample.find(b"\x00")
    if nul >= 0:
        raise ConfigTextError("a NUL byte: binary data, not a device configuration",
                              data, nul)
    if len(sample.translate(None, _NOT_CONTROL)) > len(sample) // 20:
        first = min(sample.find(bytes([b])) for b in set(sample) if b in _CONTROL)
        raise ConfigTextError("binary data (one byte in 20 or more is a control "
                              "character), not a device configuration", data, first)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # old configs carry Latin-1 descriptions


def _encoding(data: bytes) -> tuple[str | None, int]:
    """A byte-order mark, or UTF-16 told by where the zero bytes of ASCII text fall."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return None, 0
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd > half * 0.4 and even < half * 0.05:
        return "utf-16-le", 0
    if even > half * 0.4 and odd < half * 0.05:
        return "utf-16-be", 0
    return None, 0
