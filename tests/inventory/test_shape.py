from __future__ import annotations

import subprocess
import sys

import jsonschema
import pytest

from unet.inventory import MODELS, json_schemas, parse_yaml
from unet.inventory._schema import validate_document
from unet.inventory.shape import REQUIRED, Choice, Field, Int, ListOf, MapOf, Model, Str


def problems(text: str, kind: str = "device") -> list[str]:
    document, parse_problems = parse_yaml(text.encode(), "devices/r1.yaml")
    assert parse_problems == []
    return [str(d) for d in validate_document(document, MODELS[kind])[0]]


@pytest.mark.parametrize("timeout", ['"30"', "true", "0", "601"])
def test_connection_timeout_is_a_number_in_range(timeout: str) -> None:
    [problem] = problems(f"name: r1\nconnection: {{timeout: {timeout}}}\n")
    assert problem.startswith("devices/r1.yaml:2:23: ") and "connection.timeout" in problem


def test_fractional_timeout_is_fine() -> None:
    assert problems("name: r1\nconnection: {timeout: 2.5}\n") == []


def test_a_number_as_a_key_says_to_quote_it_at_the_key() -> None:
    assert problems("name: r1\ninterfaces:\n  1: {mtu: 1500}\n") == [
        'devices/r1.yaml:3:3: U204 error: interfaces: the key 1 should be a string; '
        'quote it: "1":'
    ]


def test_quoting_hint_for_a_list_item_is_a_list_item() -> None:
    [problem] = problems("name: r1\ntags: [core, 7]\n")
    assert problem.endswith('tags[1]: expected a string, found 7 (a number); '
                            'quote it to keep it as written: - "7"')


def test_protect_entry_is_a_match_expression_or_a_mapping_reported_once() -> None:
    found = problems("protect: ['interface Gi0/0', 5, {mtch: x}, {match: 'x', reason: 5}]\n",
                     "settings")
    assert found == [
        "devices/r1.yaml:1:30: U205 error: protect[1]: should be a match expression or a "
        "mapping with 'match', found 5 (a number)",
        "devices/r1.yaml:1:34: U202 error: unknown key 'mtch' in protect[2] "
        "(did you mean 'match'?)",
        "devices/r1.yaml:1:33: U203 error: missing required key 'protect[2].match'",
        'devices/r1.yaml:1:65: U204 error: protect[3].reason: expected a string, found 5 '
        '(a number); quote it to keep it as written: reason: "5"',
    ]


def test_a_link_of_the_wrong_length_is_one_problem() -> None:
    document, _ = parse_yaml(b"links:\n  - endpoints: [r1]\n", "links/a.yaml")
    [problem] = validate_document(document, MODELS["links"])[0]
    assert "a link has exactly 2 endpoints, found 1" in str(problem)


def test_settings_are_read_with_every_default_and_defaults_are_not_shared() -> None:
    settings, issues = MODELS["settings"].validate({"protect": ["interface Gi0/0"]})
    assert issues == []
    assert settings["backup"] == {"scrub": True} and settings["unclaimed"] == "ignore"
    assert settings["protect"] == ["interface Gi0/0"] and "access" in settings["roles"]
    settings["roles"].append("mine")
    assert "mine" not in MODELS["settings"].defaults()["roles"]


def test_nested_model_gets_its_defaults() -> None:
    settings, _ = MODELS["settings"].validate({"normalizers": [{"pattern": "a"}],
                                                "protect": [{"match": "x"}]})
    assert settings["normalizers"] == [{"pattern": "a", "replace": "", "platforms": None}]
    assert settings["protect"] == [{"match": "x", "reason": None, "platforms": None}]


def test_choice_is_not_fooled_by_equal_values_of_another_type() -> None:
    [problem] = problems("version: true\n", "settings")
    assert "version: true is not one of 1" in problem


def test_issues_come_in_document_order_with_paths() -> None:
    model = Model("T", "a test model", {
        "a": Field(Int(ge=1), REQUIRED, nullable=False),
        "b": Field(ListOf(Choice("x", "y"))),
        "c": Field(MapOf(Str(min_length=2))),
    })
    _, issues = model.validate({"c": {"k": "v"}, "b": ["x", "z"], "d": 1})
    assert [(i.loc, i.kind) for i in issues] == [
        (("c", "k"), "string_too_short"), (("b", 1), "literal_error"),
        (("d",), "extra_forbidden"), (("a",), "missing")]


def test_json_schemas_accept_the_example_files_and_reject_a_typo() -> None:
    schemas = json_schemas()
    device = {"name": "r1", "platform": "ios", "interfaces": {"Gi1": {"mtu": 1500}, "Gi2": None},
              "connection": {"timeout": 2.5}}
    jsonschema.validate(device, schemas["device"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "r1", "platfrom": "ios"}, schemas["device"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"links": [{"endpoints": ["a:b"]}]}, schemas["links"])
    jsonschema.validate({"protect": ["x", {"match": "y"}], "version": 1}, schemas["settings"])


def test_loading_an_inventory_builds_no_validation_library() -> None:
    code = ("import sys; from unet.inventory import load_inventory; "
            "from unet.source import MemorySnapshot; "
            "load_inventory(MemorySnapshot({'unet.yaml': b'', 'devices/r1.yaml': b'name: r1\\n'})); "
            "print('pydantic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("text", ["name: r1\ntrue: x\n", "name: r1\ninterfaces: {Gi0: {null: x}}\n",
                                  "name: r1\nconnection: {1: x}\n"])
def test_a_key_that_is_not_a_string_says_so_at_every_level(text: str) -> None:
    [problem] = problems(text)
    assert "should be a string; quote it" in problem and "unknown key" not in problem


def test_a_number_key_drops_only_itself() -> None:
    from unet.inventory import load_inventory
    from unet.source import MemorySnapshot

    inventory = load_inventory(MemorySnapshot({
        "unet.yaml": b"", "devices/r1.yaml": b"name: r1\nplatform: ios\ninterfaces:\n"
                                              b"  1: {description: x}\n  Gi0: {mtu: 1500}\n"}))
    assert inventory.devices["r1"].data["interfaces"] == {"Gi0": {"mtu": 1500}}


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_a_timeout_is_a_finite_number(value: str) -> None:
    [problem] = problems(f"name: r1\nconnection: {{timeout: {value}}}\n")
    assert "connection.timeout" in problem


def test_version_one_may_be_written_as_a_float() -> None:
    assert problems("version: 1.0\n", "settings") == []


def test_a_huge_integer_is_refused_where_it_is_written() -> None:
    _, found = parse_yaml(b"name: r1\nmtu: 0x" + b"f" * 5000 + b"\n", "devices/r1.yaml")
    assert [str(d) for d in found] == [
        "devices/r1.yaml:2:6: U101 error: a 5002-digit integer is too large for any setting; "
        "quote it to keep it as text"]


def test_a_bad_list_item_in_settings_drops_only_that_item() -> None:
    from unet.inventory import load_inventory
    from unet.source import MemorySnapshot

    settings = load_inventory(MemorySnapshot({"unet.yaml": (
        b"roles: [core, router, 1]\nunclaimed: remove\n"
        b"protect: ['interface Gi0/0', {match: x, platform: [ios]}]\n")})).settings
    assert settings["roles"] == ["core", "router"] and settings["unclaimed"] == "remove"
    assert settings["protect"] == ["interface Gi0/0"]
