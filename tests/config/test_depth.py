"""Configurations nested hundreds of levels deep are cut with C401, never a RecursionError."""

from __future__ import annotations

import pytest

from unet.config import Match, diff, emit, parse, remediate, slice
from unet.config._tree import MAX_DEPTH

DEEP = {
    "staircase": ("ios", "".join(" " * i + f"l{i}\n" for i in range(500))),
    "junos": ("junos", "".join(f"a{i} {{\n" for i in range(500)) + "x;\n" + "}\n" * 500),
    "unclosed": ("junos", "a {\n" * 2000),
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_config_is_cut_with_a_diagnostic_at_the_first_deep_line(name: str) -> None:
    dialect, text = DEEP[name]
    tree = parse(text, dialect, path="configs/r1.cfg")
    codes = [d.code for d in tree.diagnostics]
    assert "C401" in codes
    found = next(d for d in tree.diagnostics if d.code == "C401")
    assert found.location.path == "configs/r1.cfg" and found.location.line == MAX_DEPTH + 1
    other = parse("hostname x\n", dialect)
    # every tree operation works on the cut tree
    slice(tree, Match.parse("*"))
    emit(tree)
    tree.copy()
    remediate(diff(other, tree))
    remediate(diff(tree, other))


def test_lone_cr_line_ends_are_read_as_lines_with_a_warning() -> None:
    tree = parse("hostname x\rinterface Gi1\r description y\r", "ios", path="configs/r1.cfg")
    assert [c.text for c in tree.children] == ["hostname x", "interface Gi1"]
    assert [d.code for d in tree.diagnostics] == ["C402"]


def test_crlf_is_not_a_lone_cr() -> None:
    assert parse("hostname x\r\ninterface Gi1\r\n", "ios").diagnostics == []


def test_a_lone_cr_inside_an_lf_file_is_part_of_its_line_not_a_line():
    # `ntp server 10.0.0.5<CR>hostname x` must never become a line `hostname x` (which
    # remediation would negate, or add).
    tree = parse("hostname r1\nntp server 10.0.0.5\rhostname x\n", "ios")
    assert [p for p, _ in tree.walk()] == [("hostname r1",), ("ntp server 10.0.0.5\rhostname x",)]
    assert [(d.code, d.location.line, d.location.col) for d in tree.diagnostics] == [("C403", 2, 20)]
