from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from unet.config._sequence import plan_sequence


def result(running, plan):
    slots = {plan.step * (i + 1): t for i, t in enumerate(running)}
    for n, text in plan.adds:
        assert n not in slots, "an added entry must not overwrite a running one"
        slots[n] = text
    for n, text in plan.removes:
        assert slots.pop(n) == text
    return [slots[n] for n in sorted(slots)]


def test_change_in_the_middle_takes_a_round_number_before_the_old_one_goes():
    plan = plan_sequence(["a", "b", "c"], ["a", "x", "c"])
    assert (plan.step, plan.adds, plan.removes) == (10, [(15, "x")], [(20, "b")])


def test_many_inserts_widen_the_step():
    plan = plan_sequence(["a", "z"], ["a", *"bcdefghijklmn", "z"])
    assert plan.step == 100 and result(["a", "z"], plan) == ["a", *"bcdefghijklmn", "z"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8),
       st.lists(st.sampled_from("abcdefghij"), unique=True, max_size=10))
def test_any_edit_gives_the_intended_order_without_overwriting(running, intended):
    assert result(running, plan_sequence(running, intended)) == intended
