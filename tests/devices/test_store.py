"""How pulled configurations and facts are stored: cleaned by the dialect's noise rules,
secrets masked, written atomically, and left alone when nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from unet.devices import DeviceError, clean_config
from unet.devices._store import same_facts, state_text, write_atomic

IOS = """\
Building configuration...

Current configuration : 2051 bytes
!
! Last configuration change at 10:02:11 UTC Mon Jan 5 2026 by netops
! NVRAM config last updated at 10:02:14 UTC Mon Jan 5 2026 by netops
!
version 17.9\r
hostname r1   \r
enable secret 9 $9$abcdefgh$ijklmnop
snmp-server community s3cret RO
ntp clock-period 17179865
!
route-map RM permit 10
 set community 65000:1
!
end
"""


def test_ios_noise_and_timestamps_are_not_stored_and_secrets_are_masked() -> None:
    stored = clean_config(IOS, "ios", scrub=True)
    assert stored == ("version 17.9\nhostname r1\nenable secret 9 ********\n"
                      "snmp-server community ******** RO\n!\nroute-map RM permit 10\n"
                      " set community 65000:1\n")
    # Two pulls that differ only in volatile lines store the same text.
    later = IOS.replace("10:02:11", "11:40:00").replace("2051", "2063").replace("17179865", "1")
    assert clean_config(later, "ios", scrub=True) == stored


def test_an_end_inside_a_banner_is_configuration() -> None:
    text = "Building configuration...\n!\nbanner motd ^C\nstart\nend\n^C\nhostname r1\n!\nend\n"
    assert clean_config(text, "ios", scrub=False) == (
        "banner motd ^C\nstart\nend\n^C\nhostname r1\n")


def test_scrub_off_keeps_secrets() -> None:
    assert "snmp-server community s3cret RO\n" in clean_config(IOS, "ios", scrub=False)


def test_frr_banner_lines_are_noise(fixture_frr: str) -> None:
    stored = clean_config(fixture_frr, "frr", scrub=True)
    assert stored.startswith("hostname lab-r1\n")
    for noise in ("Building configuration", "Current configuration:", "frr version",
                  "frr defaults", "\nend\n"):
        assert noise not in stored
    assert "password ********\n" in stored and "enable password ********\n" in stored


@pytest.fixture
def fixture_frr() -> str:
    return (Path(__file__).parents[1] / "config" / "fixtures" / "frr_running.cfg").read_text()


def test_write_replaces_whole_files_and_keeps_the_old_one_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "configs" / "r1.cfg"
    write_atomic(target, "hostname a\n")
    write_atomic(target, "hostname b\n")
    assert target.read_text() == "hostname b\n"
    assert [p.name for p in target.parent.iterdir()] == ["r1.cfg"]  # no temporary left
    blocked = tmp_path / "state"
    blocked.write_text("a file where a folder should be\n")
    with pytest.raises(DeviceError) as raised:
        write_atomic(blocked / "r1.yaml", "x: 1\n")
    assert raised.value.code == "D130"
    assert blocked.read_text() == "a file where a folder should be\n"


def test_facts_unchanged_apart_from_time_and_uptime() -> None:
    facts = {"device": "r1", "platform": "ios", "collected_at": "2026-01-05T10:00:00Z",
             "os_version": "17.9", "uptime": "1 day", "uptime_seconds": 86400,
             "lldp_neighbors": None}
    text = state_text(facts)
    assert "os_version: '17.9'\n" in text  # a string stays a string when read back
    later = {**facts, "collected_at": "2026-01-06T10:00:00Z", "uptime": "2 days",
             "uptime_seconds": 172800}
    assert same_facts(text, later)
    assert not same_facts(text, {**later, "os_version": "17.12"})
    assert not same_facts(None, facts) and not same_facts("[broken", facts)


def test_a_file_that_cannot_be_written_is_named_with_its_folder(tmp_path: Path) -> None:
    (tmp_path / "configs" / "r1.cfg").mkdir(parents=True)  # a folder where the file goes
    with pytest.raises(DeviceError) as raised:
        write_atomic(tmp_path / "configs" / "r1.cfg", "hostname r1\n")
    assert raised.value.code == "D130"
    assert raised.value.reason.startswith("cannot write configs/r1.cfg: ")
