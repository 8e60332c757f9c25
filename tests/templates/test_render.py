from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from unet.config import Match, diff, parse
from unet.core import Location
from unet.inventory import load_inventory
from unet.source import MemorySnapshot, WorktreeSnapshot
from unet.templates import Feature, feature_slice, feature_slices, load_templates, render_device

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

BASE = {
    "unet.yaml": "name: t\n",
    "locations/hq.yaml": "name: hq\ntype: site\n",
    "groups/ios.yaml": "name: ios\nplatform: ios\nvendor: cisco\ntemplates: [base.j2]\n",
    "devices/r1.yaml": "name: r1\nlocation: hq\ngroups: [ios]\nrole: core\n"
                       "management_ip: 10.0.0.1\n"
                       "interfaces:\n  Gi1: {description: uplink, ipv4: 10.1.0.1/31}\n"
                       "vars: {ntp_servers: [10.0.0.1, 10.0.0.2]}\n",
    "templates/base.j2": '{# unet: match "hostname .*" "ntp server .*" #}\n'
                         "hostname {{ hostname_prefix | default('') }}{{ name }}\n"
                         "{% for s in node.vars.ntp_servers %}\nntp server {{ s }}\n{% endfor %}\n",
    "templates/intf.j2": "{% for n, i in device.interfaces.items() %}\ninterface {{ n }}\n"
                         " ip address {{ i.ipv4 | ip_netmask }}\n{% endfor %}\n",
}


def _render(extra: dict[str, str], applied: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    snapshot = MemorySnapshot({**BASE, **extra})
    inventory = load_inventory(snapshot)
    assert not inventory.diagnostics, inventory.diagnostics
    return render_device(inventory.devices["r1"], snapshot, applied=applied)


def test_render_context_order_and_tree() -> None:
    result = _render({}, applied=("intf.j2", "base.j2"))
    assert result.ok and result.platform == "ios"
    assert [t.name for t in result.templates] == ["base.j2", "intf.j2"]
    assert result.text == ("hostname r1\nntp server 10.0.0.1\nntp server 10.0.0.2\n"
                           "interface Gi1\n ip address 10.1.0.1 255.255.255.254\n")
    assert result.tree is not None and result.tree.get("interface Gi1") is not None
    assert result.templates[0].feature.expressions == ("hostname .*", "ntp server .*")
    assert result.templates[1].feature.owns_rendered


def test_data_override() -> None:
    snapshot = MemorySnapshot(BASE)
    device = load_inventory(snapshot).devices["r1"]
    data = {**device.data, "vars": {"ntp_servers": ["192.0.2.1"]}}
    result = render_device(device, snapshot, data=data)
    assert "ntp server 192.0.2.1\n" in result.text
    assert device.data["vars"]["ntp_servers"] == ["10.0.0.1", "10.0.0.2"]


def _only_error(result):  # type: ignore[no-untyped-def]
    (problem,) = result.diagnostics
    assert "device r1: " in problem.message
    return problem


@pytest.mark.parametrize(("template", "code", "where", "message"), [
    ("x\n  {{ node.vars.ntp_servrs | join }}\n", "T103", (2, 6),
     "undefined: node.vars.ntp_servrs (did you mean 'ntp_servers'?)"),
    ("{{ nmae }}\n", "T103", (1, 4), "undefined: nmae (did you mean 'name'?)"),
    # a misspelt filter or test: one code, at the name, compiled or (inside an if) not
    ("x\n  ip {{ name | ip_netmsk }}\n", "T102", (2, 16),
     "unknown filter 'ip_netmsk' (did you mean 'ip_netmask'?)"),
    ("{% if name is definedd %}x{% endif %}\n", "T102", (1, 15),
     "unknown test 'definedd' (did you mean 'defined'?)"),
    ("{% if name %}{{ name | uper }}{% endif %}\n", "T102", (1, 24),
     "unknown filter 'uper' (did you mean 'upper'?)"),
    ("ok\n{% if %}\n", "T102", (2, 0), "template syntax error: Expected an expression"),
    ("a\n\n{% include 'bsae.j2' %}\n", "T104", (3, 0),
     "template 'bsae.j2' not found under templates/ (did you mean 'base.j2'?)"),
    ("{% include '../unet.yaml' %}\n", "T104", (1, 0), "points outside templates/"),
    ("\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n", "T106", (2, 0),
     "blocked by the template sandbox: access to attribute '__class__'"),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(1) }}\n", "T107", (1, 0),
     "recursion too deep"),
    # a loop variable is not in the context: the keys of what it was looked up in are
    ("{% for n, i in node.interfaces.items() %}{{ i.descripton }}{% endfor %}\n", "T103",
     (1, 45), "undefined: i.descripton (did you mean 'description'?)"),
    ("{{ 'banana' | netmask }}\n", "T105", (1, 0), "netmask: 'banana' is not an IP address"),
    ("{{ 1 / 0 }}\n", "T109", (1, 0), "ZeroDivisionError"),
    # Arguments a filter does not take: at the filter, with how it is written (Python
    # counted the value: "netmask() takes 1 positional argument but 2 were given").
    ("x\n{{ '10.0.0.1/24' | netmask(24) }}\n", "T105", (2, 20),
     "filter 'netmask' takes no arguments: write `|netmask`"),
    ("{{ name | center(widht=3) }}\n", "T105", (1, 11),
     "filter 'center' is written `|center(width=80)`: got an unexpected keyword argument "
     "'widht'"),
    ("{{ name | interface_short('ios', 4) }}\n", "T105", (1, 11),
     "`|interface_short(platform=None)`: too many positional arguments"),
    ("x\n{{ name | center('x') }}\n", "T105", (2, 11), "filter 'center': "),
])
def test_template_errors_become_diagnostics(template: str, code: str, where: tuple[int, int],
                                            message: str) -> None:
    extra = {"templates/bad.j2": template, "groups/ios.yaml": BASE["groups/ios.yaml"].replace(
        "[base.j2]", "[bad.j2, base.j2]")}
    result = _render(extra)
    problem = _only_error(result)
    assert problem.code == code
    assert problem.location == Location("templates/bad.j2", *where)
    assert message in problem.message
    # The device's other template still rendered.
    assert result.templates[1].ok and "hostname r1" in result.text
    assert result.templates[0].text == ""


