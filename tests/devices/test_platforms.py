"""The platform table is complete and consistent: every dialect has a row, every driver
exists in netmiko, every parser has its template, and each row knows its own output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from netmiko.ssh_dispatcher import CLASS_MAPPER

from unet.config import DIALECTS
from unet.devices import PARSERS, PLATFORMS, get_platform
from unet.inventory import DIALECT_NAMES

# The first line each platform's `show version` prints (FRR's from the lab).
VERSION_LINES = {
    "ios": "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E9",
    "iosxe": "Cisco IOS XE Software, Version 17.09.04a",
    "nxos": "Cisco Nexus Operating System (NX-OS) Software",
    "eos": "Arista DCS-7050SX3-48YC8",
    "iosxr": "Cisco IOS XR Software, Version 7.9.2",
    "junos": "Junos: 22.4R3-S2.11",
    "frr": "FRRouting 8.4.4 (lab-r1) on Linux(6.1.0).",
}


def test_every_platform_of_the_data_model_has_a_row() -> None:
    assert sorted(PLATFORMS) == sorted(DIALECT_NAMES)
    assert all(name in DIALECTS for name in PLATFORMS)


@pytest.mark.parametrize("name", sorted(PLATFORMS))
def test_a_row_is_usable(name: str) -> None:
    row = PLATFORMS[name]
    assert row.device_type in CLASS_MAPPER
    for pattern in (row.identity, row.prompt, row.config_prompt, *row.error_patterns):
        re.compile(pattern)
    assert re.search(row.identity, VERSION_LINES[name], re.MULTILINE)
    others = [n for n, line in VERSION_LINES.items()
              if n != name and re.search(row.identity, line, re.MULTILINE)]
    assert set(others) <= {"ios", "iosxe"}  # IOS XE prints "Cisco IOS Software" too
    assert [f.kind for f in row.facts][:1] == ["version"]
    assert row.safety_net.description


@pytest.mark.parametrize("name", sorted(PLATFORMS))
def test_every_ntc_parser_has_its_template(name: str) -> None:
    import ntc_templates

    folder = Path(ntc_templates.__file__).parent / "templates"
    for fact in PLATFORMS[name].facts:
        assert fact.parser in PARSERS
        if fact.parser == "ntc":
            template = f"{fact.ntc_platform}_{fact.command.replace(' ', '_')}.textfsm"
            assert (folder / template).is_file(), template


def test_prompts_match_what_devices_print() -> None:
    frr = PLATFORMS["frr"]
    assert re.search(frr.prompt, "lab-r1#") and not re.search(frr.prompt, "lab-r1(config)#")
    assert re.search(frr.config_prompt, "lab-r1(config-router-af)#")
    assert re.search(PLATFORMS["junos"].prompt, "netops@fw1> ")


def test_an_unknown_platform_gets_a_suggestion() -> None:
    with pytest.raises(ValueError, match="did you mean 'nxos'"):
        get_platform("nxso")
