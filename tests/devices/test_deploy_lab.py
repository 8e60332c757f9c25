"""`unet deploy` against real FRR routers: changes land and verify, a refused line
leaves the router as it was, a router changed behind unet's back is refused, a dropped
connection is reported as a possibly partial configuration, a failed canary stops the
run, a dry run touches nothing.

One lab of four routers serves the whole module; each test gets its own copy of the
repository, pulled fresh, and the routers are put back as the lab made them after it.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from tests.lab import Lab, write_repository
from tests.lab.fixture import running_lab
from unet.cli import cli
from unet.devices import (
    DeployOptions,
    DeployResult,
    PlanContext,
    choose,
    deploy,
    plan_deployment,
)
from unet.inventory import load_inventory
from unet.source import worktree_snapshot

ROUTERS = 4


@pytest.fixture(scope="module")
def dlab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    yield from running_lab(tmp_path_factory, ROUTERS, "d")


@pytest.fixture(scope="module")
def pristine(dlab: Lab) -> dict[str, str]:
    """Each router's running configuration as the lab made it."""
    return {r.name: dlab.running_config(r.name) for r in dlab.routers}


@pytest.fixture
def net(dlab: Lab, pristine: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh copy of the lab's repository, pulled; the routers restored after."""
    for key, value in dlab.env().items():
        monkeypatch.setenv(key, value)
    root = write_repository(dlab, tmp_path / "net")
    assert unet(dlab, root, "pull").exit_code == 0
    yield root
    for router in dlab.routers:
        dlab.start_sshd(router.name)
    if {r.name: dlab.running_config(r.name) for r in dlab.routers} == pristine:
        return
    spare = write_repository(dlab, tmp_path / "restore")
    assert unet(dlab, spare, "pull").exit_code == 0
    unet(dlab, spare, "deploy", "--yes", "--force")
    assert {r.name: dlab.running_config(r.name) for r in dlab.routers} == pristine


def unet(lab: Lab, root: Path, *args: str) -> Result:
    with lab.inside():
        return CliRunner().invoke(cli, ["--repo", str(root), *args])


def edit(root: Path, relative: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = root / relative
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def group_vars(root: Path, change: Callable[[dict[str, Any]], None]) -> None:
    edit(root, "groups/lab.yaml", lambda d: change(d["vars"]))


def device(root: Path, name: str, change: Callable[[dict[str, Any]], None]) -> None:
    edit(root, f"devices/{name}.yaml", change)


def running(lab: Lab, router: str) -> str:
    return lab.running_config(router)


def records(root: Path) -> list[dict[str, Any]]:
    [path] = sorted((root / "state/deployments").glob("*.jsonl"))[-1:]
    return [json.loads(line) for line in path.read_text().splitlines()]


# --- the changes ---------------------------------------------------------------------------

def _intended_changes(root: Path) -> list[str]:
    """Realistic changes to the repository, each one line of what it means."""
    done: list[str] = []

    def note(what: str) -> None:
        done.append(what)

    group_vars(root, lambda v: v.update(syslog_level="warnings"))
    note("every router logs warnings only")
    group_vars(root, lambda v: v["prefix_lists"]["PL-LOOPBACKS"][0].update(le=30))
    note("loopback prefixes up to /30 only")
    group_vars(root, lambda v: v["prefix_lists"]["PL-LOOPBACKS"].append(
        {"seq": 10, "action": "permit", "prefix": "198.51.101.0/24", "le": 32}))
    note("a second loopback range is accepted from peers")
    group_vars(root, lambda v: v["prefix_lists"]["PL-BOGONS"].insert(
        2, {"seq": 12, "action": "deny", "prefix": "169.254.0.0/16", "le": 32}))
    note("link-local addresses are bogons")
    group_vars(root, lambda v: v["prefix_lists"]["PL-BOGONS"].insert(
        3, {"seq": 13, "action": "deny", "prefix": "100.64.0.0/10", "le": 32}))
    note("shared address space is a bogon")
    group_vars(root, lambda v: v["prefix_lists"].update({"PL-PRIVATE": [
        {"seq": 5, "action": "permit", "prefix": "10.0.0.0/8", "le": 24}]}))
    note("a new prefix-list for private space")
    template = root / "templates/frr/policy.j2"
    template.write_text(template.read_text().replace(
        "bgp community-list standard CL-LAB seq 5 permit 65000:100\n",
        "bgp community-list standard CL-LAB seq 5 permit 65000:100\n"
        "bgp community-list standard CL-LAB seq 10 permit 65000:200\n"))
    note("the lab community list takes a second community")
    device(root, "lab-r1", lambda d: d["interfaces"]["eth0"].update(
        description="lab LAN, core side"))
    note("lab-r1: eth0 described again")
    device(root, "lab-r1", lambda d: d["interfaces"]["lo"].update(description="router id"))
    note("lab-r1: loopback gets a description")
    device(root, "lab-r1", lambda d: d["vars"]["static_routes"].append(
        {"prefix": "10.101.0.0/16", "nexthop": "blackhole"}))
    note("lab-r1: a new discard route")
    device(root, "lab-r1", lambda d: d["vars"]["static_routes"].pop(1))
    note("lab-r1: an old discard route removed")
    device(root, "lab-r2", lambda d: d["vars"]["bgp_neighbors"][0].update(name="peer-r1"))
    note("lab-r2: a neighbour renamed")
    device(root, "lab-r2", lambda d: d["vars"]["bgp_neighbors"].append(
        {"name": "ext-transit", "address": "192.0.2.99", "asn": 64999}))
    note("lab-r2: a new eBGP neighbour with the lab's route-maps")
    device(root, "lab-r2", lambda d: d["vars"]["static_routes"][0].update(nexthop="blackhole"))
    note("lab-r2: a discard route's next hop changed")
    device(root, "lab-r3", lambda d: d["vars"]["bgp_neighbors"].pop())
    note("lab-r3: a neighbour removed")
    device(root, "lab-r3", lambda d: d["interfaces"]["eth0"].update(description="lab LAN r3"))
    note("lab-r3: eth0 described again")
    device(root, "lab-r3", lambda d: d["vars"]["static_routes"].append(
        {"prefix": "10.103.0.0/16", "nexthop": "Null0"}))
    note("lab-r3: a new null route")
    device(root, "lab-r4", lambda d: d["vars"].update(syslog_level="notifications"))
    note("lab-r4: logs notifications too")
    device(root, "lab-r4", lambda d: d["vars"]["bgp_neighbors"][0].update(name="r1-link"))
    note("lab-r4: a neighbour renamed")
    device(root, "lab-r4", lambda d: d["vars"]["static_routes"].extend([
        {"prefix": "10.104.0.0/16", "nexthop": "blackhole"},
        {"prefix": "10.105.0.0/16", "nexthop": "Null0"}]))
    note("lab-r4: two new discard routes")
    device(root, "lab-r4", lambda d: d["interfaces"].update(
        eth0={"description": "lab LAN r4", "ipv4": d["interfaces"]["eth0"]["ipv4"]}))
    note("lab-r4: eth0 described again")
    return done


def test_twenty_changes_across_routers_land_and_verify(dlab: Lab, net: Path) -> None:
    changes = _intended_changes(net)
    assert len(changes) >= 20
    result = unet(dlab, net, "deploy", "--yes")
    assert result.exit_code == 0, result.output
    table = result.stdout[result.stdout.index("DEVICE"):].splitlines()
    assert [line.split()[:2] for line in table[1:]] == [
        [r.name, "verified"] for r in dlab.routers]
    # Nothing left to do, by unet's own comparison and by the routers' own account.
    diff = unet(dlab, net, "diff", "--exit-code")
    assert diff.exit_code == 0, diff.stdout
    assert "4/4 devices compliant" in diff.stdout
    shown = {r.name: running(dlab, r.name) for r in dlab.routers}
    assert "log syslog warnings" in shown["lab-r1"]
    assert "bgp community-list standard CL-LAB seq 10 permit 65000:200" in shown["lab-r2"]
    assert "ip prefix-list PL-BOGONS seq 12 deny 169.254.0.0/16 le 32" in shown["lab-r3"]
    assert " description lab LAN, core side" in shown["lab-r1"]
    assert "203.0.113.0/28" not in shown["lab-r1"]
    assert " neighbor 192.0.2.99 remote-as 64999" in shown["lab-r2"]
    assert " neighbor 192.0.2.99 route-map RM-LAB-OUT out" in shown["lab-r2"]
    assert "192.0.2.14" not in shown["lab-r3"]
    assert "log syslog notifications" in shown["lab-r4"]
    # configs/ holds what the routers run (the stored form of it), and a second deploy
    # has nothing to do.
    for router in dlab.routers:
        stored = (net / f"configs/{router.name}.cfg").read_text()
        assert stored.strip().splitlines()[0] == "hostname " + router.name
        assert all(line in shown[router.name] for line in stored.splitlines())
    # The record: each router's plan, pre-flight, every line with its answer, the
    # verification and the result.
    events = records(net)
    for router in dlab.routers:
        mine = [e for e in events if e.get("device") == router.name]
        assert [e["event"] for e in mine] == ["plan", "preflight", "apply", "verify", "result"]
        sent = [c["text"] for c in mine[0]["commands"] if not c["held"]]
        assert [r["line"] for r in mine[2]["responses"]] == sent
        assert mine[3]["ok"] and mine[4]["result"] == "verified"
    again = unet(dlab, net, "deploy", "--yes")
    assert again.exit_code == 0 and again.stdout.count("no changes") >= ROUTERS


def test_a_refused_line_rolls_back_to_exactly_what_was_there(dlab: Lab, net: Path) -> None:
    before = running(dlab, "lab-r2")
    group_vars(net, lambda v: v.update(syslog_level="errors"))
    device(net, "lab-r2", lambda d: d["interfaces"]["lo"].update(description="router id"))
    device(net, "lab-r2", lambda d: d["vars"]["static_routes"].append(
        {"prefix": "10.99.0.0/33", "nexthop": "Null0"}))
    result = unet(dlab, net, "deploy", "--yes", "lab-r2")
    assert result.exit_code == 1
    assert "D220 the device refused `ip route 10.99.0.0/33 Null0`: " \
           "% Unknown command: ip route 10.99.0.0/33 Null0" in result.stdout
    assert "rolled back" in result.stdout and "verified: the device is as before" in result.stdout
    assert running(dlab, "lab-r2") == before
    # The record shows the lines the router took before refusing, and their undoing.
    events = records(net)
    applied = next(e for e in events if e["event"] == "apply")
    assert applied["responses"][-1]["error"].startswith("% Unknown command")
    assert len(applied["responses"]) > 1  # something took before the refusal
    rollback = next(e for e in events if e["event"] == "rollback")
    assert rollback["responses"] and not any(r["error"] for r in rollback["responses"])
    assert next(e for e in events if e["event"] == "rollback-verify")["ok"] is True


def test_a_router_changed_behind_unets_back_is_refused(dlab: Lab, net: Path) -> None:
    group_vars(net, lambda v: v.update(syslog_level="errors"))
    plan = unet(dlab, net, "deploy", "--dry-run", "lab-r1", "lab-r3")
    assert plan.exit_code == 0 and "log syslog errors" in plan.stdout
    dlab.vtysh("lab-r3", "configure terminal",
               "ip prefix-list PL-SNEAKY seq 5 permit 192.0.2.0/24")
    before = running(dlab, "lab-r3")
    result = unet(dlab, net, "deploy", "--yes", "lab-r1", "lab-r3")
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if x.startswith("lab-r3 "))
    assert "refused" in line and "D210 pre-flight: the device changed since" in line
    assert "'+ip prefix-list PL-SNEAKY seq 5 permit 192.0.2.0/24'" in line
    assert running(dlab, "lab-r3") == before
    assert "log syslog errors" in running(dlab, "lab-r1")
    # --force plans again from what the router runs now: the change made behind
    # unet's back is drift in a claimed feature, so it goes, and the intended one lands.
    forced = unet(dlab, net, "deploy", "--yes", "--force", "lab-r3")
    assert forced.exit_code == 0, forced.stdout
    assert "log syslog errors" in running(dlab, "lab-r3")
    assert "PL-SNEAKY" not in running(dlab, "lab-r3")
    assert any(e["event"] == "replan" for e in records(net))
    # What was sent is shown, not only the plan shown before the change was seen.
    shown = forced.stdout.split("lab-r3: re-planned (it changed since the plan above; "
                                "--force); what it was sent instead:\n", 1)
    assert len(shown) == 2, forced.stdout
    assert "  no ip prefix-list PL-SNEAKY seq 5 permit 192.0.2.0/24" in shown[1]


def _in_process(lab: Lab, root: Path, *names: str, on_event: Any = None,
                **options: Any) -> DeployResult:
    snapshot = worktree_snapshot(root)
    inventory = load_inventory(snapshot)
    context = PlanContext(snapshot, inventory)
    plans = plan_deployment(context, choose(inventory, snapshot, names=names))
    with lab.inside():
        return deploy(root, context, plans, options=DeployOptions(**options),
                      on_event=on_event)


def test_a_connection_dropped_mid_apply_is_reported_as_partial(dlab: Lab, net: Path) -> None:
    victim = "lab-r4"
    device(net, victim, lambda d: d["vars"]["static_routes"].extend(
        [{"prefix": f"10.{200 + i}.0.0/16", "nexthop": "blackhole"} for i in range(6)]))

    def kill_after_two_lines(name: str, what: str) -> None:
        if name == victim and what == "sent 2":
            dlab.stop_sshd(victim)

    stored = (net / f"configs/{victim}.cfg").read_text()
    result = _in_process(dlab, net, victim, on_event=kill_after_two_lines)
    [outcome] = result.devices
    assert outcome.result == "partial" and outcome.code == "D222"
    assert "may be partially configured" in outcome.reason
    assert "after 2 of 6 lines" in outcome.reason
    # what failed first (the line in flight), not the exit from configuration mode after
    assert "while sending `" in outcome.reason and "leaving configuration" not in outcome.reason
    assert (net / f"configs/{victim}.cfg").read_text() == stored  # never a partial store
    dlab.start_sshd(victim)
    # The truth: the first lines are on the router; the next deploy's pre-flight sees
    # them, a pull stores them, and then the deploy finishes the job.
    assert "ip route 10.200.0.0/16 blackhole" in running(dlab, victim)
    refused = unet(dlab, net, "deploy", "--yes", victim)
    assert refused.exit_code == 1 and "D210" in refused.stdout
    assert "'+ip route 10.200.0.0/16 blackhole'" in refused.stdout
    assert unet(dlab, net, "pull", victim).exit_code == 0
    assert "ip route 10.200.0.0/16 blackhole" in (net / f"configs/{victim}.cfg").read_text()
    finished = unet(dlab, net, "deploy", "--yes", victim)
    assert finished.exit_code == 0, finished.stdout
    assert unet(dlab, net, "diff", "--exit-code", victim).exit_code == 0


def test_ctrl_c_mid_apply_stops_rolls_back_and_starts_no_other_router(dlab: Lab,
                                                                      net: Path) -> None:
    """Ctrl-C used to let every router finish (and later ones start), then say only
    "Aborted."."""
    import os
    import signal

    first, second = "lab-r1", "lab-r2"
    for name in (first, second):
        device(net, name, lambda d: d["vars"]["static_routes"].extend(
            [{"prefix": f"10.{210 + i}.0.0/16", "nexthop": "blackhole"} for i in range(8)]))
    before = {name: running(dlab, name) for name in (first, second)}
    stored = {name: (net / f"configs/{name}.cfg").read_text() for name in (first, second)}

    pressed: list[str] = []

    def ctrl_c_after_three_lines(name: str, what: str) -> None:
        if name == first and what == "sent 3" and not pressed:  # the rollback sends too
            pressed.append(what)
            os.kill(os.getpid(), signal.SIGINT)  # what a Ctrl-C in the terminal sends
        elif name == first and what == "rolling back":  # an impatient second one
            os.kill(os.getpid(), signal.SIGINT)

    result = _in_process(dlab, net, first, second, on_event=ctrl_c_after_three_lines,
                         batch_size=1, jobs=1)
    assert result.interrupted
    stopped, untouched = result.devices
    assert stopped.code == "D231" and stopped.result == "failed", stopped
    # after the line in flight when the signal was handled: not all of them
    import re

    done = re.search(r"interrupted \(Ctrl-C\) after (\d) of 8 lines", stopped.reason)
    assert done is not None and 3 <= int(done[1]) < 8, stopped.reason
    assert "rolled back" in stopped.reason and "the device is as before" in stopped.reason
    assert untouched.result == "not attempted" and untouched.code == "D230"
    assert "interrupted (Ctrl-C)" in untouched.reason
    assert {name: running(dlab, name) for name in (first, second)} == before
    assert {name: (net / f"configs/{name}.cfg").read_text()
            for name in (first, second)} == stored
    assert any(e["event"] == "interrupted" for e in records(net))


def test_a_failing_canary_stops_the_run_before_any_other_router(dlab: Lab, net: Path) -> None:
    before = {r.name: running(dlab, r.name) for r in dlab.routers}
    group_vars(net, lambda v: v.update(syslog_level="errors"))
    device(net, "lab-r1", lambda d: d["vars"]["static_routes"].append(
        {"prefix": "10.99.0.0/33", "nexthop": "Null0"}))
    result = unet(dlab, net, "deploy", "--yes", "--canary", "1", "--batch-size", "2")
    assert result.exit_code == 1
    rows = {line.split()[0]: line for line in result.stdout.splitlines()
            if line.startswith("lab-r") and "  " in line}
    assert "failed" in rows["lab-r1"] and "D220" in rows["lab-r1"]
    for other in ("lab-r2", "lab-r3", "lab-r4"):
        assert "not attempted" in rows[other] and "the canary failed" in rows[other]
    assert {r.name: running(dlab, r.name) for r in dlab.routers} == before


def test_a_dry_run_changes_nothing(dlab: Lab, net: Path) -> None:
    _intended_changes(net)
    before = {r.name: running(dlab, r.name) for r in dlab.routers}
    stored = {p.name: p.read_text() for p in (net / "configs").glob("*.cfg")}
    explicit = unet(dlab, net, "deploy", "--dry-run")
    implicit = unet(dlab, net, "deploy")  # stdin is not a terminal, no --yes
    for result in (explicit, implicit):
        assert result.exit_code == 0
        assert "lab-r2: plan" in result.stdout and " neighbor 192.0.2.99 remote-as 64999" in \
            result.stdout
        assert "[remove]" in result.stdout  # risk marks, as `unet diff --remediation`
    assert "dry run" in implicit.stderr
    assert {r.name: running(dlab, r.name) for r in dlab.routers} == before
    assert {p.name: p.read_text() for p in (net / "configs").glob("*.cfg")} == stored
    assert not (net / "state/deployments").exists()


def test_only_the_features_asked_for_are_deployed_and_committed(dlab: Lab, net: Path) -> None:
    group_vars(net, lambda v: v.update(syslog_level="errors"))
    device(net, "lab-r1", lambda d: d["vars"]["static_routes"].append(
        {"prefix": "10.111.0.0/16", "nexthop": "blackhole"}))
    result = unet(dlab, net, "deploy", "--yes", "--feature", "static", "--commit", "lab-r1")
    assert result.exit_code == 0, result.output
    assert "lab-r1: plan (frr/static.j2)" in result.stdout
    shown = running(dlab, "lab-r1")
    assert "ip route 10.111.0.0/16 blackhole" in shown and "log syslog errors" not in shown
    diff = unet(dlab, net, "diff", "lab-r1")
    assert "frr/base.j2: changed" in diff.stdout and "frr/static.j2" not in \
        diff.stdout.split("Compliance:")[0]
    log = subprocess.run(["git", "-C", str(net), "log", "-1", "--name-only", "--format=%s"],
                         capture_output=True, text=True, check=True).stdout.split()
    assert log[:4] == ["unet", "deploy:", "lab-r1", "configs/lab-r1.cfg"]


def test_a_change_the_router_keeps_in_another_form_fails_verification_and_is_undone(
        dlab: Lab, net: Path) -> None:
    # FRR takes `log syslog debugging` but shows it as `log syslog` (the default level):
    # the change never matches what was intended, so it is not left on the router.
    before = running(dlab, "lab-r3")
    device(net, "lab-r3", lambda d: d["vars"].update(syslog_level="debugging"))
    result = unet(dlab, net, "deploy", "--yes", "lab-r3")
    assert result.exit_code == 1
    assert "D221 verification failed: 1 command(s) still to do after the deploy " \
           "(e.g. 'log syslog debugging'); the device shows 'log syslog' instead" in result.stdout
    assert "rolled back with the computed rollback (1 line), verified" in result.stdout
    assert running(dlab, "lab-r3") == before
    kinds = [e["event"] for e in records(net) if e.get("device") == "lab-r3"]
    assert kinds == ["plan", "preflight", "apply", "verify", "rollback", "rollback-verify",
                     "result"]
