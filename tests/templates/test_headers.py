from __future__ import annotations

from unet.core import Location, Severity
from unet.templates import parse_header

PATH = "templates/t.j2"


def test_unet_header_several_and_munet_form() -> None:
    text = ('{# unet: match "interface .*" #}\n'
            "{# unet: match 'ntp server .*' \"snmp-server .*\" match \"a||b\" #}\n"
            "{# template-match: router ospf .* #}\n"
            "hostname x\n")
    header = parse_header(text, PATH)
    assert header.expressions == ("interface .*", "ntp server .*", "snmp-server .*", "a||b",
                                  "router ospf .*")
    assert header.locations[0] == Location(PATH, 1, 17)
    assert header.locations[-1] == Location(PATH, 3, 20)
    assert [str(m) for m in header.matches][-1] == "router ospf .*"
    assert header.diagnostics == ()


def test_no_header_and_other_comments() -> None:
    assert parse_header("{# just a note #}\nhostname x\n", PATH).expressions == ()
    header = parse_header('\n  {# note #}\n{#- unet: match "x .*" -#}\n', PATH)
    assert header.expressions == ("x .*",)


def test_bad_expression_points_at_the_bad_character() -> None:
    header = parse_header('{# unet: match "interface .*||ip (address" #}\n', PATH)
    (problem,) = header.diagnostics
    assert problem.code == "T108" and problem.severity is Severity.ERROR
    # `(` is at column 34 of line 1: 17 where the expression starts + offset 17.
    assert problem.location == Location(PATH, 1, 34)
    assert "bad match expression" in problem.message and "level 2" in problem.message
    assert header.expressions == ()


def test_bad_munet_expression_and_empty_level() -> None:
    header = parse_header("{# template-match: a|||| #}\n", PATH)
    assert header.diagnostics[0].location.line == 1
    assert "empty level" in header.diagnostics[0].message


def test_malformed_headers() -> None:
    assert "unknown header directive 'matches'" in parse_header(
        '{# unet: matches "x" #}', PATH).diagnostics[0].message
    assert "quote each expression" in parse_header(
        "{# unet: match x .* #}", PATH).diagnostics[0].message
    assert "empty header" in parse_header("{# unet: #}", PATH).diagnostics[0].message
    assert "must follow 'match'" in parse_header('{# unet: "x" #}', PATH).diagnostics[0].message


def test_late_header_is_a_warning() -> None:
    header = parse_header('hostname x\n{# unet: match "ntp .*" #}\n', PATH)
    assert header.expressions == ()
    (problem,) = header.diagnostics
    assert problem.severity is Severity.WARNING and problem.location == Location(PATH, 2, 1)
