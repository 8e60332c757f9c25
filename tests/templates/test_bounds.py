"""Every way to build a huge value or loop for ever in a template is stopped with T111/T112,
at the template's file:line and naming the device."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from unet.source import MemorySnapshot
from unet.templates._bounds import budget
from unet.templates._render import TemplateSet

HUGE = [
    "{{ 'a'|center(10**9) }}",
    "{{ 'a'.ljust(10**9) }}",
    "{{ 'a'.rjust(10**9) }}",
    "{{ '{:>1000000000}'.format('a') }}",
    "{{ '%1000000000s'|format('a') }}",
    "{{ '%1000000000s' % 'a' }}",
    "{{ 'a\\n'|indent(10**9) }}",
    "{{ ('a' * 1000000)|replace('a', 'aaaaaaaaaaaaaaaaaaaa') }}",
    "{{ ('a' * 1000000).replace('a', 'aaaaaaaaaaaaaaaaaaaa') }}",
    "{% set s = 'a' * 2000000 %}{{ [s, s, s]|join(',') }}",
    "{% set s = 'a' * 2000000 %}{{ ','.join([s, s, s]) }}",
    "{% set ns = namespace(s='a') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}",
    "{{ [[0]*5000000]*5000000 }}",
    "{{ '{0:{1}}'.format('a', 1000000000) }}",
    "{{ [1]|batch(1000000000, 'x')|list }}",
    "{{ [1]|slice(1000000000)|list }}",
    "{{ lipsum(1000000000) }}",
    "{% set ns = namespace(n=3) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}"
    "{% endfor %}",
    # Doubling through a recursive macro or chained sets: each step is checked, not only
    # the final output (sizes kept small enough that an unbounded build would still fit).
    "{% set a = 'a' * 3000000 %}{% set b = a ~ a %}{{ b|length }}",
    "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
    "{% endmacro %}{{ d('a', 24) }}",
    "{% macro d(s, n) %}{% if n %}{{ d(s + s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
    "{% endmacro %}{{ d('a', 24) }}",
    "{% macro d(l, n) %}{% if n %}{{ d(l + l, n - 1) }}{% else %}{{ l|length }}{% endif %}"
    "{% endmacro %}{{ d([1], 24) }}",
    "{% set a = 'a' * 3000000 %}{{ ('%s%s' % (a, a))|length }}",
    "{% set a = 'a' * 3000000 %}{{ '{0}{0}'.format(a)|length }}",
    "{% set a = 'a' * 3000000 %}{{ '%s%s'|format(a, a)|length }}",
    "{% macro d(l, n) %}{% if n %}{{ d([l, l], n - 1) }}{% else %}{{ l|string|length }}"
    "{% endif %}{% endmacro %}{{ d([1], 22) }}",
    "{% macro d(l, n) %}{% if n %}{{ d([l, l], n - 1) }}{% else %}{{ (l ~ '')|length }}"
    "{% endif %}{% endmacro %}{{ d([1], 22) }}",
    "{% macro d(s, n) %}{% if n %}{{ d(s|tojson, n - 1) }}{% else %}{{ s|length }}{% endif %}"
    "{% endmacro %}{{ d('\\\\', 24) }}",
    "{% set l = [1] * 3000000 %}{{ [l, l]|sum(start=[])|length }}",
    "{% set a = 'a' * 4000000 %}{% macro m() %}{% for i in range(10) %}{{ a }}{% endfor %}"
    "{% endmacro %}{{ m()|length }}",
    # str and bytes methods, measured before they build their value
    "{{ ('\\t' * 1500).expandtabs(999999)|length }}",
    "{{ 'x'.encode().ljust(1500000000)|length }}",
    "{{ ('a' * 1500).translate({97: 'b' * 1000000})|length }}",
    "{{ ('a' * 1500).encode().replace('a'.encode(), ('b' * 1000000).encode())|length }}",
    "{{ 'abc'.encode('punycode') }}",  # quadratic on a long text
    "{% set s = 'a' * 200000 %}{{ s|wordwrap(1)|length }}",  # quadratic on a long word
    "{% macro f(x, n) %}{% if n %}{{ f([x, x], n - 1) }}{% else %}{{ {'a': x}.values() }}"
    "{% endif %}{% endmacro %}{{ f(1, 22) }}",
    "{% macro f(x, n) %}{% if n %}{{ f([x, x], n - 1) }}{% else %}{{ x|address }}"
    "{% endif %}{% endmacro %}{{ f(1, 22) }}",
    # what prints long though it is one item: a macro prints as <Macro 'its name'>
    "{% macro " + "m" * 2000 + "() %}{% endmacro %}{{ [" + "m" * 2000 + "] * 20000 }}",
    "{% set l = [''] * 2000000 %}{{ (l ~ '')|length }}",  # `'', ` around each item
    # an attribute path every item walks, in Jinja's code (200 parts: a 200-item key each)
    "{{ ('ab' * 50)|list|sort(attribute='" + ",".join(["0"] * 200) + "') }}",
    "{{ ('ab' * 50)|list|max(attribute='" + ".".join(["0"] * 200) + "') }}",
]


def _render(body: str, seconds: float = 5.0) -> tuple[str, list[str]]:
    templates = TemplateSet(MemorySnapshot({"templates/t.j2": "line one\n" + body + "\n"}))
    with budget(seconds):
        text, problems = templates.render("t.j2", {}, "r1")
    return text, [str(d) for d in problems]


@pytest.mark.parametrize("body", HUGE)
def test_huge_values_are_refused_before_they_are_built(body: str) -> None:
    text, problems = _render(body)
    assert text == ""
    assert len(problems) == 1 and "T112" in problems[0], problems
    assert problems[0].startswith("templates/t.j2:2:") and "device r1" in problems[0]


def test_nested_range_loops_stop_at_the_time_budget() -> None:
    body = ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
            "{% endfor %}")
    text, problems = _render(body, seconds=0.2)
    assert text == "" and len(problems) == 1 and "T111" in problems[0], problems
    assert problems[0].startswith("templates/t.j2:2:")


def test_filter_chains_stop_at_the_time_budget() -> None:
    """A filter mapped over a plain list runs no loop of the template's own: it stops in
    the chain, at its line (it used to run all 20 seconds, then stop at the output)."""
    body = "{{ ([0] * 100000)|map('center', 4999999)|map('length')|sum }}"
    text, problems = _render(body, seconds=0.2)
    assert text == "" and len(problems) == 1 and "T111" in problems[0], problems
    assert problems[0].startswith("templates/t.j2:2:")


def test_items_a_filter_looks_up_check_the_deadline() -> None:
    body = "{{ ('ab' * 500000)|list|map(attribute='0.0.0.0.0.0.0.0')|list|length }}"
    text, problems = _render(body, seconds=0.05)
    assert text == "" and len(problems) == 1 and "T111" in problems[0], problems
    assert problems[0].startswith("templates/t.j2:2:")


def test_every_loop_stops_at_the_time_budget() -> None:
    """Not only range(): nested loops over a string make no call the other checks see."""
    body = "{% set s = 'a' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}"
    text, problems = _render(body, seconds=0.2)
    assert text == "" and len(problems) == 1 and "T111" in problems[0], problems


def test_a_value_nested_thousands_deep_is_an_error_not_a_crash() -> None:
    """A tuple nested 200,000 deep through namespaces crashed the interpreter when hashed."""
    deep = "(" * 50 + "ns.t.v" + ",)" * 50
    body = ("{% set ns = namespace(t=namespace(v=0)) %}{% for j in range(4000) %}"
            "{% set ns.t = namespace(v=" + deep + ") %}{% endfor %}{{ ns.t.v in {} }}")
    text, problems = _render(body)
    assert text == "" and len(problems) == 1 and "T107" in problems[0], problems
    assert "nested thousands deep" in problems[0]


def test_a_lone_surrogate_is_refused_where_it_is_printed() -> None:
    text, problems = _render('hostname {{ "\\ud800" }}')
    assert text == "" and len(problems) == 1, problems
    assert problems[0].startswith("templates/t.j2:2:10: T116") and "\\ud800" in problems[0]


def test_a_huge_undefined_key_is_reported_quickly_and_short() -> None:
    _, problems = _render("{% set s = 'x' * 5000000 %}{{ {}[s] }}")
    assert len(problems) == 1 and "T103" in problems[0] and len(problems[0]) < 500, problems


def test_loops_keep_their_loop_variable() -> None:
    text, problems = _render("{% for i in [1, 2, 3] %}{{ loop.index }}/{{ loop.length }} "
                             "{% endfor %}{% for c in 'ab' %}{{ c }}{{ loop.revindex }}"
                             "{% endfor %}{% for x in range(3000) %}{% endfor %}"
                             "{% for x in [] %}{% else %}none{% endfor %}")
    assert problems == [] and text == "line one\n1/3 2/3 3/3 a2b1none"  # trim_blocks


def test_ordinary_joins_sums_and_formats_still_work() -> None:
    text, problems = _render("{{ 'a' ~ 1 ~ [2] }}|{{ 'x' + 'y' }}|{{ [1] + [2] }}|{{ 1 + 2 }}|"
                             "{{ '%s-%s' % ('a', 'b') }}|{{ '{0}{0}'.format('z') }}|"
                             "{{ [[1], [2]]|sum(start=[]) }}|{{ [1, 2]|sum }}|{{ [1]|tojson }}")
    assert problems == []
    assert text == "line one\na1[2]|xy|[1, 2]|3|a-b|zz|[1, 2]|3|[1]\n"


def test_ordinary_padding_and_joins_still_work() -> None:
    text, problems = _render("{{ 'a'|center(5) }}|{{ 'x'.ljust(3) }}|{{ [1, 2]|join(',') }}|"
                             "{{ '%-4s'|format('ab') }}|{{ '{:>3}'.format(7) }}|"
                             "{{ 'a\nb'|indent(2) }}|{{ 'aa'|replace('a', 'b') }}|"
                             "{{ [1, 2, 3, 4]|slice(2)|list }}|{{ [1, 2, 3]|batch(2)|list }}"
                             "{{ ['a', 'b']|join(' .................................... ') }}")
    assert problems == []
    assert text == ("line one\n  a  |x  |1,2|ab  |  7|a\n  b|bb|[[1, 2], [3, 4]]|[[1, 2], [3]]"
                    "a .................................... b\n")


# `[x, x]` nested: small in memory, yet `==`, `in`, `sort` and hashing walk every shared
# part again, in C, where no deadline reaches (at 26 levels, 67 million items; at 60, for
# ever). The value is refused once built, whichever way it was built.
SHARED = [
    # a macro's varargs are built by Jinja from the call's arguments, not by the template
    "{% macro m(n) %}{% if n %}{{ m(n - 1, varargs, varargs) }}{% else %}{{ varargs in {} }}"
    "{% endif %}{% endmacro %}{{ m(26, 1) }}",
    "{% set a = [1] %}{% set b = [1] %}"
    + "{% set a = [a, a] %}{% set b = [b, b] %}" * 26 + "{{ a == b }}",
    "{% macro f(a, b, n) %}{% if n %}{{ f([a, a], [b, b], n - 1) }}{% else %}{{ a == b }}"
    "{% endif %}{% endmacro %}{{ f([1], [1], 26) }}",
    "{% macro f(x, n) %}{% if n %}{{ f((x, x), n - 1) }}{% else %}{{ x in {} }}{% endif %}"
    "{% endmacro %}{{ f(1, 26) }}",
    "{% macro f(x, n) %}{% if n %}{{ f({'a': x, 'b': x}, n - 1) }}{% else %}{{ x == x }}"
    "{% endif %}{% endmacro %}{{ f(1, 26) }}",
    "{% set ns = namespace(v=1) %}{% for i in range(26) %}{% set ns.v = [ns.v] + [ns.v] %}"
    "{% endfor %}{{ [ns.v, ns.v]|sort|length }}",
    "{% set ns = namespace(v=[1]) %}{% for i in range(26) %}{% set ns.v = [ns.v] * 2 %}"
    "{% endfor %}{{ ns.v == ns.v }}",
    "{% set ns = namespace(v=[1]) %}{% for i in range(26) %}"
    "{% set ns.v = [ns.v]|batch(1)|list + [ns.v] %}{% endfor %}{{ ns.v == ns.v }}",
]


@pytest.mark.parametrize("body", SHARED)
def test_values_sharing_parts_are_refused_once_built(body: str) -> None:
    text, problems = _render(body)
    assert text == "" and len(problems) == 1 and "T112" in problems[0], problems
    assert problems[0].startswith("templates/t.j2:2:")


def test_literals_and_unpacking_still_work() -> None:
    text, problems = _render("{% for a, b in {'x': 1}|dictsort %}{{ a }}={{ b }} {% endfor %}"
                             "{% set p, q = (1, 2) %}{{ p + q }} {{ (1, 'a') }} {{ [1, [2]] }} "
                             "{{ {'k': [1]} }} {{ [(1, 2)]|map('last')|list }}")
    assert problems == []
    assert text == "line one\nx=1 3 (1, 'a') [1, [2]] {'k': [1]} [2]\n"


MEMORY = [
    # Each value is under the size bound; together they are 800 MB.
    "{% set s = 'ab' * 2000000 %}" + "".join(f"{{% set a{i} = s ~ {i} %}}" for i in range(200))
    + "{{ a1|length }}",
    "{{ ([0] * 200)|map('center', 4999999)|list|length }}",
    "{% set s = 'ab' * 2400000 %}{% macro f(s, n) %}{% if n %}{{ f(s ~ 'x', n - 1) }}{% endif %}"
    "{% endmacro %}{{ f(s, 200) }}",
]


STATM = Path("/proc/self/statm")


def _memory() -> int:
    return int(STATM.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not STATM.exists(), reason="the test reads the memory of a Linux process")
@pytest.mark.parametrize("body", MEMORY)
def test_a_rendering_stops_at_its_memory_bound_and_frees_it(body: str) -> None:
    before = _memory()
    text, problems = _render(body)
    assert text == "" and len(problems) == 1, problems
    assert "T112" in problems[0] and "512 MiB of memory" in problems[0], problems
    assert _memory() - before < 100 * 2**20


def test_numbers_made_text_count_their_digits() -> None:
    """`([10**100] * 5000000)|join` is 5,000,000 items, and 500 MB of text: it was built
    (1.4 GB) before any bound saw it."""
    from unet.templates._bounds import weight

    assert weight([10**100] * 10, text=True) >= 10 * 100
    assert weight([10**100] * 10) == 10  # as items, each is one
    assert weight({"a": [1.5, 2]}, text=True) >= 2 * 24
    text, problems = _render("{{ ([10**100] * 5000000)|join|length }}")
    assert text == "" and len(problems) == 1 and "T112" in problems[0], problems
    assert "join would make a value of 5" in problems[0]
