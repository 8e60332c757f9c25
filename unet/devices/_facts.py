"""Facts from command output: ntc-templates (TextFSM) where it has a template, unet's own
parsers where it has none (FRRouting's `show version`), mapped to the state schema."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from unet.devices._platforms import FactCommand, Platform

__all__ = ["FACT_FIELDS", "LLDP_FIELDS", "PARSERS", "UnparsableOutput", "facts_from",
           "uptime_seconds"]

# The state schema: state/<device>.yaml holds these keys (docs/devices.md).
FACT_FIELDS = ("hostname", "os_version", "model", "serial", "uptime")
LLDP_FIELDS = ("local_interface", "neighbor", "neighbor_interface", "neighbor_device",
               "chassis_id", "management_address")

Records = list[dict[str, Any]]


class UnparsableOutput(ValueError):
    """The output does not have the shape the parser knows."""


def _ntc(fact: FactCommand, text: str) -> Records:
    from ntc_templates.parse import parse_output  # type: ignore[import-untyped]

    try:
        records: Records = parse_output(platform=fact.ntc_platform, command=fact.command,
                                        data=text)
    except Exception as exc:  # textfsm errors: no template, or output it cannot read
        raise UnparsableOutput(f"{type(exc).__name__}: {' '.join(str(exc).split())[:120]}"
                               ) from None
    return records


_FRR_VERSION = re.compile(r"^FRRouting (?P<version>\S+) \((?P<hostname>[^)]*)\) on "
                          r"(?P<os>\S+?)\.?\s*$", re.MULTILINE)


def _frr_version(fact: FactCommand, text: str) -> Records:
    """`FRRouting 8.4.4 (lab-r1) on Linux(6.1.0).` (no model, serial or uptime)."""
    found = _FRR_VERSION.search(text)
    if found is None:
        raise UnparsableOutput("no 'FRRouting <version> (<host>) on <os>' line")
    return [{"version": found["version"], "hostname": found["hostname"], "os": found["os"]}]


PARSERS: dict[str, Callable[[FactCommand, str], Records]] = {
    "ntc": _ntc,
    "frr_version": _frr_version,
}


def _value(record: dict[str, Any], column: str) -> Any:
    value = record.get(column)
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str):
        value = value.strip() or None
    return value


def _mapped(fact: FactCommand, record: dict[str, Any]) -> dict[str, Any]:
    if not fact.fields:  # unet's own parsers already speak the schema's names
        return {"os_version": record.get("version"), "hostname": record.get("hostname")}
    return {field: _value(record, column) for field, column in fact.fields}


def facts_from(platform: Platform, outputs: dict[str, str], *, devices: Iterable[str] = (),
               ) -> tuple[dict[str, Any], list[str]]:
    """The state schema's facts from each fact command's output, and notes on what could
    not be read. `devices` are the inventory's names, to name LLDP neighbours."""
    facts: dict[str, Any] = dict.fromkeys(FACT_FIELDS)
    facts["uptime_seconds"] = None
    facts["lldp_neighbors"] = None
    notes: list[str] = []
    known = set(devices)
    for fact in platform.facts:
        text = outputs.get(fact.kind)
        if text is None:
            continue
        try:
            records = PARSERS[fact.parser](fact, text)
        except UnparsableOutput as exc:
            notes.append(f"`{fact.command}` not understood ({exc})")
            continue
        if fact.kind == "version":
            if records:
                facts.update({k: v for k, v in _mapped(fact, records[0]).items() if k in facts})
            else:
                notes.append(f"`{fact.command}` not understood (nothing recognised)")
        elif fact.kind == "lldp":
            facts["lldp_neighbors"] = [_neighbor(fact, r, platform, known) for r in records]
    facts["uptime_seconds"] = uptime_seconds(facts.get("uptime"))
    if platform.lldp_note and facts["lldp_neighbors"] is None:
        notes.append(platform.lldp_note)
    return facts, notes


def _neighbor(fact: FactCommand, record: dict[str, Any], platform: Platform,
              known: set[str]) -> dict[str, Any]:
    entry = dict.fromkeys(LLDP_FIELDS)
    entry.update({k: v for k, v in _mapped(fact, record).items() if k in entry})
    local = entry.get("local_interface")
    if isinstance(local, str):
        entry["local_interface"] = _canonical(local, platform.name)
    name = entry.get("neighbor")
    if isinstance(name, str):
        short = name.split(".", 1)[0]
        entry["neighbor_device"] = name if name in known else short if short in known else None
    return entry


def _canonical(name: str, platform: str) -> str:
    """`Gi1/0/1` as the configuration writes it, so it compares with `links/`."""
    from unet.templates import interface_canonical

    try:
        return interface_canonical(name, platform)
    except ValueError:
        return name


_UNITS = {"year": 365 * 86400, "week": 7 * 86400, "day": 86400, "hour": 3600, "minute": 60,
          "second": 1}
_UPTIME = re.compile(r"(\d+)\s*(year|week|day|hour|minute|second)s?", re.IGNORECASE)


def uptime_seconds(uptime: Any) -> int | None:
    """`1 year, 2 weeks, 3 days, 4 hours, 5 minutes` → seconds (None when not readable)."""
    if not isinstance(uptime, str):
        return None
    parts = _UPTIME.findall(uptime)
    hms = re.search(r"(\d+):(\d{2}):(\d{2})", uptime)  # EOS `1:23:45`
    if not parts and not hms:
        return None
    total = sum(int(n) * _UNITS[unit.lower()] for n, unit in parts)
    if hms:
        total += int(hms[1]) * 3600 + int(hms[2]) * 60 + int(hms[3])
    return total
