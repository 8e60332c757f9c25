"""The schema of each kind of file.

The models validate one file's data and export JSON Schema for editors; the
data itself stays plain dicts (resolution merges dicts, not models). Every
field is optional and nullable in a file, because a value may be inherited
and an explicit `null` removes an inherited one; what must exist after
resolution is checked in `_integrity.py`.
"""

from __future__ import annotations

import ipaddress

from unet.inventory.shape import (
    REQUIRED,
    AnyValue,
    Bool,
    Choice,
    Field,
    Int,
    ListOf,
    MapOf,
    Model,
    Number,
    OneOf,
    Str,
)
from unet.patterns import PatternError, compile_pattern

__all__ = [
    "CONNECTION_FIELDS",
    "DEVICE_FIELDS",
    "DIALECT_NAMES",
    "INTERFACE_FIELDS",
    "MODELS",
    "Backup",
    "Connection",
    "Defaults",
    "Device",
    "Group",
    "Interface",
    "Link",
    "LinksFile",
    "Location",
    "Normalizer",
    "Protect",
    "Settings",
]

DIALECT_NAMES = ("ios", "iosxe", "nxos", "eos", "iosxr", "junos", "frr")
PLATFORM = Choice(*DIALECT_NAMES)


def _ip_address(value: str) -> str:
    ipaddress.ip_address(value)  # raises ValueError with a clear message
    return value


def _device_name(value: str) -> str:
    """A device name is a file name (configs/<name>.cfg, `render --output DIR/<name>.cfg`)
    and a command-line argument: nothing that leaves a directory or reads as an option."""
    if not value or value in (".", "..") or value[0] in ".-" or \
            any(c in "/\\" or c.isspace() or not c.isprintable() for c in value):
        raise ValueError(f"{value!r} is not a device name: use letters, digits and "
                         "'-', '_', '.' (not first), with no '/', '\\', spaces or control "
                         "characters")
    return value


def _ip_interface(value: str) -> str:
    if "/" not in value:
        raise ValueError(f"{value!r} needs a prefix length, e.g. {value}/24")
    ipaddress.ip_interface(value)
    return value


def _endpoint(value: str) -> str:
    device, sep, interface = value.partition(":")
    if not sep or not device or not interface:
        raise ValueError(f"{value!r} is not 'device:interface'")
    return value


def _jump_host(value: str) -> str:
    rest = value.rpartition("@")[2]
    host, _, port = rest.partition(":") if not rest.startswith("[") else (rest, "", "")
    if not host or (port and not (port.isdigit() and 0 < int(port) < 65536)) or " " in value:
        raise ValueError(f"{value!r} is not [user@]host[:port]")
    return value


def _match_expression(value: str) -> str:
    from unet.config import Match, MatchError

    try:
        Match.parse(value)
    except MatchError as exc:
        raise ValueError(f"invalid match expression: {exc}") from None
    return value


def _regex(value: str) -> str:
    try:
        compile_pattern(value)
    except PatternError as exc:
        raise ValueError(f"invalid regular expression at position {exc.offset}: "
                         f"{exc.message}") from None
    return value


def _path_template(value: str) -> str:
    if "{name}" not in value:
        raise ValueError(f"{value!r} must contain {{name}}, e.g. backups/{{name}}.cfg")
    if value.replace("{name}", "").count("{") or value.replace("{name}", "").count("}"):
        raise ValueError(f"{value!r}: {{name}} (the device name) is the only placeholder")
    return value


STR = Str()
VLAN = Int(ge=1, le=4094)
MTU = Int(ge=64, le=65535)
IP_INTERFACE = Str(after=_ip_interface)
VARS = MapOf(AnyValue())
UNCLAIMED = Choice("ignore", "report", "remove")

Interface = Model("Interface", "One interface of a device, keyed by its name.", {
    "description": Field(STR),
    "enabled": Field(Bool()),
    "mode": Field(Choice("access", "trunk", "routed")),
    "access_vlan": Field(VLAN),
    "native_vlan": Field(VLAN),
    "allowed_vlans": Field(ListOf(VLAN)),
    "ipv4": Field(IP_INTERFACE, description="address/prefix, e.g. 10.0.0.1/31"),
    "ipv6": Field(IP_INTERFACE, description="address/prefix, e.g. 2001:db8::1/64"),
    "mtu": Field(MTU),
    "vrf": Field(STR),
    "lag": Field(STR, description="parent port-channel/bundle interface"),
    "speed": Field(STR),
    "vars": Field(VARS),
})

Connection = Model(
    "Connection", "How `unet pull` reaches the device over SSH. Inherited like any data; "
    "never a password (that comes from the keyring, UNET_DEVICE_PASSWORD or SSH keys).", {
        "host": Field(STR, description="address or name (default: management_ip)"),
        "port": Field(Int(ge=1, le=65535), description="SSH port"),
        "username": Field(STR, description="login name (default: UNET_DEVICE_USERNAME, "
                                           "else your own)"),
        "device_type": Field(STR, description="netmiko device_type, overriding the "
                                              "platform's (e.g. cisco_ios)"),
        "timeout": Field(Number(gt=0, le=600), description="seconds to connect and for "
                                                           "each command to answer (30)"),
        "ssh_config": Field(STR, description="an OpenSSH client config file "
                                             "(ProxyJump, IdentityFile, ...)"),
        "jump_host": Field(Str(after=_jump_host), description="[user@]host[:port] to "
                                                              "connect through"),
        "key_file": Field(STR, description="private key file for this device"),
        "strict_host_keys": Field(Bool(), description="refuse hosts missing from "
                                                      "known_hosts (default: accept new keys)"),
    })

