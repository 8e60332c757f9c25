from __future__ import annotations

import codecs

import pytest

from unet.config import ConfigTextError, decode_config, parse

TEXT = "hostname r1\ninterface Gi1\n description Zürich uplink\n"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),  # no byte-order mark (some Windows exports)
        TEXT.encode("utf-16-be"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-8"),
        TEXT.encode("latin-1"),
        TEXT.replace("\n", "\r\n").encode("utf-16"),  # CRLF and the platform's BOM
    ],
    ids=["utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf8-bom", "utf8", "latin1",
         "utf16-crlf"],
)
def test_text_encodings_are_read(data):
    text = decode_config(data)
    assert parse(text) == parse(TEXT)


@pytest.mark.parametrize("data", [b"\x00\x01\x02garbage", bytes(range(256)) * 4,
                                  b"\x89PNG\r\n\x1a\n" + bytes(200)])
def test_binary_is_refused(data):
    with pytest.raises(ConfigTextError, match="binary"):
        decode_config(data)


@pytest.mark.parametrize(("data", "where"), [
    (b"hostname r1\ninterface Gi1\n description a\x00b\n", (3, 15)),
    ("hostname r1\n description Zürich\x00\n".encode(), (2, 20)),  # characters, not bytes
    (b"hostname r1\n" + bytes(range(1, 9)) * 20 + b"\n", (2, 1)),
    (b"\x00\x01\x02", (1, 1)),
])
def test_binary_data_is_refused_at_its_first_offending_byte(data: bytes,
                                                             where: tuple[int, int]) -> None:
    with pytest.raises(ConfigTextError) as caught:
        decode_config(data)
    assert (caught.value.line, caught.value.col) == where
