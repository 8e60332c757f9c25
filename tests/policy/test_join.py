"""Quantifiers that look their elements up (unet/policy/_join.py): the same findings as
walking every element, for a fraction of the work."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import unet.policy._compile as compile_module
from tests.helpers import fuzz
from tests.policy.helpers import BASE
from unet.inventory import load_inventory
from unet.policy import CheckRun, run_check
from unet.source import MemorySnapshot

# Values `==` treats in every way it can: 1 == 1.0, true is not 1, null equals nothing,
# NaN not even itself, a list or a mapping by its content, versions by number.
VALUES = ['"1"', "1", "1.0", "true", "false", "null", '"x"', '"X"', "[1]", "[1.0]",
          "{a: 1}", ".nan", ".inf", '"16.9"', '"16.09"', '"10.0.0.1/31"']
ADDRESSES = ["10.0.0.1/31", "10.0.0.1/24", "10.0.0.2/31", "10.0.1.1/31"]

RULES = [
    # the idioms of docs/policy-language.md: an equality in SATISFIES, in WHERE, nested
    'ASSERT NONE d IN fleet WHERE d.name != node.name SATISFIES d.vars.a == node.vars.a '
    'MESSAGE "{node.vars.a} as on {d.name}"',
    "ASSERT ANY d IN fleet WHERE d.vars.a == node.vars.b SATISFIES d.name != node.name",
    'ASSERT ALL d IN fleet WHERE d.vars.a == node.vars.a SATISFIES d.vars.b == node.vars.b '
    'MESSAGE "{d.name} has {d.vars.b}"',
    'ASSERT ALL i IN node.interfaces WHERE i.ipv4 IS NOT NULL SATISFIES NONE d IN fleet '
    'WHERE d.name != node.name SATISFIES ANY j IN d.interfaces WHERE j.mtu IS NOT NULL '
    'SATISFIES address(j.ipv4) == address(i.ipv4) AND j.mtu == i.mtu '
    'MESSAGE "{i.name} {i.ipv4} as on {d.name}"',
    "ASSERT ALL i IN node.interfaces SATISFIES NONE j IN node.interfaces "
    "WHERE j.name != i.name SATISFIES network(j.ipv4) == network(i.ipv4)",
    "ASSERT NONE d IN fleet SATISFIES d.name != node.name AND "
    "version(d.vars.b) == version(node.vars.b)",
    'ASSERT NONE d IN fleet SATISFIES lower(d.vars.a) == lower(node.vars.b) AND '
    'concat(d.name, "") != node.name',
    "ASSERT NONE d IN fleet SATISFIES ANY v IN d.vars.l SATISFIES v == node.vars.a",
    "ASSERT NONE d IN fleet SATISFIES d.vars.a == node.vars.a OR d.vars.b == node.vars.b",
    "ASSERT NONE d IN fleet WHERE d.name != node.name SATISFIES d.vars.l[0] == node.vars.l[-1]",
    "ASSERT ANY d IN fleet SATISFIES ANY j IN d.interfaces WHERE j.mtu == node.vars.a "
    "SATISFIES j.ipv4 == node.vars.b",
    'ASSERT ALL i IN node.interfaces SATISFIES ANY d IN fleet WHERE d.vars.a == i.mtu '
    'SATISFIES NOT (d.name == node.name) MESSAGE "{i.name}"',
    # not looked up (a search, an ALL inside): walked as before, said the same
    'ASSERT NONE d IN fleet SATISFIES d.vars.a == node.vars.a AND d.name MATCHES /r[0-3]/',
    "ASSERT NONE d IN fleet SATISFIES d.vars.a == node.vars.a AND "
    "ALL j IN d.interfaces SATISFIES j.mtu == 1500",
]


def _device(name: str, a: str, b: str, items: list[str],
            interfaces: list[tuple[str, int | None]]) -> str:
    lines = [f"name: {name}", "groups: [ios]", "role: core",
             f"vars: {{a: {a}, b: {b}, l: [{', '.join(items)}]}}"]
    if interfaces:
        lines.append("interfaces:")
        for number, (address, mtu) in enumerate(interfaces):
            mtu_text = f", mtu: {mtu}" if mtu is not None else ""
            lines.append(f"  Gi{number}: {{ipv4: {address}{mtu_text}}}")
    return "\n".join(lines) + "\n"


def _run(policy: str, files: dict[str, str], *, lookups: bool) -> CheckRun:
    with pytest.MonkeyPatch.context() as patch:
        if not lookups:
            patch.setattr(compile_module, "plan", lambda *args: None)
        snapshot = MemorySnapshot({**BASE, "policies/p.unet": policy, **files})
        inventory = load_inventory(snapshot)
        assert [str(d) for d in inventory.diagnostics] == []
        return run_check(snapshot, inventory, today=date(2026, 1, 1))


def _said(run: CheckRun) -> list[tuple[object, ...]]:
    """Everything a user sees of a run: findings, where and what, and its problems."""
    return [*sorted((f.rule, f.device, f.message, str(f.location),
                     tuple(map(str, f.related)), f.fingerprint) for f in run.result.findings),
            *sorted((str(d),) for d in [*run.policies.diagnostics, *run.result.diagnostics])]


DEVICES = st.lists(st.tuples(
    st.sampled_from(VALUES), st.sampled_from(VALUES), st.lists(st.sampled_from(VALUES), max_size=3),
    st.lists(st.tuples(st.sampled_from(ADDRESSES), st.sampled_from([1500, 9000, None])),
             max_size=3)), min_size=1, max_size=7)


@fuzz(60)
@given(devices=DEVICES, rule=st.sampled_from(RULES))
def test_a_lookup_finds_what_walking_every_element_finds(
        devices: list[tuple[str, str, list[str], list[tuple[str, int | None]]]],
        rule: str) -> None:
    files = {f"devices/d{n}.yaml": _device(f"d{n}", *device) for n, device in enumerate(devices)}
    policy = f"RULE t WHEN true THEN {rule}"
    assert _said(_run(policy, files, lookups=True)) == \
        _said(_run(policy, files, lookups=False))


def _large_fleet(count: int, interfaces: int) -> dict[str, str]:
    """`count` devices with unique addresses but for one pair, each with BGP neighbours
    that are other devices' router-ids but for one."""
    files = {}
    for n in range(count):
        ports = [f"10.{n // 250}.{n % 250}.{4 * i + 1}/30" for i in range(interfaces)]
        if n == count - 1:
            ports[-1] = "10.0.3.1/30"  # the address of device 3's first port
        peers = [f"10.254.0.{(n + k) % count}" for k in range(1, interfaces + 1)]
        if n == 5:
            peers[2] = "10.253.0.1"
        files[f"devices/f{n}.yaml"] = (
            f"name: f{n}\ngroups: [ios]\nrole: core\n"
            f"vars: {{router_id: 10.254.0.{n}, bgp_neighbors: [{', '.join(peers)}]}}\n"
            "interfaces:\n" + "".join(f"  Gi{i}: {{ipv4: {p}}}\n" for i, p in enumerate(ports)))
    return files


