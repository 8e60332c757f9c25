"""Every registered format renders any report: check, empty check and validate."""

from __future__ import annotations

import io

import pytest

from tests.report._reports import WAIVER_WARNING, check_report, validate_report
from unet.report import FORMATS, Report, render

REPORTS = {
    "check": check_report(diagnostics=[WAIVER_WARNING]),
    "empty-check": Report("check", coverage={"devices": 0, "rules": 0, "checks": 0}),
    "validate": validate_report(),
    "clean-validate": Report("validate", stats={"devices": 2, "files": 6}),
}


def test_formats_of_check_are_registered() -> None:
    assert set(FORMATS) >= {"text", "concise", "json", "sarif", "junit", "github", "markdown"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_format_renders_every_report(fmt: str, name: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    stream = io.StringIO()
    render(REPORTS[name], fmt, stream, styled=True, source=lambda path: None)
    text = stream.getvalue()
    assert text == "" or text.endswith("\n")
    if name == "clean-validate" and fmt in {"text", "concise", "github"}:
        assert text == ""  # nothing to say on a clean run
