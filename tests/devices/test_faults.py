"""Every way a device can fail, against the lab: each gives one line naming what happened,
the other devices are still pulled, and the failed device's stored configuration and
facts stay exactly as they were (never truncated, never replaced by partial output)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.devices.conftest import PullLab, by_device
from tests.lab import Lab
from unet.devices import PLATFORMS

OLD_CONFIG = "hostname kept-from-before\n"
OLD_STATE = "device: lab-r1\nos_version: 1.0\n"


def seed(net: Path, name: str) -> None:
    (net / f"configs/{name}.cfg").write_text(OLD_CONFIG)
    (net / f"state/{name}.yaml").write_text(OLD_STATE)


def assert_untouched(net: Path, name: str) -> None:
    assert (net / f"configs/{name}.cfg").read_text() == OLD_CONFIG
    assert (net / f"state/{name}.yaml").read_text() == OLD_STATE
    leftovers = [p.name for p in (net / "configs").iterdir() if p.name.startswith(".lab")]
    assert leftovers == []


def set_connection(net: Path, name: str, **values: Any) -> None:
    path = net / f"devices/{name}.yaml"
    data = yaml.safe_load(path.read_text())
    for key, value in values.items():
        if key in ("management_ip", "platform"):
            data[key] = value
        else:
            data.setdefault("connection", {})[key] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def pull_with_victim(net: Path, pull_lab: PullLab, lab: Lab, **options: Any):
    """Pull the victim lab-r1 and a healthy lab-r2 together: only lab-r1 may fail."""
    victim, healthy = lab.routers[0].name, lab.routers[1].name
    seed(net, victim)
    result = by_device(pull_lab(net, victim, healthy, **options))
    assert result[healthy].status == "changed", result[healthy].reason
    assert_untouched(net, victim)
    assert result[victim].status == "failed"
    return result[victim]


def test_an_address_where_nothing_answers(lab: Lab, net: Path, pull_lab: PullLab) -> None:
    set_connection(net, "lab-r1", host="192.0.2.250", timeout=5)  # in the lab, no one there
    failed = pull_with_victim(net, pull_lab, lab)
    assert failed.code == "D111"
    assert failed.reason.startswith("192.0.2.250:22 ")


def test_a_port_that_refuses(lab: Lab, net: Path, pull_lab: PullLab) -> None:
    set_connection(net, "lab-r1", port=2222)
    failed = pull_with_victim(net, pull_lab, lab)
    assert (failed.code, failed.reason) == (
        "D110", f"connection refused by {lab.routers[0].address}:2222 (nothing listens on "
                "that port; check connection.port)")


def test_a_wrong_password(lab: Lab, net: Path, pull_lab: PullLab,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    victim = lab.routers[0].name
    seed(net, victim)
    monkeypatch.setenv("UNET_DEVICE_PASSWORD", "not-the-password")
    [failed] = pull_lab(net, victim).results
    assert (failed.status, failed.code) == ("failed", "D112")
    assert failed.reason.startswith(f"authentication failed for {lab.routers[0].address}:22")
    assert "not-the-password" not in failed.reason
    # which credentials were tried, and where they came from
    assert failed.reason.endswith(f"tried user {lab.username!r} (from connection.username) "
                                  "and the password from UNET_DEVICE_PASSWORD")
    assert_untouched(net, victim)


def test_a_device_that_stops_answering_half_way(lab: Lab, net: Path, pull_lab: PullLab) -> None:
    victim = lab.routers[0].name

    def kill_sshd_before_the_config(device: str, what: str) -> None:
        if device == victim and what == "`show running-config`":
            lab.stop_sshd(victim)  # its sshd and the session with it

    try:
        failed = pull_with_victim(net, pull_lab, lab, on_event=kill_sshd_before_the_config)
    finally:
        lab.start_sshd(victim)
    assert failed.code in ("D115", "D116")
    assert "while running `show running-config`" in failed.reason
    assert len(failed.reason.splitlines()) == 1


@pytest.mark.parametrize(("command", "code", "reason"), [
    ("show running-configuration", "D120",
     "`show running-configuration` was rejected: % Unknown command: show running-configuration"),
    # A real command with nothing to say.
    ("show ip route 203.0.113.250/32 longer-prefixes", "D121",
     "`show ip route 203.0.113.250/32 longer-prefixes` returned no configuration"),
])
def test_a_command_the_router_rejects_or_answers_with_nothing(
        lab: Lab, net: Path, pull_lab: PullLab, command: str, code: str, reason: str) -> None:
    # A platform row asking for something else, on the same real router.
    platforms = {**PLATFORMS, "frr": dataclasses.replace(PLATFORMS["frr"],
                                                         running_config=command)}
    victim = lab.routers[0].name
    seed(net, victim)
    [failed] = pull_lab(net, victim, platforms=platforms).results
    assert (failed.status, failed.code, failed.reason) == ("failed", code, reason)
    assert_untouched(net, victim)


def test_a_device_that_answers_as_another_platform(lab: Lab, net: Path,
                                                   pull_lab: PullLab) -> None:
    set_connection(net, "lab-r1", platform="ios")  # the repository says IOS; it is FRR
    failed = pull_with_victim(net, pull_lab, lab)
    assert failed.code == "D122"
    assert failed.reason.startswith("answers as FRRouting, not Cisco IOS (`show version` says "
                                    "'FRRouting ")


def test_a_driver_that_cannot_find_its_prompt(lab: Lab, net: Path, pull_lab: PullLab) -> None:
    # The Junos driver waits for Junos' answers, which a vtysh never gives.
    set_connection(net, "lab-r1", platform="junos", timeout=2)
    failed = pull_with_victim(net, pull_lab, lab)
    assert failed.code == "D122"
    assert "does not answer as the juniper_junos driver expects" in failed.reason


def test_bad_connection_data_is_an_input_error(lab: Lab, net: Path, pull_lab: PullLab) -> None:
    set_connection(net, "lab-r1", device_type="cisco_iosxx")
    failed = pull_with_victim(net, pull_lab, lab)
    assert (failed.code, failed.input_error) == ("D103", True)
    assert failed.reason == "connection.device_type 'cisco_iosxx' is not a netmiko driver"
