"""The schema of each kind of file, as pydantic models.

The models validate one file's data and export JSON Schema for editors; the
data itself stays plain dicts (resolution merges dicts, not models). Every
field is optional and nullable in a file, because a value may be inherited
and an explicit `null` removes an inherited one; what must exist after
resolution is checked in `_integrity.py`.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

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
Platform = Literal["ios", "iosxe", "nxos", "eos", "iosxr", "junos", "frr"]


def _ip_address(value: str) -> str:
    ipaddress.ip_address(value)  # raises ValueError with a clear message
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


IPAddress = Annotated[StrictStr, AfterValidator(_ip_address)]
IPInterface = Annotated[StrictStr, AfterValidator(_ip_interface)]
VlanId = Annotated[StrictInt, Field(ge=1, le=4094)]
Endpoint = Annotated[StrictStr, AfterValidator(_endpoint)]
Vars = dict[StrictStr, Any]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class Interface(_Model):
    """One interface of a device, keyed by its name."""

    description: StrictStr | None = None
    enabled: StrictBool | None = None
    mode: Literal["access", "trunk", "routed"] | None = None
    access_vlan: VlanId | None = None
    native_vlan: VlanId | None = None
    allowed_vlans: list[VlanId] | None = None
    ipv4: IPInterface | None = Field(None, description="address/prefix, e.g. 10.0.0.1/31")
    ipv6: IPInterface | None = Field(None, description="address/prefix, e.g. 2001:db8::1/64")
    mtu: Annotated[StrictInt, Field(ge=64, le=65535)] | None = None
    vrf: StrictStr | None = None
    lag: StrictStr | None = Field(None, description="parent port-channel/bundle interface")
    speed: StrictStr | None = None
    vars: Vars | None = None


def _jump_host(value: str) -> str:
    rest = value.rpartition("@")[2]
    host, _, port = rest.partition(":") if not rest.startswith("[") else (rest, "", "")
    if not host or (port and not (port.isdigit() and 0 < int(port) < 65536)) or " " in value:
        raise ValueError(f"{value!r} is not [user@]host[:port]")
    return value


class Connection(_Model):
    """How `unet pull` reaches the device over SSH. Inherited like any data; never a
    password (that comes from the keyring, UNET_DEVICE_PASSWORD or SSH keys)."""

    host: StrictStr | None = Field(None, description="address or name (default: management_ip)")
    port: Annotated[StrictInt, Field(ge=1, le=65535)] | None = Field(None, description="SSH port")
    username: StrictStr | None = Field(
        None, description="login name (default: UNET_DEVICE_USERNAME, else your own)")
    device_type: StrictStr | None = Field(
        None, description="netmiko device_type, overriding the platform's (e.g. cisco_ios)")
    timeout: Annotated[float, Field(gt=0, le=600)] | None = Field(
        None, description="seconds to connect and for each command to answer (30)")
    ssh_config: StrictStr | None = Field(None, description="an OpenSSH client config file "
                                                           "(ProxyJump, IdentityFile, ...)")
    jump_host: Annotated[StrictStr, AfterValidator(_jump_host)] | None = Field(
        None, description="[user@]host[:port] to connect through")
    key_file: StrictStr | None = Field(None, description="private key file for this device")
    strict_host_keys: StrictBool | None = Field(
        None, description="refuse hosts missing from known_hosts (default: accept new keys)")


Unclaimed = Literal["ignore", "report", "remove"]


def _match_expression(value: str) -> str:
    from unet.config import Match, MatchError

    try:
        Match.parse(value)
    except MatchError as exc:
        raise ValueError(f"invalid match expression: {exc}") from None
    return value


MatchExpression = Annotated[StrictStr, AfterValidator(_match_expression)]


class DeviceData(_Model):
    """Device attributes that defaults and groups may set and devices inherit."""

    platform: Platform | None = Field(None, description="configuration dialect")
    vendor: StrictStr | None = None
    model: StrictStr | None = None
    role: StrictStr | None = Field(None, description="one of `roles` in unet.yaml")
    lifecycle: StrictStr | None = Field(None, description="one of `lifecycles` in unet.yaml")
    os_version: StrictStr | None = Field(None, description='quote it: "16.9"')
    tags: list[StrictStr] | None = None
    templates: list[StrictStr] | None = Field(None, description="paths under templates/")
    interfaces: dict[StrictStr, Interface | None] | None = None
    vars: Vars | None = Field(None, description="free-form data for templates and policies")
    connection: Connection | None = Field(None, description="how `unet pull` reaches it")
    unclaimed: Unclaimed | None = Field(
        None, description="running lines no template claims: ignore, report or remove")


class Defaults(DeviceData):
    """`defaults.yaml`: what every device starts from."""


class Device(DeviceData):
    """`devices/**/<name>.yaml`: one device."""

    name: StrictStr = Field(description="must equal the file name without .yaml")
    description: StrictStr | None = None
    location: StrictStr | None = None
    management_ip: IPAddress | None = None
    serial: StrictStr | None = None
    groups: list[StrictStr] | None = Field(None, description="group names; later ones win")


class Group(DeviceData):
    """`groups/<name>.yaml`: data and templates shared by member devices."""

    name: StrictStr
    description: StrictStr | None = None
    parents: list[StrictStr] | None = Field(None, description="groups applied before this one")


class Location(_Model):
    """`locations/<name>.yaml`: one node of the site hierarchy."""

    name: StrictStr
    type: StrictStr | None = Field(None, description="one of `location_types` in unet.yaml")
    parent: StrictStr | None = None
    description: StrictStr | None = None
    vars: Vars | None = Field(None, description="inherited by every device below")


class Link(_Model):
    """A link between two device interfaces."""

    endpoints: Annotated[list[Endpoint], Field(min_length=2, max_length=2)]
    description: StrictStr | None = None
    type: StrictStr | None = None
    speed: StrictStr | None = None
    mtu: Annotated[StrictInt, Field(ge=64, le=65535)] | None = None
    vars: Vars | None = None


class LinksFile(_Model):
    """`links/*.yaml`."""

    links: list[Link]


def _regex(value: str) -> str:
    try:
        compile_pattern(value)
    except PatternError as exc:
        raise ValueError(f"invalid regular expression at position {exc.offset}: "
                         f"{exc.message}") from None
    return value


class Normalizer(_Model):
    """A regex applied to every line of running and intended configs before comparing."""

    pattern: Annotated[StrictStr, AfterValidator(_regex)] = Field(
        description="Python regular expression, searched in each line")
    replace: StrictStr = Field("", description="replacement (\\1 for groups); '' removes")
    platforms: list[Platform] | None = Field(None, description="only these (default: all)")


class Protect(_Model):
    """A `protect:` entry: lines remediation never removes or resets (held back instead)."""

    match: MatchExpression = Field(description="match expression, e.g. 'interface Gi0/0'")
    reason: StrictStr | None = Field(None, description="shown with each held-back command")
    platforms: list[Platform] | None = Field(None, description="only these (default: all)")


class Backup(_Model):
    """`backup:` in unet.yaml: how `unet pull` stores running configurations."""

    scrub: Annotated[StrictBool, Field(description="mask secrets (the dialect's secret table) "
                                                  "before writing configs/")] = True


def _path_template(value: str) -> str:
    if "{name}" not in value:
        raise ValueError(f"{value!r} must contain {{name}}, e.g. ../backups/{{name}}")
    if value.replace("{name}", "").count("{") or value.replace("{name}", "").count("}"):
        raise ValueError(f"{value!r}: {{name}} (the device name) is the only placeholder")
    return value


class Settings(_Model):
    """`unet.yaml`: marks the repository root and holds its settings."""

    name: StrictStr | None = None
    version: Literal[1] = 1
    roles: list[StrictStr] = [
        "core", "distribution", "access", "spine", "leaf", "border", "edge", "firewall",
        "wan", "management",
    ]
    lifecycles: list[StrictStr] = ["planned", "implementing", "live", "decommissioned"]
    location_types: list[StrictStr] = ["region", "site", "building", "floor", "room", "rack"]
    normalizers: list[Normalizer] = []
    protect: list[MatchExpression | Protect] = Field(
        default_factory=list, description="site-specific lines remediation never removes or resets")
    unclaimed: Unclaimed = Field(
        default="ignore", description="running lines no template claims: ignore, report or remove")
    backup: Backup = Field(default_factory=Backup)
    baseline: Annotated[StrictStr | None, Field(
        description="what `unet check --baseline` (the pre-commit hook's default) compares "
                    "with: report only findings new since this revision (merge base with "
                    "HEAD); default HEAD")] = None
    running_configs: Annotated[
        Annotated[StrictStr, AfterValidator(_path_template)] | None,
        Field(description="read running configs from here instead of configs/, e.g. "
                          "'backups/{name}.cfg'; relative to the repository root")] = None


# Field names by kind, for tools that check references to them (policies, templates).
DEVICE_FIELDS = tuple(Device.model_fields)
INTERFACE_FIELDS = tuple(Interface.model_fields)
CONNECTION_FIELDS = tuple(Connection.model_fields)

# Schema name (as exported for editors) -> model.
MODELS: dict[str, type[_Model]] = {
    "settings": Settings,
    "defaults": Defaults,
    "location": Location,
    "group": Group,
    "device": Device,
    "links": LinksFile,
}
