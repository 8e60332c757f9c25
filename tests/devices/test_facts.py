"""Facts from real output shapes: ntc-templates for the platforms it covers, unet's own
parser for FRRouting (ntc-templates has no FRR templates)."""

from __future__ import annotations

from pathlib import Path

from unet.devices import PLATFORMS, facts_from, uptime_seconds

FIXTURES = Path(__file__).parent / "fixtures"


def text(name: str) -> str:
    return (FIXTURES / name).read_text()


def test_ios_version_and_lldp_neighbours() -> None:
    facts, notes = facts_from(PLATFORMS["ios"],
                              {"version": text("ios_show_version.txt"),
                               "lldp": text("ios_show_lldp_neighbors_detail.txt")},
                              devices=["hq-core-01", "hq-dist-01"])
    assert notes == []
    assert (facts["os_version"], facts["model"], facts["serial"], facts["hostname"]) == (
        "17.9.4a", "C9300-48P", "FOC2345X0AB", "hq-core-01")
    assert facts["uptime"] == "2 weeks, 3 days, 4 hours, 5 minutes"
    assert facts["uptime_seconds"] == ((2 * 7 + 3) * 24 + 4) * 3600 + 5 * 60
    first, second = facts["lldp_neighbors"]
    # Local names as the configuration writes them, so they compare with links/.
    assert first["local_interface"] == "GigabitEthernet1/0/1"
    assert first["neighbor"] == "hq-dist-01.example.net"
    assert first["neighbor_device"] == "hq-dist-01"  # the inventory's name, domain dropped
    assert (first["neighbor_interface"], first["management_address"]) == ("Gi1/0/49",
                                                                          "10.0.0.3")
    assert second["local_interface"] == "TenGigabitEthernet1/1/1"
    assert second["neighbor_device"] is None  # not a device of the repository


def test_frr_version_from_the_lab() -> None:
    output = ("FRRouting 8.4.4 (lab-r1) on Linux(6.18.44-fc-v1045).\n"
              "Copyright 1996-2005 Kunihiro Ishiguro, et al.\nconfigured with:\n    '--build'\n")
    facts, notes = facts_from(PLATFORMS["frr"], {"version": output})
    assert (facts["os_version"], facts["hostname"]) == ("8.4.4", "lab-r1")
    assert facts["model"] is facts["serial"] is facts["uptime"] is None
    assert facts["lldp_neighbors"] is None  # not collected, which is not "no neighbours"
    assert notes == ["FRRouting has no LLDP; lldp_neighbors is null (not collected)"]


def test_output_a_parser_does_not_know_is_a_note_not_a_guess() -> None:
    facts, notes = facts_from(PLATFORMS["frr"], {"version": "Hello, world\n"})
    assert facts["os_version"] is None
    assert notes[0].startswith("`show version` not understood")


def test_no_lldp_neighbours_is_an_empty_list() -> None:
    facts, _ = facts_from(PLATFORMS["ios"], {"version": text("ios_show_version.txt"),
                                             "lldp": "\nTotal entries displayed: 0\n"})
    assert facts["lldp_neighbors"] == []


def test_uptime_forms() -> None:
    assert uptime_seconds("1 year, 2 days, 0 minutes") == 367 * 86400
    assert uptime_seconds("3 weeks, 1 day, 2 hours and 1 minute") == (22 * 24 + 2) * 3600 + 60
    assert uptime_seconds("1:02:03") == 3723
    assert uptime_seconds("unknown") is None and uptime_seconds(None) is None
