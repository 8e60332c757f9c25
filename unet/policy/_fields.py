"""The fields a policy can name, by kind of value, for "unknown field" errors at compile time.

Kinds: `device` (node), `interfaces` (name -> interface), `interface`, `links`, `link`,
`config` (running/intended), `sections`, `section`, and `any` (free-form data such
as `vars`, where every name is allowed).
"""

from __future__ import annotations

from unet.inventory import DEVICE_FIELDS, INTERFACE_FIELDS, LLDP_FIELDS, STATE_FIELDS

__all__ = ["CONFIG_METHODS", "CONFIG_ROOTS", "FIELDS", "FLEET_ROOT", "FUNCTIONS", "ORIGINAL_FIELDS",
           "element_kind", "field_kind"]

CONFIG_ROOTS = ("running", "intended")
FLEET_ROOT = "fleet"  # every device of the repository, for rules across devices
CONFIG_METHODS = ("sections", "lines", "value")
FUNCTIONS = ("version", "len", "lower", "upper", "split", "trim", "replace", "concat", "join",
             "int", "address", "network", "prefixlen", "in_subnet", "capture", "escape")

# The original μNet's node fields -> where unet keeps the same data. Fields unet's model has
# no place for are read from `vars` (where a migrated repository keeps them).
ORIGINAL_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("name",),
    "version": ("os_version",),
    "location_id": ("location",),
    "serial_number": ("serial",),
    "domain": ("vars", "domain"),
    "fqdn": ("vars", "fqdn"),
    "asset_tag": ("vars", "asset_tag"),
}

_DEVICE_FIELDS = dict.fromkeys(DEVICE_FIELDS, "any")
_DEVICE_FIELDS.update(interfaces="interfaces", links="links", vars="any", all_groups="any",
                      inherited="inherited")
_INTERFACE_FIELDS = dict.fromkeys(INTERFACE_FIELDS, "any")
_INTERFACE_FIELDS["name"] = "any"
_LINK_FIELDS = dict.fromkeys(("interface", "peer", "peer_interface", "description", "type",
                              "speed", "mtu", "vars"), "any")
_LINK_FIELDS["peer_node"] = "device"  # the device at the other end
_SECTION_FIELDS = {"text": "any", "line": "any"}
# `derived.*`: the facts `unet pull` writes to state/<device>.yaml.
_DERIVED_FIELDS = dict.fromkeys(STATE_FIELDS, "any")
_DERIVED_FIELDS["lldp_neighbors"] = "lldp_neighbors"

FIELDS: dict[str, dict[str, str]] = {
    "device": _DEVICE_FIELDS,
    "interface": _INTERFACE_FIELDS,
    "link": _LINK_FIELDS,
    "section": _SECTION_FIELDS,
    "derived": _DERIVED_FIELDS,
    "lldp_neighbor": dict.fromkeys(LLDP_FIELDS, "any"),
    # node.inherited.<layer>: one inheritance layer alone (policy/_layers.py)
    "inherited": dict.fromkeys(("defaults", "location", "groups", "device"), "device"),
}
_ELEMENTS = {"interfaces": "interface", "links": "link", "sections": "section",
             "lldp_neighbors": "lldp_neighbor", "fleet": "device"}


def field_kind(kind: str, name: str | int) -> str | None:
    """The kind reached by `.name` from a value of `kind`; None when the name is unknown."""
    if kind in FIELDS:
        return FIELDS[kind].get(str(name))
    if kind in _ELEMENTS:  # indexing a collection: interfaces["Gi1"], links[0]
        return _ELEMENTS[kind]
    return "any" if kind == "any" else None


def element_kind(kind: str) -> str:
    """The kind of the elements a quantifier walks over."""
    return _ELEMENTS.get(kind, "any")
