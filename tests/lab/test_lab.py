"""The lab itself: routers answer over SSH with the configuration the repository describes,
labs run side by side under different names, and `down` leaves nothing behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import paramiko
import pytest
import yaml

from tests.conftest import ROOT
from tests.lab import Lab, LabError, down, load, prerequisites
from tests.lab._routers import frr_config, specs


def _ssh(lab: Lab, address: str, command: str, password: str | None = None) -> str:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    with lab.inside():
        client.connect(address, username=lab.username, password=password or lab.password,
                       timeout=10, allow_agent=False, look_for_keys=False)
    try:
        _, stdout, _ = client.exec_command(command, timeout=10)
        return stdout.read().decode()
    finally:
        client.close()


def test_each_router_answers_over_ssh_with_its_own_configuration(lab: Lab) -> None:
    for router, spec in zip(lab.routers, specs(len(lab.routers)), strict=True):
        shown = _ssh(lab, router.address, "show running-config")
        assert shown.split("Current configuration:\n!\n", 1)[1] == frr_config(spec, lab.frr_version)
        assert f"hostname {router.name}\n" in shown


def test_a_wrong_password_is_refused(lab: Lab) -> None:
    with pytest.raises(paramiko.AuthenticationException):
        _ssh(lab, lab.routers[0].address, "show version", password="not-the-password")


def test_the_repository_describes_the_routers(lab: Lab) -> None:
    repo = Path(lab.repo or "")
    group = yaml.safe_load((repo / "groups/lab.yaml").read_text())
    assert group["platform"] == "frr" and group["connection"]["username"] == lab.username
    assert "password" not in (repo / "groups/lab.yaml").read_text()
    for router in lab.routers:
        device = yaml.safe_load((repo / f"devices/{router.name}.yaml").read_text())
        assert device["management_ip"] == router.address
    log = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True,
                         text=True, check=True)
    assert log.stdout == ""  # committed


def test_changes_behind_unets_back_reach_the_router(lab: Lab) -> None:
    router = lab.routers[-1].name
    lab.vtysh(router, "configure terminal", "ip prefix-list PL-TEMP seq 5 permit 192.0.2.0/24")
    try:
        assert "ip prefix-list PL-TEMP seq 5" in lab.running_config(router)
    finally:
        lab.vtysh(router, "configure terminal", "no ip prefix-list PL-TEMP")
    assert "PL-TEMP" not in lab.running_config(router)


def _lab_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tests.lab", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=timeout)


def test_a_second_lab_runs_beside_the_first_and_down_removes_it_all(lab: Lab,
                                                                   tmp_path: Path) -> None:
    name = f"{lab.name}-b"
    started = _lab_cli("up", "--devices", "1", "--repo", str(tmp_path / "net"), "--name", name)
    try:
        assert started.returncode == 0, started.stderr
        described = json.loads(started.stdout)
        assert set(described) >= {"name", "namespace", "subnet", "repo", "state", "username",
                                  "password_env", "devices"}
        assert described["devices"][0]["address"] == lab.routers[0].address  # same address,
        assert described["devices"][0]["namespace"] != lab.routers[0].namespace  # other lab
        second = load(name)
        shown = _lab_cli("exec", "--name", name, "--", "sh", "-c",
                         'test -n "$UNET_DEVICE_PASSWORD" && ip -o -4 addr show br0')
        assert shown.returncode == 0 and "192.0.2.1/24" in shown.stdout, shown.stderr
        routed = _lab_cli("exec", "--name", name, "--device", "lab-r1", "--", "vtysh",
                          "--vty_socket", second.routers[0].vty, "-c", "show version")
        assert "FRRouting" in routed.stdout
        assert _ssh(second, second.routers[0].address, "show running-config").count("router bgp") == 1
    finally:
        stopped = _lab_cli("down", "--name", name)
    assert stopped.returncode == 0
    netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert name not in netns and lab.namespace in netns
    assert subprocess.run(["id", second.username], capture_output=True).returncode != 0
    assert not Path(second.state).exists()
    assert not down(name)  # idempotent
    # The first lab is untouched.
    assert "FRRouting" in _ssh(lab, lab.routers[0].address, "show version")


def test_up_refuses_a_bad_name_and_a_used_repository_folder(tmp_path: Path) -> None:
    if prerequisites():
        pytest.skip("no lab prerequisites on this machine")
    from tests.lab import up

    with pytest.raises(LabError, match="invalid lab name"):
        up(1, name="Bad Name")
    (tmp_path / "x").write_text("")
    with pytest.raises(LabError, match="not an empty directory"):
        up(1, repo=tmp_path, name=f"t{os.getpid()}-used")
