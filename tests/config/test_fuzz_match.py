"""Fuzzing match expressions: any text is a Match or a MatchError that says where."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import fuzz
from unet.config import Match, MatchError, parse, slice

PIECES = st.sampled_from([
    "interface ", "Gi.*", "||", "|", "*", " * ", ".*", "+", "?", "(", ")", "[", "]", "[^a]",
    "{", "}", "{2}", "{1,3}", "{,5}", "{99999999999}", "{10000000}", "\\", "\\d", "\\1", "\\g<1>",
    "(?P<n>x)", "(?P=n)", "(?=a)", "(?!a)", "(?<=a)", "(?<!ab)", "(?i)", "(?s:.)", "(?#c)",
    "(?:", "^", "$", "a", "description .*", "ip address (\\S+)", "\\Z", "\\b", "-", "\u00e9",
    "(?<", "(?P<", "(?(1)a|b)", "[[:alpha:]]", "\\p{L}", "\\x", "\\u12", "\x00", "\n", " ",
])


@st.composite
def expressions(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.text(max_size=40))
    text = "".join(draw(st.lists(PIECES, max_size=16)))
    depth = draw(st.integers(0, 40))
    return "(" * depth + text + ")" * draw(st.sampled_from([0, depth]))


@pytest.mark.filterwarnings("ignore::FutureWarning")  # `[[`: Python warns of a future change
@fuzz(400)
@given(expressions(), st.booleans(), st.text("aGi .*0/1-\n", max_size=16))
def test_fuzz_match_expression(expression: str, anchored: bool, line: str) -> None:
    try:
        match = Match.parse(expression, anchored=anchored)
    except MatchError as exc:
        assert 1 <= exc.level <= expression.count("||") + 1
        assert 0 <= exc.position <= len(expression)
        assert exc.reason
        return
    assert str(match) == expression
    for depth in range(len(match.levels) + 1):
        assert isinstance(match.line(depth, line), bool)
    match.lineage([line] * len(match.levels))
    slice(parse("interface Gi0/1\n description a\n"), match)


@pytest.mark.parametrize("expression", ["a{99999999999}", "x||(b){4294967296}",
                                        "(" * 5000 + "a" + ")" * 5000])
def test_what_fuzzing_found_is_a_match_error(expression: str) -> None:
    with pytest.raises(MatchError, match="too large"):
        Match.parse(expression)
