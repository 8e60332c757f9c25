"""Fuzzing the policy language: any text parses to rules or diagnostics, any rule that
compiles evaluates to findings or diagnostics, never an exception."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import MINIMAL, fuzz
from unet.core import Diagnostic, UnetError
from unet.inventory import load_inventory
from unet.policy import Compiler, parse_condition, parse_policy, run_check
from unet.source import MemorySnapshot

PATHS = st.sampled_from([
    "node.name", "node.role", "node.vars", "node.vars.ntp_servers", "node.interfaces",
    "node.interfaces.Gi1.description", "node.management_ip", "node.groups", "node.lifecycle",
    "node.nothing.at.all", "node.vars[0]", 'node.interfaces["Gi1"]', "node.links", "running",
    "intended", "node", "node.os_version", "custom_data.x",
    # a dotted name is one token when a file is parsed whole: the same tree as apart
    "node . vars.x", "node.\n vars", "node.IN.x", "node.true.null", "node.vars.x.y.z",
    'node.interfaces["Gi1"].description.x', "NOT.x", "true.x", "WHEN.node",
])
LOOP_PATHS = st.sampled_from(["i", "i.name", "i.description", "i.value", "i[0]"])
CALLS = st.sampled_from([
    'running.lines("interface .*")', 'running.sections("interface .*")',
    'running.value("hostname (.*)")', 'running.lines("(")', "version(node.os_version)",
    'version("17.9.4")', "version(1)", "len(node.interfaces)", "len(1)", "lower(node.name)",
    'running.lines("interface .*||description .*")', "count(node.groups)", "nope(1)",
    'running.lines("x").a.b', 'running.lines("x") . a.b', "split(node.name, \".\")[0].x.y",
    'intended.lines("*")', "running.lines()", 'running.value("(a)(b)")',
])
LITERALS = st.one_of(
    st.sampled_from(['"core"', "'x'", '""', '"10.0.0.1"', '"\\u00e9"', '"{node.name}"', "0",
                     "-1", "1.5", "1e999", "-0", "99999999999999999999", "true", "false", "null",
                     "/Gi.*/", "/(/", "/a{99999999999}/", "/(a+)+$/", "[]", '["a", 1, null]',
                     "{}", '{a: 1, "b": [2]}', "[[1], [2]]"]),
    st.integers(-10**30, 10**30).map(str),
    st.text(st.characters(blacklist_characters='"\\\n'), max_size=8).map(lambda t: f'"{t}"'),
)
OPERATORS = st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "IN", "NOT IN", "CONTAINS",
                             "NOT CONTAINS", "MATCHES", "NOT MATCHES", "STARTSWITH", "ENDSWITH",
                             "HAS", "NOT HAS", "IS", "IS NOT"])


OPERANDS = st.one_of(PATHS, CALLS, LITERALS)


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(["AND", "OR"]), inner).map(" ".join),
        inner.map(lambda c: f"NOT {c}"), inner.map(lambda c: f"({c})"),
        st.tuples(st.sampled_from(["ALL", "ANY", "NONE"]), st.one_of(PATHS, CALLS),
                  LOOP_PATHS, OPERATORS, OPERANDS, inner).map(
            lambda t: f"{t[0]} i IN {t[1]} SATISFIES {t[2]} {t[3]} {t[4]} AND {t[5]}"),
        inner.map(lambda c: f"ANY i.x IN node.interfaces SATISFIES {c}"),
        inner.map(lambda c: f"{{a.b: 1, c: 2}} == {{}} OR {c}"),
    )


CONDITIONS = st.recursive(st.one_of(
    st.tuples(OPERANDS, OPERATORS, OPERANDS).map(" ".join),
    OPERANDS.map(lambda o: f"{o} IS NULL"), OPERANDS,
), _extend, max_leaves=6)
ACTIONS = st.lists(st.one_of(
    CONDITIONS.map(lambda c: f"ASSERT {c}"),
    st.tuples(PATHS.filter(lambda p: p.startswith(("node.", "custom_data."))), OPERANDS).map(
        lambda t: f"SET {t[0]} TO {t[1]}"),
    st.sampled_from(['APPLY "ios/base.j2"', 'APPLY "../x.j2"', 'APPLY ""']),
), min_size=1, max_size=3)


@st.composite
def rules(draw: st.DrawFn) -> str:
    head = draw(st.sampled_from(["", "RULE ID ", "RULE ID SEVERITY warning ",
                                 'RULE ID SEVERITY info "title {node.name}" ', "RULE ID "]))
    actions = draw(ACTIONS)
    message = draw(st.sampled_from(["", ' MESSAGE "{node.name}: {i}"', ' MESSAGE "{"',
                                    ' MESSAGE "{node.vars.nothing} {l}"', ' MESSAGE "}{x.y.z}"']))
    when = draw(st.one_of(st.sampled_from(["true", 'node.name == "r1"']), CONDITIONS))
    return f"{head}WHEN {when} THEN {', '.join(actions)}{message}"


RULES = rules()


@st.composite
def policy_text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(RULES, RULES, st.text(max_size=40), st.sampled_from(
        ["/* open comment", "# c\n", "// c\n", "RULE", "WHEN", "THEN ASSERT", '"', "(((", ")"])),
        min_size=1, max_size=4))
    return "\n".join(parts)


def _is_diagnostic(d: object) -> bool:
    return isinstance(d, Diagnostic) and d.code[:1] == "P" and d.location.line >= 0


@fuzz(200)
@given(policy_text())
def test_fuzz_parse_and_compile(text: str) -> None:
    parsed, problems = parse_policy(text, "policies/fuzz.unet")
    assert all(_is_diagnostic(d) for d in problems)
    compiler = Compiler()
    for rule in parsed:
        compiler.rule(rule)
    assert all(_is_diagnostic(d) for d in compiler.diagnostics)


@fuzz(200)
@given(CONDITIONS)
def test_fuzz_lone_condition(text: str) -> None:  # `--where` and waivers' `where`
    node, problems = parse_condition(text, "--where")
    assert all(_is_diagnostic(d) for d in problems)
    if node is not None:
        compiler = Compiler()
        compiler.lone_condition(node)
        assert all(_is_diagnostic(d) for d in compiler.diagnostics)


REPO = {
    **MINIMAL,
    "devices/hq/r1.yaml": MINIMAL["devices/hq/r1.yaml"] + "os_version: 17.9.4\n"
                          "vars:\n  ntp_servers: [10.0.0.1, 10.0.0.2]\n",
    "configs/r1.cfg": "hostname r1\ninterface Gi1\n description to r2\n ip address 10.0.0.1 "
                      "255.255.255.0\nntp server 10.0.0.1\n",
    "templates/ios/base.j2": "hostname {{ name }}\n",
}
INVENTORY = load_inventory(MemorySnapshot(REPO))


@fuzz(150)
@given(st.lists(RULES, min_size=1, max_size=3))
def test_fuzz_evaluate(policy: list[str]) -> None:
    text = "\n".join(p.replace("RULE ID ", f"RULE r{n} ", 1) for n, p in enumerate(policy))
    snapshot = MemorySnapshot({**REPO, "policies/fuzz.unet": text})
    try:
        run = run_check(snapshot, INVENTORY)
    except UnetError:
        return
    assert all(_is_diagnostic(d) or d.code[:1] in "CTU" for d in run.policies.diagnostics)
    if run.result is not None:
        assert all(f.device in ("r1", "r2") and f.message for f in run.result.findings)