DeviceData = Model("DeviceData", "Device attributes that defaults and groups may set and "
                   "devices inherit.", {
    "platform": Field(PLATFORM, description="configuration dialect"),
    "vendor": Field(STR),
    "model": Field(STR),
    "role": Field(STR, description="one of `roles` in unet.yaml"),
    "lifecycle": Field(STR, description="one of `lifecycles` in unet.yaml"),
    "os_version": Field(STR, description='quote it: "16.9"'),
    "tags": Field(ListOf(STR)),
    "templates": Field(ListOf(STR), description="paths under templates/"),
    "interfaces": Field(MapOf(Interface, nullable=True)),
    "vars": Field(VARS, description="free-form data for templates and policies"),
    "connection": Field(Connection, description="how `unet pull` reaches it"),
    "unclaimed": Field(UNCLAIMED, description="running lines no template claims: ignore, "
                                              "report or remove"),
})

Defaults = Model("Defaults", "`defaults.yaml`: what every device starts from.", {},
                 base=DeviceData)

Device = Model("Device", "`devices/**/<name>.yaml`: one device.", {
    "name": Field(Str(after=_device_name), REQUIRED, nullable=False,
                  description="must equal the file name without .yaml; no '/', '\\', "
                              "spaces or control characters, not starting with '.' or '-'"),
    "description": Field(STR),
    "location": Field(STR),
    "management_ip": Field(Str(after=_ip_address)),
    "serial": Field(STR),
    "groups": Field(ListOf(STR), description="group names; later ones win"),
}, base=DeviceData)

Group = Model("Group", "`groups/<name>.yaml`: data and templates shared by member devices.", {
    "name": Field(STR, REQUIRED, nullable=False),
    "description": Field(STR),
    "parents": Field(ListOf(STR), description="groups applied before this one"),
}, base=DeviceData)

Location = Model("Location", "`locations/<name>.yaml`: one node of the site hierarchy.", {
    "name": Field(STR, REQUIRED, nullable=False),
    "type": Field(STR, description="one of `location_types` in unet.yaml"),
    "parent": Field(STR),
    "description": Field(STR),
    "vars": Field(VARS, description="inherited by every device below"),
})

Link = Model("Link", "A link between two device interfaces.", {
    "endpoints": Field(ListOf(Str(after=_endpoint), min_items=2, max_items=2), REQUIRED,
                       nullable=False),
    "description": Field(STR),
    "type": Field(STR),
    "speed": Field(STR),
    "mtu": Field(MTU),
    "vars": Field(VARS),
})

LinksFile = Model("LinksFile", "`links/*.yaml`.", {
    "links": Field(ListOf(Link), REQUIRED, nullable=False),
})

PLATFORMS = Field(ListOf(PLATFORM), description="only these (default: all)")

Normalizer = Model("Normalizer", "A regex applied to every line of running and intended "
                   "configs before comparing.", {
    "pattern": Field(Str(after=_regex), REQUIRED, nullable=False,
                     description="Python regular expression, searched in each line"),
    "replace": Field(STR, "", nullable=False, description="replacement (\\1 for groups); "
                                                          "'' removes"),
    "platforms": PLATFORMS,
})

MATCH_EXPRESSION = Str(after=_match_expression)

Protect = Model("Protect", "A `protect:` entry: lines remediation never removes or resets "
                "(held back instead).", {
    "match": Field(MATCH_EXPRESSION, REQUIRED, nullable=False,
                   description="match expression, e.g. 'interface Gi0/0'"),
    "reason": Field(STR, description="shown with each held-back command"),
    "platforms": PLATFORMS,
})

Backup = Model("Backup", "`backup:` in unet.yaml: how `unet pull` stores running "
               "configurations.", {
    "scrub": Field(Bool(), True, nullable=False, description="mask secrets (the dialect's "
                   "secret table) before writing configs/"),
})

Settings = Model("Settings", "`unet.yaml`: marks the repository root and holds its settings.", {
    "name": Field(STR),
    "version": Field(Choice(1), 1, nullable=False),
    "roles": Field(ListOf(STR), [
        "core", "distribution", "access", "spine", "leaf", "border", "edge", "firewall",
        "wan", "management",
    ], nullable=False),
    "lifecycles": Field(ListOf(STR), ["planned", "implementing", "live", "decommissioned"],
                        nullable=False),
    "location_types": Field(ListOf(STR), ["region", "site", "building", "floor", "room",
                                          "rack"], nullable=False),
    "normalizers": Field(ListOf(Normalizer), [], nullable=False),
    "protect": Field(ListOf(OneOf((str, MATCH_EXPRESSION), (dict, Protect),
                                  expected="a match expression or a mapping with 'match'")),
                     [], nullable=False, description="site-specific lines remediation never "
                                                     "removes or resets"),
    "unclaimed": Field(UNCLAIMED, "ignore", nullable=False,
                       description="running lines no template claims: ignore, report or remove"),
    "backup": Field(Backup, Backup, nullable=False),
    "baseline": Field(STR, description="what `unet check --baseline` (the pre-commit hook's "
                      "default) compares with: report only findings new since this revision "
                      "(merge base with HEAD); default HEAD"),
    "running_configs": Field(Str(after=_path_template), description="read running configs "
                             "from here instead of configs/, e.g. 'backups/{name}.cfg'; "
                             "relative to the repository root"),
})


# Field names by kind, for tools that check references to them (policies, templates).
DEVICE_FIELDS = tuple(Device.fields)
INTERFACE_FIELDS = tuple(Interface.fields)
CONNECTION_FIELDS = tuple(Connection.fields)

# Schema name (as exported for editors) -> model.
MODELS: dict[str, Model] = {
    "settings": Settings,
    "defaults": Defaults,
    "location": Location,
    "group": Group,
    "device": Device,
    "links": LinksFile,
}