@pytest.mark.parametrize(("policy", "budget", "expected"), [
    ('ASSERT ALL i IN node.interfaces SATISFIES NONE d IN fleet WHERE d.name != node.name '
     'SATISFIES ANY j IN d.interfaces SATISFIES address(j.ipv4) == address(i.ipv4) '
     'MESSAGE "{i.name} {i.ipv4} as on {d.name}"', 2000,
     [("f119", "Gi7 10.0.3.1/30 as on f3"), ("f3", "Gi0 10.0.3.1/30 as on f119")]),
    ('ASSERT ALL n IN node.vars.bgp_neighbors SATISFIES ANY d IN fleet '
     'SATISFIES d.vars.router_id == n MESSAGE "neighbour {n} is no router of the fleet"', 500,
     [("f5", "neighbour 10.253.0.1 is no router of the fleet")]),
], ids=["addresses-unique", "neighbours-known"])
def test_a_check_across_the_fleet_takes_work_in_proportion_to_the_fleet(
        policy: str, budget: int, expected: list[tuple[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # 120 devices of 8 interfaces and 8 neighbours. Walking the fleet for each of them is
    # 122 x 8 x 8 = 7,808 steps a device for addresses, 122 x 8 = 976 for neighbours;
    # looked up, the first device walks it once and the others a few steps.
    monkeypatch.setattr(compile_module, "MAX_STEPS", budget)
    files = _large_fleet(120, 8)
    run = _run(f"RULE u WHEN true THEN {policy}", files, lookups=True)
    assert [str(d) for d in run.result.diagnostics] == []
    assert sorted((f.device, f.message) for f in run.result.findings) == expected
    walked = _run(f"RULE u WHEN true THEN {policy}", files, lookups=False)
    assert {d.code for d in walked.result.diagnostics} == {"P305"}  # out of budget


def test_a_devices_own_interfaces_are_looked_up_from_the_second_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compile_module, "MAX_STEPS", 2000)
    ports = "".join(f"  Gi{i}: {{ipv4: 10.0.{i // 250}.{i % 250}/32}}\n" for i in range(300))
    files = {"devices/big.yaml": f"name: big\ngroups: [ios]\ninterfaces:\n{ports}"
                                 "  Gi300: {ipv4: 10.0.0.5/32}\n"}
    policy = ("RULE own WHEN node.name == \"big\" THEN ASSERT ALL i IN node.interfaces SATISFIES "
              "NONE j IN node.interfaces WHERE j.name != i.name SATISFIES j.ipv4 == i.ipv4 "
              'MESSAGE "{i.name} as {j.name}"')
    run = _run(policy, files, lookups=True)
    assert [str(d) for d in run.result.diagnostics] == []
    assert sorted(f.message for f in run.result.findings) == ["Gi300 as Gi5", "Gi5 as Gi300"]
