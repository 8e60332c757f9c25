"""`unet pull` against the lab's real routers over SSH."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml
from click.testing import CliRunner

from tests.devices.conftest import PullLab
from tests.lab import Lab
from unet.cli import cli
from unet.devices import clean_config


def test_a_first_pull_stores_configs_and_facts_and_a_second_changes_nothing(
        lab: Lab, net: Path, pull_lab: PullLab) -> None:
    first = pull_lab(net)
    assert [(r.device, r.status, r.reason) for r in first.results] == [
        (r.name, "changed", "config saved, facts saved") for r in lab.routers]
    for router in lab.routers:
        stored = (net / f"configs/{router.name}.cfg").read_text()
        assert stored == clean_config(lab.running_config(router.name), "frr", scrub=True)
        assert stored.startswith(f"hostname {router.name}\n")
        assert "frr version" not in stored and "Building configuration" not in stored
        facts = yaml.safe_load((net / f"state/{router.name}.yaml").read_text())
        assert facts["device"] == facts["hostname"] == router.name
        assert facts["os_version"] == lab.frr_version and facts["platform"] == "frr"
        assert facts["lldp_neighbors"] is None and facts["collected_at"].endswith("Z")
    before = {p: p.stat().st_mtime_ns for p in net.glob("*/lab-r*.*")}
    second = pull_lab(net)
    assert {r.status for r in second.results} == {"unchanged"}
    assert {p: p.stat().st_mtime_ns for p in net.glob("*/lab-r*.*")} == before
    # The repository the lab wrote describes its routers exactly: no drift, no findings.
    diff = CliRunner().invoke(cli, ["--repo", str(net), "diff", "--exit-code"])
    assert diff.exit_code == 0, diff.output
    check = CliRunner().invoke(cli, ["--repo", str(net), "check", "--no-cache"])
    assert check.exit_code == 0, check.output


def test_a_change_made_on_the_router_is_pulled_and_is_drift(lab: Lab, net: Path,
                                                             pull_lab: PullLab) -> None:
    router = lab.routers[1].name
    pull_lab(net, router)
    lab.vtysh(router, "configure terminal", "ip prefix-list PL-TEMP seq 5 permit 192.0.2.0/24",
              "interface eth0", "description changed by hand")
    try:
        [result] = pull_lab(net, router).results
    finally:
        lab.vtysh(router, "configure terminal", "no ip prefix-list PL-TEMP", "interface eth0",
                  "description lab LAN")
    assert (result.status, result.reason) == ("changed", "config changed (+2 -1 lines)")
    assert result.written == (f"configs/{router}.cfg",)  # the facts did not change
    diff = CliRunner().invoke(cli, ["--repo", str(net), "diff", router, "--exit-code"])
    assert diff.exit_code == 1
    assert "ip prefix-list PL-TEMP seq 5 permit 192.0.2.0/24" in diff.stdout
    assert "description changed by hand" in diff.stdout


def test_secrets_are_scrubbed_unless_the_repository_says_otherwise(lab: Lab, net: Path,
                                                                   pull_lab: PullLab) -> None:
    router = lab.routers[0].name
    lab.vtysh(router, "configure terminal", "password s3cret-vty", "enable password s3cret-en")
    try:
        pull_lab(net, router)
        stored = (net / f"configs/{router}.cfg").read_text()
        assert "s3cret" not in stored and "enable password ********\n" in stored
        (net / "unet.yaml").write_text((net / "unet.yaml").read_text()
                                       .replace("scrub: true", "scrub: false"))
        pull_lab(net, router)
        assert "enable password s3cret-en\n" in (net / f"configs/{router}.cfg").read_text()
    finally:
        lab.vtysh(router, "configure terminal", "no password", "no enable password")


def test_running_configs_decides_where_configs_go_and_are_read(lab: Lab, net: Path,
                                                               pull_lab: PullLab) -> None:
    (net / "unet.yaml").write_text((net / "unet.yaml").read_text()
                                   + "running_configs: backups/{name}.conf\n")
    pull_lab(net, lab.routers[0].name)
    assert (net / f"backups/{lab.routers[0].name}.conf").is_file()
    assert not list((net / "configs").glob("*.cfg"))
    diff = CliRunner().invoke(cli, ["--repo", str(net), "diff", lab.routers[0].name,
                                    "--exit-code"])
    assert diff.exit_code == 0 and "1/1 devices compliant" in diff.stdout, diff.output


def test_a_router_is_reached_through_a_jump_host(lab: Lab, net: Path, pull_lab: PullLab) -> None:
    jump, target = lab.routers[0], lab.routers[1]
    device_file = net / f"devices/{target.name}.yaml"
    data = yaml.safe_load(device_file.read_text())
    data["connection"] = {"jump_host": f"{lab.username}@{jump.address}:22"}
    device_file.write_text(yaml.safe_dump(data, sort_keys=False))
    [result] = pull_lab(net, target.name).results
    assert result.status == "changed", result.reason
    assert (net / f"configs/{target.name}.cfg").read_text().startswith(f"hostname {target.name}")
    # The path really goes through the jump host: a jump host that refuses is the reason.
    data["connection"] = {"jump_host": f"{jump.address}:2222"}
    device_file.write_text(yaml.safe_dump(data, sort_keys=False))
    [refused] = pull_lab(net, target.name).results
    assert (refused.status, refused.code) == ("failed", "D110")
    assert refused.reason.startswith(f"through jump host {jump.address}:2222: connection refused")


def test_commit_makes_one_commit_naming_the_devices(lab: Lab, net: Path,
                                                    pull_lab: PullLab) -> None:
    def unet_pull(*args: str):
        with lab.inside():
            return CliRunner().invoke(cli, ["--repo", str(net), "pull", *args])

    result = unet_pull("--commit")
    assert result.exit_code == 0, result.output
    assert "committed" in result.stderr
    log = subprocess.run(["git", "-C", str(net), "log", "-1", "--format=%s%n%b"],
                         capture_output=True, text=True, check=True).stdout
    assert log.startswith(f"unet pull: {len(lab.routers)} devices changed\n")
    assert f"- {lab.routers[0].name}: config saved, facts saved" in log
    status = subprocess.run(["git", "-C", str(net), "status", "--porcelain"],
                            capture_output=True, text=True, check=True).stdout
    assert status == ""
    again = unet_pull("--commit")
    assert again.exit_code == 0 and "committed" not in again.stderr
    assert subprocess.run(["git", "-C", str(net), "rev-list", "--count", "HEAD"],
                          capture_output=True, text=True).stdout.strip() == "2"


def test_keys_instead_of_a_password(lab: Lab, net: Path, pull_lab: PullLab,
                                    monkeypatch) -> None:
    monkeypatch.delenv("UNET_DEVICE_PASSWORD")
    monkeypatch.setenv("HOME", str(net))  # no keys of this machine's user
    router = lab.routers[0].name
    [without] = pull_lab(net, router).results
    assert (without.status, without.code) == ("failed", "D112")
    assert without.reason.endswith("and no password (none is set: `unet auth set-password` "
                                   "or UNET_DEVICE_PASSWORD), so keys and the SSH agent only")
    device_file = net / f"devices/{router}.yaml"
    data = yaml.safe_load(device_file.read_text())
    data["connection"] = {"key_file": lab.key_file}
    device_file.write_text(yaml.safe_dump(data, sort_keys=False))
    [with_key] = pull_lab(net, router).results
    assert with_key.status == "changed", with_key.reason


def test_ctrl_c_starts_no_other_router_and_keeps_what_was_pulled(lab: Lab, net: Path,
                                                                  pull_lab: PullLab) -> None:
    """Ctrl-C used to wait for every router, then print nothing."""
    import os
    import signal
    import threading

    first, *others = [r.name for r in lab.routers]
    assert others
    pressed: list[str] = []
    heard = threading.Event()

    def ctrl_c_after_the_first(name: str, what: str) -> None:
        if not name:  # the run says it was interrupted
            heard.set()
        elif name == first and what == "done" and not pressed:
            pressed.append(name)
            os.kill(os.getpid(), signal.SIGINT)  # what a Ctrl-C in the terminal sends
            heard.wait(10)  # before this worker takes the next router

    result = pull_lab(net, on_event=ctrl_c_after_the_first, jobs=1)
    assert result.interrupted
    outcome = {r.device: r for r in result.results}
    assert outcome[first].status == "changed"
    assert (net / f"configs/{first}.cfg").exists()
    for name in others:
        assert (outcome[name].status, outcome[name].code) == ("failed", "D231")
        assert "interrupted (Ctrl-C) before this device" in outcome[name].reason
        assert not (net / f"configs/{name}.cfg").exists()
