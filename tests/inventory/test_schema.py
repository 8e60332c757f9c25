from __future__ import annotations

import pytest

from unet.inventory import MODELS, json_schemas, parse_yaml
from unet.inventory._schema import validate_document


def problems(text: str, kind: str = "device") -> list[str]:
    document, parse_problems = parse_yaml(text.encode(), "devices/r1.yaml")
    assert parse_problems == []
    diagnostics, _ = validate_document(document, MODELS[kind])
    return [str(d) for d in diagnostics]


def test_valid_device_has_no_problems() -> None:
    assert problems("name: r1\nplatform: eos\ninterfaces:\n  Ethernet1: {mtu: 9214}\n") == []


def test_unknown_key_suggests_the_right_one_at_the_key() -> None:
    assert problems("name: r1\nplatfrom: ios\n") == [
        "devices/r1.yaml:2:1: U202 error: unknown key 'platfrom' (did you mean 'platform'?); "
        "free-form data goes under 'vars'"
    ]


def test_unknown_nested_key_names_its_parent() -> None:
    [problem] = problems("name: r1\ninterfaces:\n  Gi1:\n    descripton: x\n")
    assert problem.startswith("devices/r1.yaml:4:5: U202 error: unknown key 'descripton' in "
                              "interfaces.Gi1 (did you mean 'description'?)")


def test_wrong_type_points_at_the_value() -> None:
    assert problems("name: r1\ninterfaces:\n  Gi1: {mtu: \"9214x\"}\n") == [
        "devices/r1.yaml:3:14: U204 error: interfaces.Gi1.mtu: expected an integer, found '9214x'"
    ]


def test_numbers_where_strings_belong_suggest_quoting() -> None:
    [problem] = problems("name: r1\nos_version: 16.10\n")
    assert "quote it" in problem and 'os_version: "16.1"' in problem


def test_yaml_1_1_booleans_are_not_booleans() -> None:
    [problem] = problems("name: r1\ninterfaces:\n  Gi1: {enabled: yes}\n")
    assert "expected true or false, found 'yes'" in problem


def test_platform_must_be_a_dialect_with_a_suggestion() -> None:
    [problem] = problems("name: r1\nplatform: nxso\n")
    assert "U205" in problem and "did you mean 'nxos'" in problem


@pytest.mark.parametrize(
    ("snippet", "fragment"),
    [
        ("management_ip: 10.0.0.300", "does not appear to be an IPv4 or IPv6 address"),
        ("interfaces:\n  Gi1: {ipv4: 10.0.0.1}", "needs a prefix length"),
        ("interfaces:\n  Gi1: {access_vlan: 4095}", "less than or equal to 4094"),
        ("groups: core", "groups: expected a list, found 'core'"),
    ],
)
def test_value_checks(snippet: str, fragment: str) -> None:
    [problem] = problems(f"name: r1\n{snippet}\n")
    assert fragment in problem


def test_top_level_must_be_a_mapping() -> None:
    assert problems("- r1\n") == [
        "devices/r1.yaml:1:1: U201 error: expected a mapping of keys at the top of the file, "
        "found a list"
    ]


def test_link_needs_two_endpoints_in_device_interface_form() -> None:
    found = problems("links:\n  - endpoints: [\"a:b\"]\n  - endpoints: [a, \"b:c\"]\n", "links")
    assert "a link has exactly 2 endpoints, found 1" in found[0]
    assert "'a' is not 'device:interface'" in found[1]


def test_json_schemas_cover_every_kind_and_forbid_unknown_keys() -> None:
    schemas = json_schemas()
    assert set(schemas) == {"settings", "defaults", "location", "group", "device", "links"}
    device = schemas["device"]
    assert device["additionalProperties"] is False
    assert "platform" in device["properties"] and device["required"] == ["name"]
