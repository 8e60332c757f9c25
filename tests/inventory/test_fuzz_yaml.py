"""Fuzzing the YAML loader and the inventory built on it: any bytes give a document or
diagnostics at file:line:col, never an exception."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import MINIMAL, fuzz
from unet.core import Diagnostic, UnetError
from unet.inventory import Document, load_inventory, parse_yaml
from unet.source import MemorySnapshot

PIECES = st.sampled_from([
    "name: r1\n", "vars:\n", "  a: 1\n", "  - x\n", "- ", ": ", "? ", "key", "[", "]", "{", "}",
    ",", "'", '"', "&a ", "*a", "<<: *a\n", "!!str ", "!!binary ", "!!python/object:os.system ",
    "!custom ", "|\n", ">-\n", "---\n", "...\n", "%YAML 1.2\n", "%TAG ! tag:x,2024:\n", "# c\n",
    "\t", "\r\n", "\r", "\ufeff", "\u2028", "\x00", "\x85", "010", "0x1F", "0o17", "1e400", ".inf",
    "-.nan", "~", "null", "off", "yes", "1:30", "2024-01-01", "-0", "9" * 400, "  ", "\n",
    "interfaces:\n  Gi1: {description: x}\n", "groups: [a, a]\n", "a: &a [*a]\n", "a: b: c\n",
])


@st.composite
def yaml_text(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.binary(max_size=200))
    if kind == 1:
        return draw(st.text(max_size=200)).encode("utf-8", errors="surrogatepass")
    text = "".join(draw(st.lists(PIECES, max_size=30)))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


def _well_placed(problems: list[Diagnostic], path: str) -> bool:
    return all(d.code.startswith("U") and d.location.path == path and d.location.line >= 0
               for d in problems)


@fuzz(300)
@given(yaml_text())
def test_fuzz_parse_yaml(data: bytes) -> None:
    document, problems = parse_yaml(data, "devices/hq/r9.yaml")
    assert (document is None) == bool(problems)
    assert document is None or isinstance(document, Document)
    assert _well_placed(problems, "devices/hq/r9.yaml")


# Data the schema knows, with values of every type: the loader, the schema, resolution
# (groups, locations, defaults) and the integrity checks all see it.
KEYS = st.sampled_from(["name", "platform", "vendor", "role", "lifecycle", "location", "groups",
                        "templates", "interfaces", "vars", "management_ip", "os_version",
                        "parent", "type", "tags", "connection", "description", "mtu", "links",
                        "endpoints", "unknown_key", "Gi1", "r1", "ios", "hq"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                    st.floats(allow_nan=True), st.sampled_from(
                        ["r1", "r2", "hq", "ios", "junos", "core", "live", "10.0.0.1", "Gi1",
                         "r1:Gi1", "10.0.0.0/8", "x" * 300, "", "bogus"]), st.text(max_size=10))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)), max_leaves=20)
FILES = st.sampled_from(["devices/hq/r1.yaml", "devices/hq/r3.yaml", "groups/ios.yaml",
                         "locations/hq.yaml", "links/hq.yaml", "defaults.yaml", "unet.yaml"])


@fuzz(120)
@given(st.dictionaries(FILES, st.one_of(st.dictionaries(KEYS, VALUES, max_size=8), VALUES,
                                        yaml_text()), max_size=3))
def test_fuzz_load_inventory(files: dict[str, object]) -> None:
    repo: dict[str, str | bytes] = dict(MINIMAL)
    for path, content in files.items():
        repo[path] = content if isinstance(content, bytes) else yaml.safe_dump(content)
    try:
        inventory = load_inventory(MemorySnapshot(repo))
    except UnetError as exc:  # a run that cannot go on, with every diagnostic found
        assert all(isinstance(d, Diagnostic) for d in exc.diagnostics)
        return
    assert all(d.code[:1] in "UI" and d.location.path for d in inventory.diagnostics)


@pytest.mark.parametrize(("links", "code"), [
    ("{}\n", "U203"),  # no `links:` at all
    ('links:\n  - endpoints: ["r1"]\n', "U205"),  # one bad entry drops the list
])
def test_what_fuzzing_found_links_without_a_list(links: str, code: str) -> None:
    inventory = load_inventory(MemorySnapshot({**MINIMAL, "links/hq.yaml": links}))
    assert [d.code for d in inventory.diagnostics if d.location.path == "links/hq.yaml"] == [code]
    assert inventory.links == [] and set(inventory.devices) == {"r1", "r2"}
