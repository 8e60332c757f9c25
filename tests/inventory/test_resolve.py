from __future__ import annotations

from unet.inventory import load_inventory
from unet.source import MemorySnapshot

BASE = {
    "unet.yaml": "name: t\n",
    "defaults.yaml": "lifecycle: planned\nvars:\n  ntp: [1.1.1.1]\n  domain: x.net\n"
                     "  snmp: {contact: noc, community: public}\n",
    "locations/emea.yaml": "name: emea\ntype: region\nvars: {tz: UTC, region: emea}\n",
    "locations/hq.yaml": "name: hq\ntype: site\nparent: emea\nvars: {tz: CET}\n",
    "groups/base.yaml": "name: base\ndescription: not inherited\nplatform: ios\n"
                        "templates: [ios/base.j2]\nvars: {snmp: {contact: netops}}\n",
    "groups/core.yaml": "name: core\nparents: [base]\nrole: core\n"
                        "templates: [ios/core.j2, ios/base.j2]\nvars: {domain: null, ntp: [2.2.2.2]}\n",
    "groups/wan.yaml": "name: wan\nparents: [base]\nrole: wan\ntemplates: [ios/wan.j2]\n",
    "devices/r1.yaml": "name: r1\nlocation: hq\ngroups: [core, wan]\nlifecycle: live\n"
                       "templates: [ios/r1.j2]\nvars:\n  snmp: {community: null}\n",
}


def device(files: dict[str, str] | None = None):
    inventory = load_inventory(MemorySnapshot({**BASE, **(files or {})}))
    assert [str(d) for d in inventory.diagnostics] == []
    return inventory.devices["r1"]


def test_precedence_defaults_location_groups_device() -> None:
    r1 = device()
    assert r1.get("lifecycle") == "live"  # device beats defaults
    assert r1.get("vars.tz") == "CET"  # leaf location beats its parent
    assert r1.get("vars.region") == "emea"  # inherited from the root location
    assert r1.get("role") == "wan"  # later group in the device's list wins
    assert r1.get("platform") == "ios"  # from a parent group


def test_dicts_merge_lists_replace_null_removes() -> None:
    r1 = device()
    assert r1.get("vars.snmp") == {"contact": "netops"}  # merged, then community removed
    assert r1.get("vars.ntp") == ["2.2.2.2"]  # replaced, not appended
    assert r1.get("vars.domain") is None and "domain" not in r1.data["vars"]


def test_group_own_keys_are_not_inherited() -> None:
    assert device().get("description") is None


def test_templates_accumulate_in_order_each_once() -> None:
    assert device().get("templates") == ["ios/base.j2", "ios/core.j2", "ios/wan.j2", "ios/r1.j2"]


def test_groups_apply_parents_first_and_each_once() -> None:
    assert device().applied_groups == ("base", "core", "wan")


def test_location_chain_is_root_first() -> None:
    assert device().locations == ("emea", "hq")


def test_provenance_names_the_file_and_line_each_value_came_from() -> None:
    r1 = device()
    assert str(r1.where("vars.tz")) == "locations/hq.yaml:4:12"
    assert str(r1.where("vars.region")) == "locations/emea.yaml:3:25"
    assert str(r1.where("vars.snmp.contact")) == "groups/base.yaml:5:24"
    assert str(r1.where("role")) == "groups/wan.yaml:3:7"
    assert str(r1.where("lifecycle")) == "devices/r1.yaml:4:12"
    # A path that does not exist points at the key of the nearest parent that does.
    assert str(r1.where("vars.snmp.nothing")) == "devices/r1.yaml:7:3"
    assert str(r1.where("vars.nothing")) == "devices/r1.yaml:6:1"


def test_explain_lists_every_leaf_with_its_origin() -> None:
    explained = {".".join(map(str, p)): str(w) for p, _, w in device().explain()}
    assert explained["vars.ntp"] == "groups/core.yaml:5:27"
    assert explained["templates.0"] == "groups/base.yaml:4:13"
    assert explained["templates.3"] == "devices/r1.yaml:5:13"


def test_lifecycle_defaults_to_live() -> None:
    r1 = device({"defaults.yaml": "vars: {}\n", "devices/r1.yaml": "name: r1\nplatform: eos\n"})
    assert r1.get("lifecycle") == "live"
    assert str(r1.where("lifecycle")) == "(built-in default)"


def test_resolving_does_not_change_the_source_documents() -> None:
    inventory = load_inventory(MemorySnapshot(BASE))
    inventory.devices["r1"].data["vars"]["tz"] = "changed"
    assert inventory.locations["hq"].data["vars"]["tz"] == "CET"
