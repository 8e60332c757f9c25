"""Concise output: the plain lines, even when asked for style, so tools can parse them."""

from __future__ import annotations

import io

from tests.report._reports import WAIVER_WARNING, check_report
from tests.report.test_text import CHECK_LINES, source
from unet.report import render


def test_concise_is_plain_lines_without_frames_or_colour() -> None:
    stream = io.StringIO()
    render(check_report(diagnostics=[WAIVER_WARNING]), "concise", stream, styled=True, source=source)
    assert stream.getvalue().splitlines() == CHECK_LINES