def test_syntax_error_in_an_include_points_at_the_included_file() -> None:
    result = _render({"templates/bad.j2": "{% include 'inc.j2' %}\n",
                      "templates/inc.j2": "x\n{% for %}\n",
                      "groups/ios.yaml": BASE["groups/ios.yaml"].replace("base.j2", "bad.j2")})
    assert _only_error(result).location == Location("templates/inc.j2", 2)


def test_output_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("unet.templates._render.MAX_OUTPUT", 100)
    result = _render({"templates/big.j2": "{% for i in range(1000) %}line {{ i }}\n{% endfor %}"},
                     applied=("big.j2",))
    assert _only_error(result).code == "T107"


@pytest.mark.parametrize(("value", "named"), [
    ("\\x1a reload", "\\x1a, Ctrl-Z (it leaves configuration mode)"),
    ("up\\rno router bgp 1", "\\x0d, CR (it sends the line early)"),
    ("\\x03", "\\x03, Ctrl-C (it aborts)"),
    ("\\e[2J", "\\x1b, ESC"),
])
def test_a_printed_value_with_a_control_character_is_t116_where_printed_and_where_set(
        value: str, named: str) -> None:
    # A device acts on these when they are sent: Ctrl-Z then `reload` would run it.
    device = BASE["devices/r1.yaml"].replace("description: uplink", f'description: "{value}"')
    result = _render({"devices/r1.yaml": device,
                      "templates/d.j2": "hostname r1\n{% for n, i in node.interfaces.items() %}"
                                        "interface {{ n }}\n description {{ i.description }}\n"
                                        "{% endfor %}"}, applied=("d.j2",))
    problem = _only_error(result)
    # the `{{` that prints it, and the YAML value to fix
    assert problem.code == "T116" and problem.location == Location("templates/d.j2", 3, 14)
    assert problem.related[0] == Location("devices/r1.yaml", 7, 22)  # then what chose d.j2
    assert (f"the value printed here (node.interfaces.Gi1.description, set at "
            f"devices/r1.yaml:7:22) has {named}") in problem.message
    assert "description" not in result.text  # nothing of that template is kept


def test_a_control_character_printed_from_an_include_is_at_the_include_s_line() -> None:
    device = BASE["devices/r1.yaml"].replace("vars: {", 'vars: {"my key": "a\\x1ab", ')
    result = _render({"devices/r1.yaml": device,
                      "templates/d.j2": "hostname r1\n{% include 'inc.j2' %}\n",
                      "templates/inc.j2": "x\n\ny {{ node.vars['my key'] }} {{ name }}\n"},
                     applied=("d.j2",))
    problem = _only_error(result)
    # two `{{` on the line: no column, rather than the wrong one
    assert problem.location == Location("templates/inc.j2", 3)
    assert 'node.vars["my key"], set at devices/r1.yaml:8:' in problem.message


@pytest.mark.parametrize(("files", "where"), [
    ({"templates/d.j2": "hostname r1\nbanner \x03x\x03\n"}, ("templates/d.j2", 2, 8)),
    ({"templates/d.j2": "a\n{% include 'inc.j2' %}\n", "templates/inc.j2": "b\n c\x1a\n"},
     ("templates/inc.j2", 2, 3)),
    ({"templates/d.j2": "{% import '_m.j2' as m %}\n{{ m.line() }}\n",
      "templates/_m.j2": "{% macro line() %}\nend\x1a\n{% endmacro %}\n"},
     ("templates/_m.j2", 2, 4)),
])
def test_a_control_character_in_a_template_s_text_is_t116_at_the_character(
        files: dict[str, str], where: tuple[str, int, int]) -> None:
    problem = _only_error(_render(files, applied=("d.j2",)))
    assert problem.code == "T116" and problem.location == Location(*where)
    assert "the template's text has" in problem.message


