"""The parts of `unet deploy` that need no device: the platform tables it reads, the
rollback it computes from what was sent, the batch order, the record's masking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unet.config import apply, detect_profile, diff, get_dialect, parse, remediate
from unet.devices import PLATFORMS, batches, rejection, rollback_for, sent_prefix
from unet.devices._deploy_plan import applied_count, select_features
from unet.devices._deploy_record import RECORD_DIR, Record, masked

# --- tables --------------------------------------------------------------------------------


def test_only_platforms_with_a_tested_apply_path_are_deployed() -> None:
    assert [name for name, row in PLATFORMS.items() if row.deploy_tested] == ["frr"]


@pytest.mark.parametrize(("platform", "kind", "steps"), [
    ("junos", "commit-confirmed", ("commit check", "commit confirmed {minutes}", "commit")),
    ("eos", "config-session", ("commit timer {timer}",)),
    ("nxos", "checkpoint", ("checkpoint unet-{name}",
                            "rollback running-config checkpoint unet-{name}")),
    ("ios", "archive", ("copy running-config flash:unet-{name}.cfg",
                        "configure replace flash:unet-{name}.cfg force")),
    ("frr", "computed-rollback", ()),
])
def test_each_platform_has_its_own_safety_net(platform: str, kind: str,
                                              steps: tuple[str, ...]) -> None:
    net = PLATFORMS[platform].safety_net
    commands = (*net.prepare, *net.check, *net.apply, *net.confirm, *net.rollback)
    assert net.kind == kind and net.description
    assert all(step in commands for step in steps)
    if kind == "computed-rollback":
        assert not commands  # unet's own rollback of what it sent, nothing of the device's


@pytest.mark.parametrize(("platform", "answer"), [
    ("ios", "% Invalid input detected at '^' marker."),
    ("ios", "% Incomplete command."),
    ("iosxe", "% Ambiguous command:  \"sh\""),
    ("nxos", "% Invalid command at '^' marker."),
    ("eos", "% Incomplete command"),
    ("junos", "syntax error, expecting <command>."),
    ("frr", "% Unknown command: neighbour 192.0.2.9 remote-as 1"),
    ("frr", "% Command incomplete: router bgp"),
    ("frr", "% Refusing to remove a non-existent route"),
    ("frr", "BGP is already running; AS is 65002"),
])
def test_a_refusal_is_recognised_in_each_platforms_words(platform: str, answer: str) -> None:
    assert rejection(PLATFORMS[platform], f"{answer}\n") == answer
    assert rejection(PLATFORMS[platform], "") is None


# --- rollback ------------------------------------------------------------------------------

RUNNING = """\
hostname r1
log syslog informational
ip route 10.1.0.0/16 Null0
ip route 203.0.113.0/28 blackhole
!
interface eth0
 description lab LAN
 ip address 192.0.2.11/24
exit
!
router bgp 65001
 bgp router-id 198.51.100.1
 neighbor 192.0.2.12 remote-as 65002
 neighbor 192.0.2.12 description lab-r2
 neighbor 192.0.2.14 remote-as 65004
 !
 address-family ipv4 unicast
  neighbor 192.0.2.12 route-map RM-IN in
  neighbor 192.0.2.14 route-map RM-IN in
 exit-address-family
exit
!
ip prefix-list PL-A seq 5 permit 198.51.100.0/24 le 32
ip prefix-list PL-A seq 10 deny 0.0.0.0/0 le 32
!
route-map RM-IN permit 10
 match ip address prefix-list PL-A
 set local-preference 200
exit
"""

INTENDED = """\
hostname r1
log syslog warnings
ip route 10.1.0.0/16 blackhole
ip route 10.101.0.0/16 blackhole
!
interface eth0
 description lab LAN, core side
 ip address 192.0.2.11/24
exit
!
router bgp 65001
 bgp router-id 198.51.100.1
 neighbor 192.0.2.12 remote-as 65002
 neighbor 192.0.2.12 description peer-r2
 neighbor 192.0.2.99 remote-as 64999
 !
 address-family ipv4 unicast
  neighbor 192.0.2.12 route-map RM-IN in
  neighbor 192.0.2.99 route-map RM-IN in
 exit-address-family
exit
!
ip prefix-list PL-A seq 5 permit 198.51.100.0/24 le 32
ip prefix-list PL-A seq 7 permit 198.51.101.0/24 le 32
ip prefix-list PL-A seq 10 deny 0.0.0.0/0 le 32
!
route-map RM-IN permit 10
 match ip address prefix-list PL-A
 set local-preference 150
