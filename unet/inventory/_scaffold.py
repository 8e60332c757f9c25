"""A new network repository: settings, folders, one example device, editor schema wiring."""

from __future__ import annotations

import json
import os
from pathlib import Path

from unet.inventory._schema import json_schemas
from unet.paths import write_replacing

__all__ = ["SCHEMA_DIR", "scaffold", "write_schemas"]

SCHEMA_DIR = "schema"

# Which files each exported schema describes, for editors (yaml-language-server globs).
SCHEMA_GLOBS = {
    "settings": ["unet.yaml"],
    "defaults": ["defaults.yaml"],
    "location": ["locations/**/*.yaml"],
    "group": ["groups/**/*.yaml"],
    "device": ["devices/**/*.yaml"],
    "links": ["links/**/*.yaml"],
}


def _modeline(file: str, kind: str) -> str:
    # yaml-language-server resolves the schema path relative to the YAML file itself.
    depth = file.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{kind}.schema.json\n"


_FILES = {
    "unet.yaml": ("settings", """\
name: {name}
version: 1
# Values devices may use for `role` and `lifecycle`; extend them as you need.
roles: [core, distribution, access, spine, leaf, border, edge, firewall, wan, management]
lifecycles: [planned, implementing, live, decommissioned]
location_types: [region, site, building, floor, room, rack]
"""),
    "defaults.yaml": ("defaults", """\
# Every device starts from these values; locations, groups and devices override them.
lifecycle: live
vars:
  domain_name: example.net
  ntp_servers: [192.0.2.123]
"""),
    "locations/site1.yaml": ("location", """\
name: site1
type: site
description: First site
vars:
  snmp_location: "Site 1, main building"
"""),
    "groups/routers.yaml": ("group", """\
name: routers
description: Edge routers
platform: ios
vendor: cisco
role: edge
"""),
    "devices/site1/site1-rtr-01.yaml": ("device", """\
name: site1-rtr-01
location: site1
groups: [routers]
model: isr4331
management_ip: 192.0.2.1
os_version: "17.9.4"
interfaces:
  GigabitEthernet0/0/0: {description: uplink to provider, ipv4: 198.51.100.2/30}
  GigabitEthernet0/0/1: {description: LAN, ipv4: 10.1.0.1/24}
vars:
  bgp_asn: 65001
"""),
    "links/site1.yaml": ("links", """\
links: []
"""),
}

_KEEP = ("templates", "policies", "configs")
_GITIGNORE = "# unet keeps its cache in the user cache directory; nothing to ignore by default.\n"


def scaffold(root: Path, *, name: str | None = None) -> list[str]:
    """Create what is missing of a new repository under `root`; return created paths.

    Existing files are never overwritten.
    """
    created: list[str] = []

    def write(relative: str, text: str) -> None:
        target = root / relative
        if os.path.lexists(target):  # also a dangling symlink: never written through
            return
        write_replacing(target, text)
        created.append(relative)

    for relative, (kind, body) in _FILES.items():
        network = name or root.resolve().name
        write(relative, _modeline(relative, kind) + body.replace("{name}", network))
    for folder in _KEEP:
        write(f"{folder}/.gitkeep", "")
    write(".gitignore", _GITIGNORE)
    created.extend(write_schemas(root / SCHEMA_DIR, relative_to=root))
    write(".vscode/settings.json", json.dumps(_vscode_settings(), indent=2) + "\n")
    return created


def write_schemas(directory: Path, *, relative_to: Path | None = None) -> list[str]:
    """Write `<kind>.schema.json` for every kind of file; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, schema in json_schemas().items():
        target = directory / f"{kind}.schema.json"
        write_replacing(target, json.dumps(schema, indent=2) + "\n")
        written.append(str(target.relative_to(relative_to)) if relative_to else str(target))
    return written


def _vscode_settings() -> dict[str, object]:
    return {"yaml.schemas": {f"./{SCHEMA_DIR}/{kind}.schema.json": globs
                             for kind, globs in SCHEMA_GLOBS.items()}}
