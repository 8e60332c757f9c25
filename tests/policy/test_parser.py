"""Every kind of syntax error, in words a network engineer understands, at file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import fuzz
from tests.policy.test_fuzz_policy import CONDITIONS, policy_text
from unet.policy import _parser, parse_condition, parse_policy

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

ORIGINAL = r'''
// The original μNet DSL: every construct, as it was written.
WHEN node.vendor == "cisco" AND node.model CONTAINS "2960" THEN SET custom_data.family TO "catalyst"
WHEN node.role != 'spine' OR NOT (node.lifecycle == "live") THEN ASSERT node.role IS "leaf"
WHEN node.os_version MATCHES /^16\.\d+/i THEN APPLY "ios/base.j2"
WHEN node.vars.mtu >= 9000 AND node.vars.mtu <= 9216 AND node.vars.x < 1.5e3 AND node.vars.y > -2
THEN ASSERT node.vars.ok IS true
/* block
   comment */ WHEN node.serial IS NULL THEN ASSERT node.vars.z IS null
WHEN node.location IS NOT NULL THEN ASSERT node.vars.a IS false
WHEN node.vars.a == node.vars.b THEN SET node.vars.c TO node.vars.d
WHEN node.description == "tab\tquote\"slash\/ \u00e9" THEN ASSERT node.vars.e IS 'it\'s'
'''


def test_every_original_construct_parses() -> None:
    rules, problems = parse_policy(ORIGINAL, "p.rules")
    assert problems == []
    assert len(rules) == 8
    description = rules[7].when.right.value  # type: ignore[union-attr]
    assert description == 'tab\tquote"slash/ é'


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('RULE a WHEN node.role = "core" THEN ASSERT true',
         "p.unet:1:23: P101 error: '=' is not a comparison; use '==' (or IS) to compare"),
        ('RULE a WHEN node.role == "core" ASSERT true',
         "p.unet:1:33: P101 error: missing THEN before ASSERT"),
        ('RULE a WHEN node.role == "core"\n',
         "p.unet:1:32: P101 error: the rule has no THEN: write WHEN <condition> THEN <action>"),
        ('RULE a WHEN node.role == "core THEN ASSERT true',
         "p.unet:1:26: P101 error: unclosed string: add the closing quote before the end of the line"),
        ("RULE a WHEN node.model MATCHES /c93 THEN ASSERT true",
         "p.unet:1:32: P101 error: unclosed regex: add the closing '/' (a regex is written /pattern/flags)"),
        ('RULE a WHEN node.role EQUALS "x" THEN ASSERT true',
         "p.unet:1:23: P101 error: unknown operator 'EQUALS'; use ==, !=, <, <=, >, >=, CONTAINS, "
         "MATCHES, STARTSWITH, ENDSWITH, IN, IS or HAS"),
        ('RULE a WHEN node.role == "x" and node.a == 1 THEN ASSERT true',
         "p.unet:1:30: P101 error: 'and' must be written in capitals: AND"),
        ('RULE a WHEN node.role == "x" THEN ASSRT true',
         "p.unet:1:35: P101 error: unexpected 'ASSRT' (did you mean ASSERT?)"),
        ("RULE a SEVERITY critical WHEN true THEN ASSERT true",
         "p.unet:1:17: P101 error: unknown severity 'critical'; use error, warning or info"),
        ('RULE a WHEN true THEN ASSERT true )',
         "p.unet:1:35: P101 error: unexpected ')'; expected ',', APPLY, ASSERT, MESSAGE, RULE, SET, ..."),
        ("RULE a WHEN true THEN ASSERT",
         "p.unet:1:29: P101 error: the rule ends too early: expected '(', '[', '{', ALL, ANY, NONE, ..."),
        ("RULE a WHEN node.a & node.b THEN ASSERT true",
         "p.unet:1:20: P101 error: '&' is not an operator; use AND"),
        ('RULE a WHEN true THEN ASSERT node.name == "ab\\u12"',
         "p.unet:1:46: P101 error: \\u takes four hex digits (\\u00e9 is é)"),
        ('RULE a WHEN true THEN ASSERT node.name == "x" MESSAGE "\\uDFFF"',
         "p.unet:1:56: P101 error: \\uDFFF is half of a surrogate pair, not a character; "
         "write the character itself or both halves"),
        ("RULE a WHEN true THEN ASSERT node.vars.asn < 1" + "0" * 5000,
         "p.unet:1:46: P101 error: a number of 5001 digits; no value has more than 64"),
    ],
    ids=["single-equals", "missing-then", "no-then", "unclosed-string", "unclosed-regex",
         "unknown-operator", "lowercase-keyword", "misspelt-keyword", "bad-severity", "stray-token",
         "truncated", "ampersand", "short-unicode-escape", "lone-surrogate", "huge-number"],
)
def test_syntax_errors(source: str, expected: str) -> None:
    _, problems = parse_policy(source, "p.unet")
    assert [str(p) for p in problems] == [expected]


def test_every_broken_rule_is_reported_in_one_run() -> None:
    source = ('RULE a WHEN x = 1 THEN ASSERT true\n'
              'RULE b WHEN true THEN ASSERT true\n'
              '# a comment mentioning WHEN and RULE\n'
              'RULE c WHEN true ASSERT true\n'
              'WHEN (true THEN ASSERT true\n')
    rules, problems = parse_policy(source, "p.unet")
    assert [r.id for r in rules] == ["b"]
    assert [p.location.line for p in problems] == [1, 4, 5]


def test_keywords_are_whole_words() -> None:
    rules, problems = parse_policy("WHEN ANDROID == 1 AND NOTE == 2 THEN ASSERT ISIS", "p.unet")
    assert problems == [] and len(rules) == 1


def test_hash_and_slash_comments() -> None:
    rules, problems = parse_policy("# one\n// two\nWHEN true THEN ASSERT true # three\n", "p.unet")
    assert problems == [] and len(rules) == 1


def test_deep_nesting_and_huge_files_are_refused_not_crashed() -> None:
    _, problems = parse_policy("WHEN " + "(" * 5000 + "true" + ")" * 5000 + " THEN ASSERT true",
                               "p.unet")
    assert [p.code for p in problems] == ["P103"]
    _, problems = parse_policy("WHEN true THEN ASSERT true\n" * 60000, "p.unet")
    assert [p.code for p in problems] == ["P102"]


def test_long_flat_conditions_are_fine() -> None:
    condition = " AND ".join(f"node.vars.v{i} == {i}" for i in range(3000))
    rules, problems = parse_policy(f"WHEN {condition} THEN ASSERT true", "p.unet")
    assert problems == [] and len(rules) == 1


def test_lone_condition_errors_point_into_the_condition() -> None:
    condition, problems = parse_condition('node.role == "core" AND', "--where")
    assert condition is None
    assert str(problems[0]).startswith("--where:1:24: P101 error: the condition ends too early")


def test_not_and_quantifiers_count_towards_the_nesting_limit() -> None:
    _, problems = parse_policy("WHEN " + "NOT " * 500 + "false THEN ASSERT true", "p.unet")
    assert [(p.code, p.location.col) for p in problems] == [("P103", 6 + 4 * 100)]  # the 101st NOT
    condition, problems = parse_condition("NOT " * 500 + "false", "--where")
    assert condition is None and [p.code for p in problems] == ["P103"]
    nested = "ALL a IN node.vars.x SATISFIES " * 200 + "true"
    _, problems = parse_policy(f"WHEN true THEN ASSERT {nested}", "p.unet")
    assert [p.code for p in problems] == ["P103"]


def test_unnamed_rules_whose_short_hashes_collide_get_distinct_ids() -> None:
    # Rules 194 and 3595 of this shape share the first six hex digits of their hash.
    text = "\n".join(f'WHEN node.id == "node-{i}" THEN SET custom_data.field_{i} TO "value_{i}"'
                     for i in range(4000))
    rules, problems = parse_policy(text, "policies/many.unet")
    ids = [rule.id for rule in rules]
    assert problems == [] and len(set(ids)) == 4000
    assert any(len(i) == len("many-") + 16 for i in ids)  # the collision this guards
    again, _ = parse_policy(text, "policies/many.unet")
    assert [rule.id for rule in again] == ids  # still stable


# The one-`findall` lexer must give exactly the tokens of the one-match-at-a-time lexer,
# which also places syntax errors; any text it cannot lex whole goes to the latter.
_PIECES = st.sampled_from([
    "RULE", "RULE ntp-1.a:b ", "RULE /* c */ x-y", "RULE\n7a", "RULES", "RULE_", "RULE.", "WHEN",
    "THEN", "ANDROID", "node", ".", "id", "==", "=", "!=", "!", "<", "<=", ">", ">=", " ", "\n",
    "\t", "\u00a0", '"a\\"b"', "'c'", '"open', "-1", "1.5e3", "-", "0x", "/re/i", "/", "//c\n",
    "#c\n", "/* b */", "/* open", "*/", "(", ")", "[", "]", "{", "}", ",", ":", "é", "&", "|",
])


@fuzz(300)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_whole_text_lexer_gives_the_same_tokens(text: str) -> None:
    whole = _parser._lex_whole(text, _parser._apart_tokens())
    each = _parser._lex_each(text)
    assert whole is None or whole == each
    if "ERROR" not in each[0]:
        assert whole == each


def _apart(tokens: tuple[list[str], list[str], list[int], list[int]],
           ) -> tuple[list[str], list[str], list[int], list[int]]:
    """Glued tokens (`node.id` as one NAME) taken apart into NAME . NAME."""
    out: tuple[list[str], list[str], list[int], list[int]] = ([], [], [], [])
    for kind, value, start, end in zip(*tokens, strict=True):
        if kind != "NAME" or "." not in value:
            for column, item in zip(out, (kind, value, start, end), strict=True):
                column.append(item)  # type: ignore[attr-defined]
            continue
        for n, word in enumerate(value.split(".")):
            if n:
                out[0].append(".")
                out[1].append(".")
                out[2].append(start)
                out[3].append(start + 1)
                start += 1
            out[0].append(_parser._FIXED_KIND.get(word, "NAME"))
            out[1].append(word)
            out[2].append(start)
            out[3].append(start + len(word))
            start += len(word)
        assert start == end
    return out


@fuzz(300)
@given(st.lists(st.one_of(_PIECES, st.sampled_from(["a.b", "node.IN.x", "x.true", "NOT.y",
                                                    "a.", ".b", "a..b", "a.1", "a.RULE x",
                                                    "b.RULE"])),
                max_size=12).map("".join))
def test_glued_names_are_the_same_tokens_taken_apart(text: str) -> None:
    glued = _parser._lex_whole(text, _parser._GLUED_TOKENS)
    apart = _parser._lex_whole(text, _parser._apart_tokens())
    assert (glued is None) == (apart is None)
    assert glued is None or _apart(glued) == apart


@fuzz(300)
@given(CONDITIONS)
def test_a_lone_condition_parses_alike_with_names_glued_or_apart(text: str) -> None:
    def parse(glued: bool) -> object:
        try:
            return _parser._Parser(text, "--where", 0, "--where", glued=glued).lone_condition()
        except _parser._PROBLEMS:
            return None

    assert parse(True) == parse(False)


@pytest.mark.parametrize(("text", "col", "said"), [
    ("WHEN ANY i.x IN node.interfaces SATISFIES true THEN ASSERT true", 11, "'.'"),
    ("WHEN {a.b: 1} == {} THEN ASSERT node.name", 8, "'.'"),
    ("WHEN NOT.x THEN ASSERT node.name", 9, "'.'"),
    ("WHEN node.name == true.x THEN ASSERT node.name", 23, "'.'"),
])
def test_a_dotted_name_where_none_fits_is_said_at_its_dot(text: str, col: int,
                                                          said: str) -> None:
    rules, problems = parse_policy(text, "policies/p.rules")
    assert rules == [] and [(p.code, p.location.col) for p in problems] == [("P101", col)]
    assert f"unexpected {said}" in problems[0].message


def test_whole_text_lexer_reads_every_example_policy() -> None:
    for path in sorted((EXAMPLES / "policies").rglob("*.rules")):
        text = path.read_text()
        assert _parser._lex_whole(text, _parser._apart_tokens()) == _parser._lex_each(text), path


@fuzz(300)
@given(policy_text())
def test_a_file_parsed_whole_gives_the_rules_it_gives_rule_by_rule(text: str) -> None:
    # A file without errors is parsed in one piece; rule by rule is how errors are found.
    whole = _parser._parse_whole(text, "policies/p.rules", "p")
    rules, problems = _parser._parse_chunks(text, "policies/p.rules", "p")
    assert (whole is None) == bool(problems)
    assert whole is None or whole == rules


def test_a_file_of_control_characters_is_an_error() -> None:
    # Python calls "\x1f" white space; the policy language does not.
    _, problems = parse_policy("\n\x1f\n", "policies/p.rules")
    assert [(p.code, p.location.line, p.location.col) for p in problems] == [("P101", 2, 1)]


def test_escapes_that_make_characters_and_a_byte_order_mark() -> None:
    rules, problems = parse_policy('\ufeffRULE a "\\ud83d\\ude00 \\u00e9" WHEN true '
                                   'THEN ASSERT node.name != "x"', "p.unet")
    assert problems == [] and rules[0].title == "\U0001f600 é"
    condition, problems = parse_condition('node.name == "\\ud800"')
    assert condition is None
    assert str(problems[0]).startswith("<condition>:1:15: P101 error: \\ud800 is half")