exit
"""


def _plan(running: str = RUNNING, intended: str = INTENDED, dialect: str = "frr"):  # type: ignore[no-untyped-def]
    rules = get_dialect(dialect)
    result = diff(parse(running, rules), parse(intended, rules))
    return remediate(result)


def _same(tree, text: str, dialect: str = "frr") -> bool:  # type: ignore[no-untyped-def]
    """Whether `tree` holds exactly the lines of `text` (a device keeps its own order)."""
    counts = diff(tree, parse(text, get_dialect(dialect))).counts()
    return not (counts["missing"] or counts["extra"] or counts["replaced"])


def _nodes(tree) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for child in tree.children:
        out.append(child.text)
        out.extend(_nodes(child))
    return out


def test_the_first_n_commands_are_the_first_n_nodes_of_the_plan() -> None:
    plan = _plan()
    sendable = [c for c in plan.commands if c.held is None and c.kind != "exit"]
    assert len(sendable) > 10
    for count in range(len(sendable) + 1):
        parts = sent_prefix([plan], count)
        assert [t for part in parts for t in _nodes(part)] == [c.text for c in sendable[:count]]


def test_the_rollback_of_any_prefix_restores_the_running_config() -> None:
    rules = get_dialect("frr")
    plan = _plan()
    base = parse(RUNNING, rules)
    profile = detect_profile(base)
    lines = [c for c in plan.commands if c.held is None]
    for done in range(len(lines) + 1):
        applied = applied_count(lines, done)
        after = base
        for part in sent_prefix([plan], applied):
            after = apply(after, part, rules, profile=profile)
        undo = rollback_for(RUNNING, "frr", [plan], applied)
        restored = apply(after, undo, rules, profile=profile)
        assert _same(restored, RUNNING), f"after {done} lines"
        if applied == 0:
            assert not undo.commands  # nothing sent, nothing to undo


def test_the_rollback_undoes_exactly_what_was_sent() -> None:
    plan = _plan()
    lines = [c for c in plan.commands if c.held is None]
    # The first three lines: a prefix-list entry, and a route-map's set clause.
    assert [c.text for c in lines[:3]] == [
        "ip prefix-list PL-A seq 7 permit 198.51.101.0/24 le 32", "route-map RM-IN permit 10",
        "set local-preference 150"]
    undo = rollback_for(RUNNING, "frr", [plan], applied_count(lines, 3))
    assert undo.as_text(marks=False).splitlines() == [
        "route-map RM-IN permit 10", " set local-preference 200", "exit",
        "no ip prefix-list PL-A seq 7 permit 198.51.101.0/24 le 32"]  # nothing never sent


def test_removed_sections_come_back_whole() -> None:
    intended = RUNNING.replace("route-map RM-IN permit 10\n match ip address prefix-list PL-A\n"
                               " set local-preference 200\nexit\n", "")
    plan = _plan(intended=intended)
    undo = rollback_for(RUNNING, "frr", [plan], len(plan.commands))
    assert undo.as_text(marks=False).splitlines()[:3] == [
        "route-map RM-IN permit 10", " match ip address prefix-list PL-A",
        " set local-preference 200"]


def test_an_ios_rollback_restores_too() -> None:
    running = "hostname r1\ninterface Gi1\n description a\n shutdown\n!\nip route 0.0.0.0 0.0.0.0 10.0.0.1\n"
    intended = "hostname r1\ninterface Gi1\n description b\n!\nntp server 192.0.2.5\n"
    rules = get_dialect("ios")
    plan = _plan(running, intended, "ios")
    base = parse(running, rules)
    after = apply(base, plan, rules)
    undo = rollback_for(running, "ios", [plan], len(plan.commands))
    assert _same(apply(after, undo, rules), running, "ios")


# --- batches, features, record -------------------------------------------------------------


@pytest.mark.parametrize(("canary", "size", "expected"), [
    (0, None, [["a", "b", "c", "d", "e"]]),
    (1, None, [["a"], ["b", "c", "d", "e"]]),
    (1, 2, [["a"], ["b", "c"], ["d", "e"]]),
    (2, 1, [["a", "b"], ["c"], ["d"], ["e"]]),
    (9, None, [["a", "b", "c", "d", "e"]]),
])
def test_batches_start_with_the_canary(canary: int, size: int | None,
                                       expected: list[list[str]]) -> None:
    assert batches(list("abcde"), canary=canary, batch_size=size) == expected


def test_features_are_named_by_template_or_by_name() -> None:
    known = ["frr/base.j2", "frr/bgp.j2"]
    assert select_features(["bgp"], known) == {"frr/bgp.j2"}
    assert select_features(["frr/base.j2", "bgp"], known) == set(known)
    with pytest.raises(ValueError, match=r"no feature 'bpg'.*did you mean 'bgp'"):
        select_features(["bpg"], known)


def test_the_record_is_json_lines_with_secrets_masked(tmp_path: Path) -> None:
    record = Record(tmp_path)
    sent = " neighbor 192.0.2.9 password s3cr3t-value"
    record.write("apply", device="r1", responses=[{"line": masked(sent, "frr")}])
    record.close()
    assert record.relative.startswith(RECORD_DIR + "/") and record.relative.endswith(".jsonl")
    text = record.path.read_text()
    assert "s3cr3t-value" not in text
    [event] = [json.loads(line) for line in text.splitlines()]
    assert event["event"] == "apply" and event["version"] == 1
    assert event["responses"][0]["line"].startswith(" neighbor 192.0.2.9 password ")
