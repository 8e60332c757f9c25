"""Core types: messages are cut to a readable size, whatever they echo; records compare,
hash, order and print as the dataclasses they stand for."""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest

from unet.core import (
    MAX_MESSAGE,
    Diagnostic,
    Finding,
    Location,
    Severity,
    UnetError,
    cut,
    printable,
    record,
)


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


@record(order=True)
class _Point:
    x: int
    name: str = ""
    note: str = field(default="", compare=False)
    tags: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True, order=True)
class _Reference:
    x: int
    name: str = ""
    note: str = field(default="", compare=False)
    tags: tuple[str, ...] = field(default=(), repr=False)


_VALUES = [(1, "a", "n", ()), (1, "a", "other note", ("t",)), (1, "b", "n", ()),
           (2, "a", "n", ()), (0, "", "", ())]


@pytest.mark.parametrize(("one", "two"), list(itertools.product(_VALUES, repeat=2)))
def test_a_record_compares_orders_and_hashes_as_a_dataclass_does(
        one: tuple[Any, ...], two: tuple[Any, ...]) -> None:
    a, b = _Point(*one), _Point(*two)
    ref_a, ref_b = _Reference(*one), _Reference(*two)
    assert (a == b, a != b) == (ref_a == ref_b, ref_a != ref_b)
    assert (a < b, a <= b, a > b, a >= b) == (ref_a < ref_b, ref_a <= ref_b,
                                              ref_a > ref_b, ref_a >= ref_b)
    if a == b:  # a field left out of comparison is left out of the hash
        assert hash(a) == hash(b)
    assert repr(a).removeprefix("_Point") == repr(ref_a).removeprefix("_Reference")


def test_a_record_is_a_slotted_dataclass_equal_only_to_its_own_class() -> None:
    point = _Point(1, "a", tags=("t",))
    assert dataclasses.replace(point, x=2) == _Point(2, "a", tags=("t",))
    assert [f.name for f in dataclasses.fields(point)] == ["x", "name", "note", "tags"]
    assert not hasattr(point, "__dict__")
    same_fields: object = _Reference(1, "a", tags=("t",))
    assert point != same_fields
    assert len({point, _Point(1, "a", note="other", tags=("t",))}) == 1
    with pytest.raises(TypeError):
        _ = point < _Reference(2)  # type: ignore[operator]
    assert repr(point) == "_Point(x=1, name='a', note='')"


def test_methods_a_record_defines_itself_are_kept() -> None:
    @record
    class Name:
        text: str

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Name) and self.text.lower() == other.text.lower()

        def __hash__(self) -> int:
            return hash(self.text.lower())

        def __repr__(self) -> str:
            return f"<{self.text}>"

    assert Name("Core1") == Name("CORE1")
    assert len({Name("Core1"), Name("core1")}) == 1
    assert repr(Name("x")) == "<x>"


def test_a_record_that_defines_only_equality_still_hashes_by_its_fields() -> None:
    @record
    class Port:
        number: int

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Port) and self.number == other.number

    assert len({Port(1), Port(1), Port(2)}) == 2


@pytest.mark.parametrize(("text", "shown"), [
    ("erase\x1b[2K\rline", "erase\\x1b[2K\\x0dline"),  # colour, cursor and carriage return
    ("title\x1b]0;owned\x07", "title\\x1b]0;owned\\x07"),
    ("two\nlines", "two\\x0alines"),  # one line stays one line
    ("c1\x9bcsi", "c1\\x9bcsi"),
    ("abc\u202edcba", "abc\\u202edcba"),  # shown in the order it is read
    ("sep\u2028x", "sep\\u2028x"),
])
def test_printable_shows_what_a_terminal_would_act_on(text: str, shown: str) -> None:
    assert printable(text) == shown
    assert printable(shown) == shown  # already printable: unchanged


def test_printable_keeps_tabs_and_letters_of_any_script() -> None:
    text = "Gi1/0/1\tUplink zu Zürich — 東京 ✓"
    assert printable(text) is text
