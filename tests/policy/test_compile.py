"""Mistakes found before any device is evaluated: unknown fields, bad regexes, bad matches."""

from __future__ import annotations

import pytest

from unet.policy import load_policies
from unet.source import MemorySnapshot


def problems(policy: str) -> list[str]:
    policies = load_policies(MemorySnapshot({"policies/p.unet": policy}))
    return [str(d) for d in policies.diagnostics]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ('WHEN node.vendr == "cisco" THEN ASSERT true',
         "policies/p.unet:1:6: P201 error: unknown field 'node.vendr' (did you mean 'node.vendor'?); "
         "device fields are: "),
        ('WHEN vendr == "cisco" THEN ASSERT true',
         "policies/p.unet:1:6: P201 error: unknown field 'vendr' (did you mean 'vendor'?)"),
        ("WHEN ANY i IN node.interfaces SATISFIES i.mtuu > 1 THEN ASSERT true",
         "policies/p.unet:1:41: P201 error: unknown field 'i.mtuu' (did you mean 'i.mtu'?); "
         "interface fields are: "),
        ("WHEN node.vars.anything.goes == 1 THEN ASSERT custom_data.x.y IS 2", None),
        ("WHEN node.model MATCHES /c(93/ THEN ASSERT true",
         "policies/p.unet:1:27: P202 error: invalid regex: missing )"),
        ('WHEN running HAS "interface .*||(foo" THEN ASSERT true',
         "policies/p.unet:1:33: P204 error: invalid match expression: missing ), unterminated subpattern "
         "(level 2)"),
        ("WHEN node.name HAS \"x\" THEN ASSERT true", "policies/p.unet:1:6: P207 error: HAS looks into a"),
        ("WHEN frobnicate(node.name) THEN ASSERT true",
         "policies/p.unet:1:6: P203 error: unknown function 'frobnicate'"),
        ("WHEN version(1, 2) THEN ASSERT true",
         "policies/p.unet:1:6: P203 error: version() takes exactly one argument"),
        ('WHEN true THEN SET running TO "x"', "policies/p.unet:1:20: P206 error: SET can change the device's"),
        ("WHEN derived.cpu > 1 THEN ASSERT true",
         "policies/p.unet:1:6: P210 warning: 'derived.cpu' is not collected by `unet pull`, so it is always null"),
        ("WHEN derived.os_versoin == \"1\" THEN ASSERT true",
         "policies/p.unet:1:6: P210 warning: 'derived.os_versoin' is not collected by `unet pull` (did you mean 'os_version'?)"),
        ("WHEN derived.os_version == \"1\" THEN ASSERT true", None),
        ("WHEN ANY n IN derived.lldp_neighbors SATISFIES n.neighbour == \"x\" THEN ASSERT true",
         "policies/p.unet:1:48: P201 error: unknown field 'n.neighbour' (did you mean 'n.neighbor'?)"),
        ('WHEN true THEN ASSERT node.name == "x" MESSAGE "mtu {node.interfaces[\\"Gi1\\"].mtu}"',
         "policies/p.unet:1:40: P201 error: MESSAGE placeholder {node.interfaces[\"Gi1\"].mtu} is "
         "not a field: placeholders take dotted names"),
        ('WHEN true THEN ASSERT node.name == "x" MESSAGE "{len(node.name)}"',
         "policies/p.unet:1:40: P201 error: MESSAGE placeholder {len(node.name)} is not a field"),
        ('WHEN true THEN ASSERT node.name == "x" MESSAGE "{node.interfaces.Gi0/0.mtu} {{x}}"',
         None),
    ],
)
def test_compile_errors(policy: str, expected: str | None) -> None:
    found = problems(policy)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith(expected), found


def test_duplicate_rule_ids_across_files() -> None:
    policies = load_policies(MemorySnapshot({
        "policies/a.unet": "RULE x WHEN true THEN ASSERT true",
        "policies/b.unet": "\nRULE x WHEN true THEN ASSERT false"}))
    assert [str(d) for d in policies.diagnostics] == [
        "policies/b.unet:2:1: P205 error: rule id 'x' is already used at policies/a.unet:1:1; "
        "ids must be unique"]


def test_all_files_all_errors_at_once() -> None:
    policies = load_policies(MemorySnapshot({
        "policies/a.unet": "WHEN x = 1 THEN ASSERT true\nWHEN node.vendr == 1 THEN ASSERT true",
        "policies/b.rules": "WHEN true ASSERT true",
        "policies/c.policy": b"WHEN \xff THEN ASSERT true"}))
    assert [(d.location.path, d.code) for d in policies.diagnostics] == [
        ("policies/a.unet", "P101"), ("policies/a.unet", "P201"), ("policies/b.rules", "P101"),
        ("policies/c.policy", "P104")]


def test_a_policy_file_that_is_not_utf8_is_named_at_the_bad_byte() -> None:
    policies = load_policies(MemorySnapshot({
        "policies/c.unet": "RULE r \"Zürich\"\nWHEN true THEN ASSERT node.name == \"".encode()
                           + b"\xff\"\n"}))
    assert [str(d.location) for d in policies.diagnostics] == ["policies/c.unet:2:37"]


def test_an_apply_of_a_template_not_in_the_repository_is_an_error_where_it_is_written() -> None:
    files = {"templates/ios/base.j2": "hostname {{ name }}\n",
             "policies/p.unet": 'RULE a WHEN true THEN APPLY "ios/bse.j2"\n'
                                'RULE b WHEN true THEN APPLY "../../etc/passwd"\n'
                                'RULE c WHEN true THEN APPLY "ios/base.j2"\n'}
    policies = load_policies(MemorySnapshot(files))
    assert [str(d) for d in policies.diagnostics] == [
        "policies/p.unet:1:23: P209 error: APPLY 'ios/bse.j2': no such template under "
        "templates/ (did you mean 'ios/base.j2'?)",
        "policies/p.unet:2:23: P209 error: APPLY '../../etc/passwd': no such template under "
        "templates/"]
    assert not policies.ok
