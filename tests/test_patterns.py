"""The one compile function for user patterns: bombs refused with an offset, matches bounded."""

from __future__ import annotations

import contextlib

import pytest

from unet.config import Match, MatchError, parse, slice
from unet.patterns import MAX_DEPTH, PatternError, PatternTimeout, compile_pattern

LINE = "a" * 3999 + "b"
HANGING = ["(a|a)*", "(a|aa)*$", "(a{1,100}){1,100}", "(?=(a+)+$).*", "(?!(x+)+y).*",
           ".*.*.*.*.*.*.*.*!x"]


@pytest.mark.parametrize(("pattern", "offset"), [
    ("a{10000000}", 1), ("(?:a{60000}){60000}", 12), ("a{1000000000}", 1),
    ("a{99999999999}", 1), ("(" * 5000 + "a" + ")" * 5000, 10_000),
    ("(" * 900 + "a" + ")" * 900, MAX_DEPTH), ("a" * 20_000, 10_000), ("x(y", 1), ("[ab", 0),
])
def test_compile_time_bombs_and_bad_syntax_are_refused_at_their_offset(pattern: str,
                                                                       offset: int) -> None:
    with pytest.raises(PatternError) as info:
        compile_pattern(pattern)
    assert info.value.offset == offset
    assert info.value.message


@pytest.mark.parametrize("pattern", HANGING)
def test_every_match_method_is_bounded_in_time(pattern: str) -> None:
    compiled = compile_pattern(pattern, timeout=0.05)
    for run in (compiled.fullmatch, lambda text: compiled.sub("", text),
                lambda text: list(compiled.finditer(text + "!" + text))):
        try:
            run(LINE)
        except PatternTimeout as exc:
            assert pattern in str(exc)


def test_a_pattern_that_backtracks_stops_with_a_timeout() -> None:
    with pytest.raises(PatternTimeout, match="catastrophic backtracking"):
        compile_pattern("(a|aa)*$", timeout=0.05).fullmatch(LINE)


def test_ordinary_patterns_behave_like_re() -> None:
    pattern = compile_pattern(r"interface (\S+)")
    found = pattern.fullmatch("interface Gi0/1")
    assert found is not None and found.group(1) == "Gi0/1"
    assert pattern.sub(r"if \1", "interface Gi0/2") == "if Gi0/2"
    assert compile_pattern("a{1,1000}").search("xaay") is not None


@pytest.mark.parametrize("pattern", HANGING)
def test_match_expressions_use_the_bounded_path(pattern: str) -> None:
    try:
        match = Match.parse(pattern)
    except MatchError:
        return  # refused early by the static nested-quantifier check
    tree = parse(LINE + "\n", "ios")
    with contextlib.suppress(PatternTimeout):  # a timeout is the bounded outcome
        slice(tree, match)


def test_the_static_check_is_kept_as_the_early_error() -> None:
    with pytest.raises(MatchError, match="nested unbounded"):
        Match.parse("interface (a+)+")
