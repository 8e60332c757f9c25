from __future__ import annotations

from unet.config import diff, emit, parse, predict, remediate


def test_brace_and_set_forms_give_the_same_tree(fixture_text):
    brace = parse(fixture_text("junos_brace.conf"), "junos")
    flat = parse(fixture_text("junos_set.conf"), "junos")
    assert brace == flat
    assert not brace.diagnostics and not flat.diagnostics


def test_quoted_strings_keep_braces_and_semicolons(fixture_text):
    tree = parse(fixture_text("junos_brace.conf"), "junos")
    description = tree.get("interfaces").get("ge-0/0/0").get("description")
    assert [n.text for n in description.children] == ['"uplink { to core; }"']


def test_inactive_round_trips_in_both_forms(fixture_text):
    tree = parse(fixture_text("junos_brace.conf"), "junos")
    assert "inactive: unit 0 {" in emit(tree, form="brace")
    assert "deactivate interfaces ge-0/0/0 unit 0" in emit(tree, form="set")
    assert parse(emit(tree, form="brace"), "junos") == tree
    assert parse(emit(tree, form="set"), "junos") == tree


def test_any_indentation_width():
    two = parse("system {\n  host-name a;\n}\n", "junos")
    eight = parse("system {\n        host-name a;\n}\n", "junos")
    assert two == eight == parse("set system host-name a\n", "junos")


def test_unbalanced_braces_warn_and_keep_the_rest():
    tree = parse("system {\n host-name a;\n}\n}\ninterfaces {\n ge-0/0/0 {\n", "junos", path="j.conf")
    assert [d.code for d in tree.diagnostics] == ["C112", "C113"]
    assert tree.get("system") is not None and tree.get("interfaces") is not None


def test_remediation_uses_set_and_delete():
    running = parse('set interfaces ge-0/0/0 description "a"\nset interfaces ge-0/0/1 disable\n', "junos")
    intended = parse('set interfaces ge-0/0/0 description "b"\n', "junos")
    result = diff(running, intended)
    assert emit(remediate(result), form="set") == (
        "delete interfaces ge-0/0/1\nset interfaces ge-0/0/0 description \"b\"\n"
    )
    assert predict(result) == intended