def test_a_control_character_the_template_computes_is_t116_at_its_line() -> None:
    problem = _only_error(_render({"templates/d.j2": "a\n{{ '%c' % 26 }}x\n"},
                                  applied=("d.j2",)))
    assert problem.location == Location("templates/d.j2", 2, 1)
    assert "the value printed here has \\x1a, Ctrl-Z" in problem.message


def test_bad_header_and_unknown_template() -> None:
    result = _render({"templates/base.j2": '{# unet: match "ntp (" #}\nx\n'},
                     applied=("nope.j2",))
    assert sorted(d.code for d in result.diagnostics) == ["T101", "T108"]


def test_template_set_diagnostics() -> None:
    snapshot = MemorySnapshot({"templates/a.j2": '{# unet: match "(" #}\n'})
    (problem,) = load_templates(snapshot).diagnostics
    assert problem.location == Location("templates/a.j2", 1, 17)


def test_feature_slices_with_and_without_header() -> None:
    result = _render({}, applied=("intf.j2",))
    running = parse("hostname r1\nntp server 10.0.0.1\nsnmp-server x\n"
                    "interface Gi1\n ip address 10.1.0.1 255.255.255.254\n description y\n"
                    "interface Gi2\n shutdown\n", "ios")
    base, intf = feature_slices(result, running)
    assert [n.text for n in base.running.children] == ["hostname r1", "ntp server 10.0.0.1"]
    assert [c.kind for c in diff(base.running, base.intended).changes] == ["missing"]
    assert [n.text for n in intf.running.children] == ["interface Gi1"]
    assert not diff(intf.running, intf.intended)


def test_feature_slice_keeps_tree_order_over_several_matches() -> None:
    tree = parse("ntp server 1\nhostname a\ninterface Gi1\n description x\n ip address 1\n", "ios")
    expressions = ("hostname .*", "interface .*||ip .*", "ntp .*")
    feature = Feature("t", expressions, tuple(Match.parse(e) for e in expressions))
    out = feature_slice(tree, feature)
    assert [p for p, _ in out.walk()] == [("ntp server 1",), ("hostname a",), ("interface Gi1",),
                                          ("interface Gi1", "ip address 1")]


def test_public_api_sorted() -> None:
    module = importlib.import_module("unet.templates")

    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)

    assert list(module.__all__) == sorted(module.__all__, key=kind)
    assert all(hasattr(module, name) for name in module.__all__)


def test_example_network_shows_exactly_the_planted_drift() -> None:
    snapshot = WorktreeSnapshot(EXAMPLES)
    inventory = load_inventory(snapshot)
    templates = load_templates(snapshot)
    assert not templates.diagnostics
    drift = {}
    for name, device in inventory.devices.items():
        result = render_device(device, snapshot, templates=templates)
        assert result.ok, result.diagnostics
        config = EXAMPLES / "configs" / f"{name}.cfg"
        if not config.exists():
            continue
        running = parse(config.read_text(), result.platform or "ios")
        for part in feature_slices(result, running):
            assert part.running is not None
            for change in diff(part.running, part.intended).changes:
                drift.setdefault(name, []).append((change.kind, change.text))
    assert drift == {
        "hq-acc-02": [("missing", "ntp server 10.0.0.2")],
        "ber1-rtr-01": [("extra", "snmp-server community public RO")],
        "dc1-leaf-01": [("replaced", "description dc1-spine-01 Ethernet1/1")],
        "hq-dist-02": [("reordered", "ip access-list standard MGMT-ACCESS")],
    }


def test_template_not_utf8() -> None:
    result = _render({"templates/bin.j2": b"\xff\xfe"}, applied=("bin.j2",))  # type: ignore[dict-item]
    problem = _only_error(result)
    assert problem.code == "T110" and "not UTF-8" in problem.message


def test_an_unbalanced_rendered_config_is_reported_at_its_template() -> None:
    """A template that renders an unclosed JunOS brace would send a device broken text:
    the parser's warning is said of the template and the line of its output."""
    snapshot = MemorySnapshot({
        "unet.yaml": "name: t\n",
        "devices/j1.yaml": "name: j1\nplatform: junos\ntemplates: [sys.j2, intf.j2]\n",
        "templates/sys.j2": "system {\n    host-name {{ name }};\n}\n",
        "templates/intf.j2": "interfaces {\n    ge-0/0/0 {\n        disable;\n    }\n",
    })
    inventory = load_inventory(snapshot)
    result = render_device(inventory.devices["j1"], snapshot)
    assert [(d.code, d.location.path, d.severity.name) for d in result.diagnostics] == [
        ("C113", "templates/intf.j2", "WARNING")]
    message = result.diagnostics[0].message
    assert message.startswith("device j1: intended config line 8 (line 4 of what intf.j2 "
                              "renders): 1 unclosed '{' at end of file (the innermost opened "
                              "on line 4)")
