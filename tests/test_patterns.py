"""The one compile function for user patterns: bombs refused with an offset, matches bounded."""

from __future__ import annotations

import contextlib

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from unet.config import Match, MatchError, parse, slice
from unet.patterns import (
    IGNORECASE,
    MAX_DEPTH,
    PatternError,
    PatternTimeout,
    compile_pattern,
    literal_prefix,
)

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


# A `[` in a comment (or in verbose mode) hid the repeat counts after it from the check;
# compiling then took gigabytes.
@pytest.mark.parametrize("pattern", [
    "(?#[)(?:(?:a{1000}){1000}){10}(?#])",
    "(?x)#[\n(?:(?:a{1000}){1000}){10}#]\n",
    "(?x:#[\n(?:(?:a{1000}){1000}){10})",
    "#[\n(?:(?:a{1000}){1000}){10}#]\n(?x)",  # a late (?x) applies to all of it
    # verbose mode ignores whitespace inside a count and before it
    "(?x)a{9 9 9 9 9 9 9 9 9}", "(?x)((a{1000}) {1000}) {1000}", "(?x)(a{1000})\t{1000}",
    "(a{1000}(?:#)\n(?xV0)#)\n){1000}",  # flags with a digit turn verbose on too
])
def test_comments_and_verbose_mode_hide_nothing_from_the_check(pattern: str) -> None:
    with pytest.raises(PatternError, match="repeat count"):
        compile_pattern(pattern)


def test_a_verbose_pattern_is_checked_as_the_engine_reads_it() -> None:
    with pytest.raises(PatternError, match="repeat count"):
        compile_pattern("(?#[)(?:(?:a{1000}){1000}){10}(?#])", flags=regex.VERBOSE)
    with pytest.raises(PatternError, match="repeat count"):
        compile_pattern("a {1000} {1000}", flags=regex.VERBOSE)
    assert compile_pattern("[ ]{3} \\ {2}", flags=regex.VERBOSE).search("   " + "  ")


def test_comments_and_inline_flags_still_work() -> None:
    assert compile_pattern("(?#a note)ab{2}").search("xabb")
    assert compile_pattern("(?x) a b  # spaced\n c").search("abc")
    assert compile_pattern("(?i:AB)c").search("abc") and compile_pattern("[#](?i)x").search("#X")


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


@pytest.mark.parametrize(("source", "prefix"), [
    ("ntp server .*", "ntp server "),
    ("snmp-server community public.*", "snmp-server community public"),
    ("interface Vlan\\d+", "interface Vlan"),
    ("ab*", "a"), ("ab?c", "a"), ("ab{2}", "a"), ("a+", ""),
    ("ntp|snmp", ""), ("(?i)ntp", ""), ("ntp(?i) server", ""), (".*", ""), ("", ""),
])
def test_literal_prefix_is_what_every_match_starts_with(source: str, prefix: str) -> None:
    assert literal_prefix(source) == prefix


_PATTERNS = ["ntp server .*", "ntp server 10\\.0\\.0\\.\\d+", "ab*c", "ab?", "a{2}b",
             "interface (Gi|Te)\\S+", "router bgp \\d+", "x-y_z/1:2,3=4 .*", "no ip .*"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_PATTERNS), st.text(alphabet="abcntp srvei0123.-_/:,=4xyzGT", max_size=24),
       st.sampled_from([0, IGNORECASE]))
def test_prefix_shortcut_never_changes_a_match(source: str, line: str, flags: int) -> None:
    pattern = compile_pattern(source, flags=flags)
    plain = regex.compile(source, flags | regex.VERSION0)
    for text in (line, source.replace("\\", "").replace("*", "") + line):
        assert (pattern.fullmatch(text) is None) == (plain.fullmatch(text) is None)
        assert (pattern.match(text) is None) == (plain.match(text) is None)
