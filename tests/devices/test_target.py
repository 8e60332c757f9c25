"""Connection settings are data: inherited, with defaults, and refused when unusable."""

from __future__ import annotations

import pytest

from tests.helpers import MINIMAL
from unet.devices import DeviceError, target_for
from unet.inventory import load_inventory
from unet.source import MemorySnapshot


def device(files: dict[str, str], name: str = "r1"):
    inventory = load_inventory(MemorySnapshot({**MINIMAL, **files}))
    assert not [d for d in inventory.diagnostics if d.severity.name == "ERROR"], \
        inventory.diagnostics
    return inventory.devices[name]


def test_defaults_come_from_the_platform_and_management_ip(monkeypatch) -> None:
    monkeypatch.setenv("UNET_DEVICE_USERNAME", "netops")
    target = target_for(device({}))
    assert (target.host, target.port, target.username, target.device_type) == (
        "10.0.0.1", 22, "netops", "cisco_ios")
    assert target.timeout == 30 and target.groups == ("ios",)


def test_connection_is_inherited_and_merged() -> None:
    target = target_for(device({
        "defaults.yaml": "connection: {username: admin, timeout: 5}\n",
        "groups/ios.yaml": "name: ios\nplatform: iosxe\nconnection: {port: 2222}\n",
        "devices/hq/r1.yaml": MINIMAL["devices/hq/r1.yaml"]
        + "connection: {host: r1.mgmt.example.net, device_type: cisco_ios}\n",
    }))
    assert (target.host, target.port, target.username, target.timeout) == (
        "r1.mgmt.example.net", 2222, "admin", 5.0)
    assert target.device_type == "cisco_ios" and target.platform.name == "iosxe"


@pytest.mark.parametrize(("files", "code", "text"), [
    ({"devices/hq/r1.yaml": "name: r1\nlocation: hq\ngroups: [ios]\n"}, "D101",
     "no address: set management_ip or connection.host"),
    ({"devices/hq/r1.yaml": MINIMAL["devices/hq/r1.yaml"] + "connection: {key_file: /nonexistent}\n"},
     "D103", "connection.key_file: /nonexistent is not a readable file"),
])
def test_unusable_settings_name_the_setting(files, code, text) -> None:
    with pytest.raises(DeviceError) as raised:
        target_for(device(files))
    assert (raised.value.code, raised.value.reason) == (code, text)
    assert raised.value.input_error


def test_a_password_in_yaml_is_refused_with_what_to_do_instead() -> None:
    inventory = load_inventory(MemorySnapshot({**MINIMAL, "groups/ios.yaml":
                                               "name: ios\nplatform: ios\nconnection:\n"
                                               "  password: hunter2\n"}))
    [problem] = inventory.diagnostics
    assert (problem.code, problem.location.line) == ("U130", 4)
    assert "unet auth set-password" in problem.message and "hunter2" not in problem.message
