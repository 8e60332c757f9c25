from __future__ import annotations

import pytest

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


def test_brace_output_is_junos_own_form(fixture_text):
    """Keywords that take a value, open a block or hold a list print as JunOS prints them."""
    flat = parse(fixture_text("junos_shapes.set"), "junos")
    expected = fixture_text("junos_shapes.conf")
    assert emit(flat, form="brace") == expected
    assert parse(expected, "junos") == flat


def test_interface_named_like_a_keyword_is_a_name():
    tree = parse("set interfaces vlan unit 10 family inet address 10.0.10.1/24\n", "junos")
    assert "    vlan {\n        unit 10 {\n" in emit(tree)


def test_leaf_options_round_trip_in_both_layouts():
    # `set` puts options beside the value; one brace line puts them under it: both survive.
    flat = parse("set routing-options autonomous-system 1\n"
                 "set routing-options autonomous-system loops 2\n", "junos")
    brace = parse("routing-options { autonomous-system 1 loops 2; }\n", "junos")
    for tree in (flat, brace):
        assert parse(emit(tree), "junos") == tree


def test_stray_line_in_a_set_file_is_reported_and_later_lines_kept():
    text = ("set system host-name r1\n! exported by a tool\nset system ntp server 10.0.0.1\n"
            "this is not config\nset interfaces ge-0/0/0 disable\n")
    tree = parse(text, "junos", path="r1.set")
    assert [(d.code, d.location.line) for d in tree.diagnostics] == [("C501", 2), ("C501", 4)]
    assert emit(tree, form="set") == (
        "set system host-name r1\nset system ntp server 10.0.0.1\nset interfaces ge-0/0/0 disable\n")


def test_unterminated_statement_at_end_says_where_it_starts():
    tree = parse("set system host-name r1\nsystem ntp server\n", "junos")
    assert [(d.code, d.location.line) for d in tree.diagnostics] == [("C502", 2)]
    assert "0 unclosed" not in " ".join(d.message for d in tree.diagnostics)


def test_set_line_inside_an_unclosed_block_closes_it():
    tree = parse("system {\n  host-name r1;\nset interfaces ge-0/0/0 disable\n", "junos")
    assert [d.code for d in tree.diagnostics] == ["C504"]
    assert tree.get("interfaces") is not None and tree.get("system").get("host-name")


def test_comment_closed_mid_line_keeps_the_rest_of_the_line():
    tree = parse("/* note\n */system {\n    login { /* omitted */ };\n    host-name r1;\n}\n",
                 "junos")
    assert not tree.diagnostics
    system = tree.get("system")
    assert [n.text for n in system.children] == ["login", "host-name"]


@pytest.mark.parametrize(("text", "where", "lines"), [
    ("system {\n    host-name r1;\n    /* note\n}\ninterfaces {\n    ge-0/0/0 { disable; }\n}\n",
     (3, 5), "lines 3-7 were"),
    ("/*\n", (1, 1), "line 1 was"),
    ("system { host-name r1; } /* to the end\nset interfaces ge-0/0/0 disable\n", (1, 26),
     "lines 1-2 were"),
])
def test_unclosed_comment_is_an_error_at_its_opening(text: str, where: tuple[int, int],
                                                     lines: str) -> None:
    """The rest of the file read as a comment would look deleted: an error at the `/*`, so
    no diff or remediation acts on the cut tree."""
    tree = parse(text, "junos")
    assert [(d.code, d.severity.name, (d.location.line, d.location.col))
            for d in tree.diagnostics] == [("C505", "ERROR", where)]
    assert f"never closed: {lines} read as a comment" in tree.diagnostics[0].message


POLICY = """set policy-options policy-statement EDGE term allow from prefix-list OURS
set policy-options policy-statement EDGE term allow then accept
set policy-options policy-statement EDGE term reject-all then reject
"""


def test_new_term_is_inserted_before_the_catch_all():
    running = parse(POLICY, "junos")
    intended = parse(POLICY.replace(
        "set policy-options policy-statement EDGE term reject-all",
        "set policy-options policy-statement EDGE term customers from community CUST\n"
        "set policy-options policy-statement EDGE term customers then accept\n"
        "set policy-options policy-statement EDGE term reject-all"), "junos")
    result = diff(running, intended)
    assert emit(remediate(result), form="set").splitlines() == [
        "set policy-options policy-statement EDGE term customers from community CUST",
        "set policy-options policy-statement EDGE term customers then accept",
        "insert policy-options policy-statement EDGE term customers before term reject-all",
    ]
    assert predict(result) == intended  # in order


def test_term_order_change_is_reported_and_moved():
    running = parse(POLICY, "junos")
    lines = POLICY.splitlines()
    intended = parse("\n".join([lines[2], lines[0], lines[1]]), "junos")
    result = diff(running, intended)
    assert [c.kind for c in result.changes] == ["reordered"]
    commands = emit(remediate(result), form="set").splitlines()
    assert len(commands) == 1 and commands[0].startswith("insert policy-options policy-statement"
                                                         " EDGE term ")
    assert predict(result) == intended


def test_appended_term_needs_no_insert():
    running = parse(POLICY, "junos")
    intended = parse(POLICY + "set policy-options policy-statement EDGE term last then reject\n",
                     "junos")
    assert "insert" not in emit(remediate(diff(running, intended)), form="set")
