"""Core types: messages are cut to a readable size, whatever they echo."""

from __future__ import annotations

from unet.core import MAX_MESSAGE, Diagnostic, Finding, Location, Severity, UnetError, cut


def test_cut_keeps_both_ends_and_says_how_much_was_left_out() -> None:
    text = "start " + "9" * 100_000 + " end"
    short = cut(text)
    assert len(short) < MAX_MESSAGE + 60
    assert short.startswith("start 999") and short.endswith("999 end")
    assert f"[{len(text) - MAX_MESSAGE} characters cut]" in short
    assert cut("short") == "short"


def test_every_diagnostic_finding_and_error_message_is_cut() -> None:
    literal = "x" * 900_000
    at = Location("policies/p.unet", 1, 1)
    assert len(Diagnostic(at, "P201", Severity.ERROR, literal).message) < 2100
    assert len(Finding("r", Severity.ERROR, "r1", literal, at).message) < 2100
    assert len(UnetError(literal).message) < 2100
