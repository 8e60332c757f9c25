from __future__ import annotations

import time

import pytest

from unet.config import Match, MatchError, parse, slice
from unet.config import emit as emit_tree

CONFIG = """\
interface Port-channel1
 description one
interface Port-channel10
 description ten
 ip address 10.0.0.1 255.255.255.0
interface Vlan5
 ip address 10.5.0.1 255.255.255.0
 ip helper-address 10.9.9.9
router bgp 1
 address-family ipv4
  network 10.0.0.0
"""


def test_levels_are_anchored_to_the_whole_line():
    out = slice(parse(CONFIG), "interface Port-channel1||.*")
    assert [n.text for n in out.children] == ["interface Port-channel1"]


def test_result_has_ancestors_and_descendants():
    out = slice(parse(CONFIG), "router bgp .*||address-family .*")
    assert emit_tree(out) == "router bgp 1\n address-family ipv4\n  network 10.0.0.0\n exit-address-family\n"


def test_wildcard_level_and_deeper_match():
    out = slice(parse(CONFIG), "*||ip address .*")
    assert [n.text for n in out.children] == ["interface Port-channel10", "interface Vlan5"]
    assert all(len(n.children) == 1 for n in out.children)


def test_no_match_gives_empty_tree():
    assert not slice(parse(CONFIG), "interface Gig.*").children


@pytest.mark.parametrize(
    ("expression", "level", "position"),
    [("interface (x", 1, 10), ("ok||[abc", 2, 4), ("a||b||c(", 3, 7), ("", 1, 0), ("a|| ||b", 2, 3)],
)
def test_invalid_regex_points_at_level_and_position(expression, level, position):
    with pytest.raises(MatchError) as info:
        Match.parse(expression)
    assert (info.value.level, info.value.position, info.value.expression) == (level, position, expression)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("pattern", ["(a+)+b", "(a*)*", "x||(?:a|b+)*c", "(.*a){1,}"])
def test_nested_unbounded_quantifiers_are_rejected(pattern):
    with pytest.raises(MatchError, match="nested"):
        Match.parse(pattern)


def test_bounded_quantifiers_are_allowed():
    assert Match.parse("vlan (\\d{1,4},?)+").levels == ("vlan (\\d{1,4},?)+",)


def test_hostile_line_does_not_hang():
    tree = parse("interface " + "a" * 50_000 + "!\n")
    start = time.perf_counter()
    slice(tree, "interface (a|aa)b")
    assert time.perf_counter() - start < 1.0


def test_lineage_match_returns_groups_and_unanchored_suffix():
    match = Match.parse("neighbor (\\S+) description .*", anchored=False)
    found = match.lineage(("router bgp 1", "neighbor 1.1.1.1 description x"))
    assert found and found.group(1) == "1.1.1.1"
    assert not Match.parse("a||b").lineage(("a",))
