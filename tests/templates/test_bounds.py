"""Every way to build a huge value or loop for ever in a template is stopped with T111/T112,
at the template's file:line and naming the device."""

from __future__ import annotations

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


def test_ordinary_padding_and_joins_still_work() -> None:
    text, problems = _render("{{ 'a'|center(5) }}|{{ 'x'.ljust(3) }}|{{ [1, 2]|join(',') }}|"
                             "{{ '%-4s'|format('ab') }}|{{ '{:>3}'.format(7) }}|"
                             "{{ 'a\nb'|indent(2) }}|{{ 'aa'|replace('a', 'b') }}")
    assert problems == []
    assert text == "line one\n  a  |x  |1,2|ab  |  7|a\n  b|bb\n"
