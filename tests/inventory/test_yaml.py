from __future__ import annotations

import math

import pytest

from unet.inventory import MAX_FILE_BYTES, parse_yaml


def load(text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    document, diagnostics = parse_yaml(data, "f.yaml")
    return document, [str(d) for d in diagnostics]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("shutdown: off", "off"),
        ("cdp: no", "no"),
        ("answer: yes", "yes"),
        ("vlan: 010", 10),
        ("timer: 1:30", "1:30"),
        ("flag: true", True),
        ("flag: FALSE", False),
        ("value: ~", None),
        ("value: null", None),
        ("hex: 0x1F", 31),
        ("octal: 0o17", 15),
        ("version: 16.9", 16.9),
        ("version: 17.9.4", "17.9.4"),
        ("quoted: '010'", "010"),
        ("date: 2024-01-31", "2024-01-31"),
        ("inf: .inf", math.inf),
    ],
)
def test_yaml_1_2_core_scalars(source: str, expected: object) -> None:
    document, problems = load(source + "\n")
    assert problems == []
    assert list(document.data.values()) == [expected]


def test_duplicate_key_names_both_lines() -> None:
    _, problems = load("name: r1\nrole: core\nname: r2\n")
    assert problems == ["f.yaml:3:1: U102 error: duplicate key 'name'; first defined at line 1"]


def test_keys_equal_once_read_are_duplicates_shown_as_written() -> None:
    _, problems = load("1: a\ntrue: b\n")
    assert problems == ["f.yaml:2:1: U102 error: duplicate key 'true' (the same key as '1' "
                        "once read); first defined at line 1"]


def test_a_nan_key_is_refused() -> None:
    _, problems = load("vars:\n  .nan: 1\n  .NaN: 2\n")
    assert problems == ["f.yaml:2:3: U101 error: a mapping key cannot be .nan; quote it"]


def test_nested_duplicate_keys_are_all_reported() -> None:
    _, problems = load("interfaces:\n  Gi1: {mtu: 1500, mtu: 9000}\n  Gi1: {}\n")
    assert len(problems) == 2
    assert all("U102" in p for p in problems)


def test_every_value_keeps_its_position() -> None:
    document, _ = load("a:\n  b: 1\n  c: [x, y]\n")
    assert str(document.location(("a", "b"))) == "f.yaml:2:6"
    assert str(document.location(("a", "b"), key=True)) == "f.yaml:2:3"
    assert str(document.location(("a", "c", 1))) == "f.yaml:3:10"
    # Unknown paths fall back to the nearest known parent.
    assert str(document.location(("a", "zzz"))) == "f.yaml:2:3"


def test_anchors_aliases_and_merge_keys() -> None:
    document, problems = load("base: &b {mtu: 9000, mode: trunk}\nport:\n  <<: *b\n  mode: access\n")
    assert problems == []
    assert document.data["port"] == {"mode": "access", "mtu": 9000}


def test_alias_bomb_is_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    document, problems = load("\n".join(lines) + "\n")
    assert document is None
    assert problems and "U103" in problems[0] and "alias bomb" in problems[0]


def test_deep_nesting_is_refused() -> None:
    document, problems = load("a: " + "[" * 200 + "]" * 200 + "\n")
    assert document is None
    assert "U103" in problems[0]


def test_syntax_error_points_at_the_problem() -> None:
    _, problems = load("name: r1\ninterfaces:\n  Gi1: {mtu: 1500,\n    x: 1\n  Gi2: 3\n")
    assert problems[0].startswith("f.yaml:5:6: U101 error: invalid YAML")


@pytest.mark.parametrize(("text", "where", "what"), [
    ("name: r1\ninterfaces:\n  Gi1: {mtu: 1500\n", "3:8", "the { mapping"),
    ("name: r1\nmodel: [x\n\n# end\n", "2:8", "the [ list"),
    ("name: r1\ndescription: 'core\n", "2:14", "the quoted string"),
])
def test_an_unclosed_bracket_or_quote_is_reported_where_it_opens(text: str, where: str,
                                                                 what: str) -> None:
    """Not past the end of the file, where there is nothing to edit."""
    _, problems = load(text)
    assert problems == [f"f.yaml:{where}: U101 error: invalid YAML: {what} that starts here "
                        f"is never closed" + problems[0].split("never closed")[1]]


def test_tab_indentation_explained() -> None:
    _, problems = load("a:\n\tb: 1\n")
    assert "tabs are not allowed" in problems[0]
    assert problems[0].startswith("f.yaml:2:1:")


@pytest.mark.parametrize("source", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_files(source: str) -> None:
    document, problems = load(source)
    assert document is None
    assert "U104" in problems[0]


def test_non_utf8_names_the_byte_position() -> None:
    _, problems = load(b"name: r1\ndescription: caf\xe9\n")
    assert problems == [
        "f.yaml:2:17: U105 error: file is not UTF-8 (byte 0xe9); save it as UTF-8"
    ]


def test_huge_file_is_refused_without_parsing() -> None:
    document, problems = load(b"a: " + b"x" * (MAX_FILE_BYTES + 1))
    assert document is None
    assert "U106" in problems[0] and "MiB" in problems[0]


def test_custom_tags_are_reported() -> None:
    _, problems = load("password: !vault abc\n")
    assert problems == [
        "f.yaml:1:11: U107 error: unsupported YAML tag '!vault'; unet reads plain YAML data "
        "(strings, numbers, booleans, null, lists and mappings)"
    ]


def test_every_bad_tag_and_number_is_reported_in_one_run() -> None:
    document, problems = load("name: r1\na: !vault x\nb: !!int abc\nc: " + "1" * 80 +
                              "\nd: !!set {a, b}\n!!python/name:os.system : 1\n")
    assert document is None
    assert [p.split(" error:")[0] for p in problems] == [
        "f.yaml:2:4: U107", "f.yaml:3:4: U101", "f.yaml:4:4: U101", "f.yaml:5:4: U107",
        "f.yaml:6:1: U107"]


def test_byte_order_mark_is_accepted() -> None:
    document, problems = load("\ufeffname: r1\n".encode())
    assert problems == [] and document.data == {"name": "r1"}
