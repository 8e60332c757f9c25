"""Conformance over the shared public corpus (skipped when ../shared/corpus is absent)."""

from __future__ import annotations

import re

import pytest

from unet.config import apply, detect_dialect, diff, emit, get_dialect, parse, remediate, rollback

from .conftest import CORPUS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")

_FOLDERS = {
    "batfish-example-ios": "ios",
    "batfish-example-junos": "junos",
    "batfish-grammar/iosxr": "iosxr",
    "batfish-grammar/nxos": "nxos",
    "batfish-grammar/junos": "junos",
}
CIRCULAR = ("ios", "iosxr", "nxos", "eos", "junos")


def _files():
    if not CORPUS.is_dir():
        return []
    found = []
    for folder, dialect in _FOLDERS.items():
        found += [(p, dialect) for p in sorted((CORPUS / folder).rglob("*")) if p.is_file()]
    for path in sorted((CORPUS / "hier-config-fixtures").rglob("*.conf")):
        dialect = path.name.split("_")[0]
        if dialect in CIRCULAR:
            found.append((path, dialect))
        elif "junos" in path.name:
            found.append((path, "junos"))
        elif path.parent.name == "misc":
            found.append((path, "ios"))
    return found


def _meaningful(text: str, dialect: str) -> list[str]:
    """Stripped lines minus comments, noise and sectional exits."""
    rules = get_dialect(dialect)
    drop = {"", *rules.noise_lines, *(r.text for r in rules.exits)}
    lines = [line.strip() for line in text.splitlines()]
    return [
        line for line in lines
        if (line not in drop
        and not line.startswith((*rules.comment_prefixes, *rules.noise_prefixes)))
        or line.startswith(rules.keep_prefixes or ("\0",))
    ]


@pytest.mark.parametrize(("path", "dialect"), _files(), ids=lambda v: getattr(v, "name", v))
def test_every_corpus_file_parses_and_round_trips(path, dialect):
    text = path.read_text(encoding="utf-8", errors="replace")
    tree = parse(text, dialect, path=str(path))
    again = parse(emit(tree), dialect)
    assert again == tree
    if get_dialect(dialect).syntax == "indent" and not tree.diagnostics and "banner" not in text:
        assert sorted(_meaningful(emit(tree), dialect)) == sorted(_meaningful(text, dialect))
    detect_dialect(text)  # never raises


def _pair(kind: str, name: str):
    base = CORPUS / "batfish-example-ios"
    return parse((base / "live" / name).read_text(), "ios"), parse((base / kind / name).read_text(), "ios")


def test_batfish_as2dept1_reports_exactly_the_change():
    running, intended = _pair("candidate", "as2dept1.cfg")
    result = diff(running, intended)
    assert [(c.kind, c.path, c.text) for c in result.changes] == [
        ("missing", ("interface GigabitEthernet2/0",), "ip access-group RESTRICT_HOST_TRAFFIC_IN out"),
        ("missing", ("interface GigabitEthernet3/0",), "ip access-group RESTRICT_HOST_TRAFFIC_OUT out"),
    ]


@pytest.mark.parametrize(
    "name",
    [p.name for p in sorted((CORPUS / "batfish-example-ios" / "live").glob("*.cfg"))
     if p.name != "as2dept1.cfg"] if CORPUS.is_dir() else [],
)
def test_batfish_other_pairs_report_nothing(name):
    running, intended = _pair("candidate", name)
    assert not diff(running, intended)


@pytest.mark.parametrize("platform", CIRCULAR)
def test_hier_config_circular_remediation_and_rollback(platform):
    base = CORPUS / "hier-config-fixtures" / "circular"
    running = parse((base / f"{platform}_running.conf").read_text(), platform)
    intended = parse((base / f"{platform}_generated.conf").read_text(), platform)
    result = diff(running, intended)
    rules = get_dialect(platform)
    assert not diff(apply(running, remediate(result), rules), intended)
    assert not diff(apply(intended, rollback(result), rules), running)


# Brace files in the corpus written the way a JunOS device prints them.
JUNOS_DEVICE_FORM = ("gh-8744", "interface-vtnet", "nested-config", "nested-config-with-secret-data",
                     "switch-options-with-route-instance", "nested-config-with-multiline-comment")


def _statements(text: str) -> list[str]:
    """Brace text as statements: comments and blank lines dropped, whitespace collapsed."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    lines = (re.sub(r"\s*##.*$", "", line).strip() for line in text.splitlines())
    return [" ".join(line.split()) for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("name", JUNOS_DEVICE_FORM)
def test_junos_brace_output_reproduces_device_form(name):
    text = (CORPUS / "batfish-grammar" / "junos" / name).read_text()
    assert _statements(emit(parse(text, "junos"))) == _statements(text)


def _junos_set_files():
    if not CORPUS.is_dir():
        return []
    files = [*(CORPUS / "batfish-example-junos").glob("*"),
             *(CORPUS / "batfish-grammar" / "junos").glob("*")]
    # batfish-example-junos also holds IOS routers; keep the files in `set` form.
    return [p for p in sorted(files) if "\nset " in p.read_text(errors="replace")]


@pytest.mark.parametrize("path", _junos_set_files(), ids=lambda p: p.name)
def test_junos_set_files_give_brace_and_set_that_read_back(path):
    text = path.read_text(errors="replace")
    tree = parse(text, "junos")
    brace = emit(tree, form="brace")
    assert parse(brace, "junos") == tree and not parse(brace, "junos").diagnostics
    assert " { " not in brace and "{\n" in brace  # no `from protocol { direct; }` shapes
    assert parse(emit(tree, form="set"), "junos") == tree
