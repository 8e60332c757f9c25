"""Checks teams write: across links and the fleet, functions, lookups, every failing element."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import git_examples
from tests.policy.helpers import BASE, check, failing, findings, report
from unet.index import CheckOptions, indexed_check, intended_configs
from unet.source import worktree_snapshot

PEERS = {
    "devices/r2.yaml": "name: r2\ngroups: [ios]\nvars: {router_id: 10.0.0.9}\n"
                       "interfaces: {Gi1: {mtu: 1500, ipv4: 10.1.0.1/31}}\n",
    "devices/r3.yaml": "name: r3\ngroups: [ios]\nvars: {router_id: 10.0.0.9}\n"
                       "interfaces: {Gi1: {mtu: 9000, ipv4: 10.1.0.0/31}}\n",
}


def test_a_link_reaches_the_peer_device_and_its_interface() -> None:
    assert failing("ALL l IN node.links SATISFIES "
                   "l.peer_node.interfaces[l.peer_interface].mtu == node.interfaces[l.interface].mtu",
                   PEERS) == ["r1", "r2"]  # r1 Gi1 (9000) -- r2 Gi1 (1500)
    # `l.peer` is the peer's name; followed by a field it is the peer device too.
    assert failing("ALL l IN node.links SATISFIES l.peer STARTSWITH \"r\" AND "
                   "l.peer.interfaces[l.peer_interface].mtu == node.interfaces[l.interface].mtu",
                   PEERS) == ["r1", "r2"]


def test_uniqueness_across_the_fleet_reports_every_offending_device_at_its_line() -> None:
    run = check("RULE rid WHEN node.vars.router_id IS NOT NULL THEN ASSERT NONE d IN fleet "
                "WHERE d.name != node.name SATISFIES d.vars.router_id == node.vars.router_id "
                'MESSAGE "router-id {node.vars.router_id} is also used by {d.name}"', PEERS)
    assert [(f.device, f.message, f.location.path, f.location.line)
            for f in sorted(run.result.findings, key=lambda f: f.device)] == [
        ("r2", "router-id 10.0.0.9 is also used by r3", "devices/r2.yaml", 3),
        ("r3", "router-id 10.0.0.9 is also used by r2", "devices/r3.yaml", 3)]
    assert run.policies.reaches_other_devices


@pytest.mark.parametrize(("condition", "failing_devices"), [
    ('split("a, b", ",")[1] == " b" AND trim(" x ") == "x" AND node.name IS NOT NULL', []),
    ('replace(node.name, "r", "router-") == "router-1"', ["r2"]),
    ('concat(node.name, "-", node.role) == "r1-core"', ["r2"]),  # r2 has no role: null
    ('int("65001") == node.vars.asn', ["r2"]),
    ('address("10.0.0.1/24") == "10.0.0.1" AND network("10.0.0.1 255.255.255.0") == '
     '"10.0.0.0/24" AND prefixlen("10.0.0.1/31") == 31 AND node.name IS NOT NULL', []),
    ('in_subnet(node.management_ip, "10.0.0.0/8")', ["r2"]),
    ('capture(node.os_version, /^(\\d+)\\./) == "16"', ["r2"]),
    ('capture("Gi1/0/3", "/([0-9]+)$", 1) == "3" AND node.name IS NOT NULL', []),
    ('node.vars.ntp_servers[-1] == "10.0.0.2"', ["r2"]),
    ('running.lines("line vty .*||transport input .*")[-1] == "transport input ssh"', ["r2"]),
    ('node.interfaces[node.vars.uplink].mtu == 9000', ["r2"]),
], ids=["split-trim", "replace", "concat", "int", "address-network-prefixlen", "in-subnet",
        "capture", "capture-string-pattern", "last-element", "last-line", "lookup-by-value"])
def test_functions_and_lookups(condition: str, failing_devices: list[str]) -> None:
    files = {"devices/r1.yaml": BASE["devices/r1.yaml"].replace("  asn: 65001\n",
                                                               "  asn: 65001\n  uplink: Gi1\n")}
    assert failing(condition, files) == failing_devices


def test_values_from_one_line_find_another() -> None:
    config = ("hostname r1\nrouter bgp 65001\n neighbor 10.9.0.1 remote-as 65002\n"
              " neighbor 10.9.0.1 password 7 0822455D0A16\n neighbor 10.9.0.3 remote-as 65003\n")
    found = findings(
        'RULE bgp-password WHEN running HAS "router bgp .*" THEN ASSERT ALL n IN '
        'running.lines(concat("router bgp ", running.value("router bgp (\\d+)"), '
        '"||neighbor \\S+ remote-as .*")) SATISFIES running HAS concat("router bgp .*||neighbor ", '
        'escape(split(n)[1]), " password .*") MESSAGE "{n} has no password"',
        {"configs/r1.cfg": config})
    assert [(f.device, f.message) for f in found] == [
        ("r1", "neighbor 10.9.0.3 remote-as 65003 has no password")]


def test_all_reports_every_failing_element_with_a_count() -> None:
    found = findings('RULE ntp WHEN true THEN ASSERT ALL s IN ["10.0.0.1", "10.0.0.2", "10.0.0.3"]'
                     " SATISFIES node.vars.ntp_servers CONTAINS s "
                     'MESSAGE "lacks NTP server {s}"')
    assert sorted((f.device, f.message) for f in found) == [
        ("r1", "lacks NTP server 10.0.0.3"), ("r2", "lacks NTP server 10.0.0.1"),
        ("r2", "lacks NTP server 10.0.0.2"), ("r2", "lacks NTP server 10.0.0.3")]
    assert len({f.fingerprint for f in found}) == 4
    # Without a MESSAGE, each says which element failed, and how many did.
    found = findings('RULE ntp WHEN true THEN ASSERT ALL s IN ["10.0.0.1", "10.0.0.3"]'
                     " SATISFIES node.vars.ntp_servers CONTAINS s")
    assert [f.message for f in found if f.device == "r2"] == [
        'expected ALL s IN ["10.0.0.1", "10.0.0.3"] SATISFIES node.vars.ntp_servers CONTAINS s;'
        ' node.vars.ntp_servers is ["10.9.9.9"]; failed for s = "10.0.0.1" (1 of 2)',
        'expected ALL s IN ["10.0.0.1", "10.0.0.3"] SATISFIES node.vars.ntp_servers CONTAINS s;'
        ' node.vars.ntp_servers is ["10.9.9.9"]; failed for s = "10.0.0.3" (2 of 2)']


def test_all_stops_listing_at_its_limit_and_says_how_many_more() -> None:
    items = ", ".join(str(i) for i in range(80))
    found = [f for f in findings(f"RULE many WHEN true THEN ASSERT ALL x IN [{items}] "
                                 "SATISFIES x < 0") if f.device == "r1"]
    assert len(found) == 50
    assert found[-1].message.endswith("(50 of 80); 30 more not shown")


def test_one_inheritance_layer_is_compared_with_the_merged_value() -> None:
    files = {"locations/hq.yaml": "name: hq\nvars: {ntp_servers: [10.0.0.1, 10.0.0.2]}\n",
             "devices/r2.yaml": "name: r2\ngroups: [ios]\nlocation: hq\n"
                                "vars: {ntp_servers: [10.0.0.1, 10.0.0.9]}\n"}
    found = findings("RULE site-ntp WHEN node.inherited.location.vars.ntp_servers IS NOT NULL "
                     "THEN ASSERT ALL s IN node.inherited.location.vars.ntp_servers "
                     "SATISFIES node.vars.ntp_servers CONTAINS s, "
                     "ASSERT ALL s IN node.vars.ntp_servers "
                     "SATISFIES node.inherited.location.vars.ntp_servers CONTAINS s "
                     'MESSAGE "{s} is not in both lists"', files)
    assert sorted((f.device, f.message) for f in found) == [
        ("r2", "10.0.0.2 is not in both lists"), ("r2", "10.0.0.9 is not in both lists")]
    # The location layer alone, not the merged value: the device's own list differs.
    assert failing('node.inherited.location.vars.ntp_servers == ["10.0.0.1", "10.0.0.2"]',
                   files) == ["r1"]  # r1 has no location: null
    assert failing('node.inherited.device.vars.ntp_servers == ["10.0.0.1", "10.0.0.9"]',
                   files) == ["r1"]


def test_a_fleet_rule_sees_a_change_to_another_device_from_a_warm_index(tmp_path: Path) -> None:
    root = git_examples(tmp_path / "net")
    first = json.loads(report(root, cache=True))
    assert not [f for f in first["findings"] if f["rule"] == "router-id-unique"]
    leaf = root / "devices" / "dc1" / "dc1-leaf-02.yaml"
    leaf.write_text(leaf.read_text().replace("router_id: 10.3.255.12", "router_id: 10.3.255.11"))
    warm, fresh = report(root, cache=True), report(root, cache=False)
    assert warm == fresh
    assert sorted(f["device"] for f in json.loads(fresh)["findings"]
                  if f["rule"] == "router-id-unique") == ["dc1-leaf-01", "dc1-leaf-02"]
    # With nothing changed, the next run is answered whole from the index.
    options = CheckOptions(today=date(2026, 11, 27))
    assert indexed_check(root, worktree_snapshot(root), options,
                         intended=intended_configs).stats["warm"] == 1


def test_memoized_functions_keep_plain_results_and_pass_the_rest_on() -> None:
    from unet.policy import _functions

    calls: list[str] = []  # repr: 1, 1.0 and true are equal, but not the same call

    def probe(*args: object) -> object:
        calls.append(repr(args))
        if args == ("boom",):
            raise ValueError("boom")
        return [*args] if args == ("list",) else repr(args)

    memo = _functions.memoized(probe)
    assert memo("a") == memo("a") == "('a',)" and calls == ["('a',)"]
    # 1, 1.0 and true hash alike but are different values: only 1 is kept, each is its own.
    assert [memo(1), memo(1.0), memo(True), memo(1)] == ["(1,)", "(1.0,)", "(True,)", "(1,)"]
    assert calls.count("(1,)") == calls.count("(1.0,)") == calls.count("(True,)") == 1
    assert memo(1.0) and calls.count("(1.0,)") == 2
    assert memo(["x"]) == "(['x'],)"  # unhashable: passed on
    assert memo("list") is not memo("list")  # a list result is never shared
    assert memo("a", 2) == memo("a", 2) and calls.count("('a', 2)") == 1
    for _ in range(2):  # a call that raises is not kept: it raises again
        with pytest.raises(ValueError, match="boom"):
            memo("boom")
    assert calls.count("('boom',)") == 2
    long = "x" * (_functions.MEMO_TEXT + 1)
    memo(long), memo(long)
    assert calls.count(repr((long,))) == 2
    for number in range(_functions.MEMO_SIZE + 10):  # bounded: starts over when full
        memo(number)
    assert memo(0) and calls.count("(0,)") == 2


def test_a_mapping_walked_again_gives_the_same_elements_and_blame() -> None:
    # node.interfaces is walked once per fleet device per interface: elements are reused,
    # and a SET in between (a new mapping) is seen.
    found = findings(
        "RULE dup WHEN true THEN ASSERT ALL i IN node.interfaces SATISFIES NONE d IN fleet "
        "WHERE d.name != node.name SATISFIES ANY j IN d.interfaces SATISFIES j.mtu == i.mtu "
        'MESSAGE "{i.name} ({i.mtu}) as on {d.name}"\n'
        'RULE set WHEN node.name == "r1" THEN SET node.interfaces.Gi2.mtu TO 1500\n'
        "RULE again WHEN true THEN ASSERT ALL i IN node.interfaces SATISFIES i.mtu != 1500 "
        'MESSAGE "{i.name} has 1500"')
    assert sorted((f.rule, f.device, f.message, str(f.location)) for f in found) == [
        ("again", "r1", "Gi2 has 1500", "policies/p.unet:2:38"),  # where the SET is
        ("again", "r2", "Gi1 has 1500", "devices/r2.yaml:6:48")]
