from __future__ import annotations

from tests.helpers import MINIMAL
from unet.inventory import load_inventory
from unet.source import MemorySnapshot


def problems(files: dict[str, str | None]) -> list[str]:
    content = {k: v for k, v in {**MINIMAL, **files}.items() if v is not None}
    return [str(d) for d in load_inventory(MemorySnapshot(content)).diagnostics]


def test_minimal_repository_is_clean() -> None:
    assert problems({}) == []


def test_unknown_location_at_the_referring_line() -> None:
    assert problems({"devices/hq/r1.yaml": "name: r1\nlocation: hqq\ngroups: [ios]\n"}) == [
        "devices/hq/r1.yaml:2:11: U301 error: unknown location 'hqq' (did you mean 'hq'?)"
    ]


def test_unknown_group_at_the_list_item() -> None:
    found = problems({"devices/hq/r1.yaml": "name: r1\nlocation: hq\ngroups: [ios, coer]\n"})
    assert found == ["devices/hq/r1.yaml:3:15: U302 error: unknown group 'coer'"]


def test_a_misspelt_group_is_the_only_error_not_also_no_platform() -> None:
    """The platform comes from the group: "no platform" first would send the reader to the
    wrong line."""
    found = problems({"devices/hq/r1.yaml": "name: r1\nlocation: hq\ngroups: [iso]\n"})
    assert found == ["devices/hq/r1.yaml:3:10: U302 error: unknown group 'iso' "
                     "(did you mean 'ios'?)"]


def test_unknown_parent_location_and_group() -> None:
    found = problems({
        "locations/b1.yaml": "name: b1\ntype: building\nparent: hx\n",
        "groups/core.yaml": "name: core\nparents: [io]\n",
    })
    assert "groups/core.yaml:2:11: U302 error: unknown parent group 'io' (did you mean 'ios'?)" in found
    assert "locations/b1.yaml:3:9: U301 error: unknown parent location 'hx' (did you mean 'hq'?)" in found


def test_group_cycle_reported_once() -> None:
    found = problems({
        "groups/a.yaml": "name: a\nparents: [b]\n",
        "groups/b.yaml": "name: b\nparents: [c]\n",
        "groups/c.yaml": "name: c\nparents: [a]\n",
    })
    assert found == ["groups/c.yaml:2:11: U309 error: group cycle: a -> b -> c -> a"]


def test_location_cycle() -> None:
    found = problems({
        "locations/x.yaml": "name: x\nparent: y\n",
        "locations/y.yaml": "name: y\nparent: x\n",
    })
    assert found == ["locations/y.yaml:2:9: U309 error: location cycle: x -> y -> x"]


def test_link_to_a_missing_device() -> None:
    found = problems({"links/hq.yaml": "links:\n  - endpoints: [\"r1:Gi1\", \"rx1:Gi1\"]\n"})
    assert found == [
        "links/hq.yaml:2:27: U303 error: link endpoint 'rx1:Gi1' is on unknown device 'rx1' "
        "(did you mean 'r1'?)"
    ]


def test_same_interface_in_two_links_names_the_first() -> None:
    found = problems({"links/more.yaml": "links:\n  - endpoints: [\"r1:Gi1\", \"r2:Gi9\"]\n"})
    assert "links/more.yaml:2:17: U304 error: interface 'r1:Gi1' is already in a link at " \
           "links/hq.yaml:2:17" in found


def test_link_to_an_undeclared_interface_is_a_warning() -> None:
    found = problems({"links/hq.yaml": "links:\n  - endpoints: [\"r1:Gi1\", \"r2:Gi2\"]\n"})
    assert found == ["links/hq.yaml:2:27: U310 warning: interface 'Gi2' is not among device "
                     "'r2''s interfaces (did you mean 'Gi1'?)"]


def test_duplicate_management_ip() -> None:
    found = problems({"devices/hq/r2.yaml": "name: r2\nlocation: hq\ngroups: [ios]\n"
                                            "management_ip: 10.0.0.1\n"})
    assert found == ["devices/hq/r2.yaml:4:16: U305 error: management_ip 10.0.0.1 is also used "
                     "by device 'r1' (devices/hq/r1.yaml:5:16)"]


def test_file_stem_must_match_name() -> None:
    found = problems({"devices/hq/r2.yaml": None,
                      "devices/hq/router2.yaml": "name: r2\ngroups: [ios]\n"})
    assert found == ["devices/hq/router2.yaml:1:7: U307 error: device name 'r2' differs from its "
                     "file name 'router2'; rename one so they match"]


def test_duplicate_device_names_across_folders() -> None:
    found = problems({"devices/dc/r2.yaml": "name: r2\ngroups: [ios]\n"})
    assert found == ["devices/hq/r2.yaml:1:7: U306 error: duplicate device name 'r2'; also "
                     "defined in devices/dc/r2.yaml"]


def test_platform_is_required_after_inheritance() -> None:
    found = problems({"devices/hq/r2.yaml": "name: r2\nlocation: hq\n"})
    assert found == ["devices/hq/r2.yaml:1:7: U203 error: device 'r2' has no platform; set it in "
                     "the device file or in one of its groups (ios, iosxe, nxos, eos, iosxr, junos, frr)"]


def test_roles_come_from_settings_and_are_reported_where_set() -> None:
    found = problems({"unet.yaml": "roles: [core, edge]\n",
                      "groups/ios.yaml": "name: ios\nplatform: ios\nrole: egde\n",
                      "devices/hq/r2.yaml": "name: r2\ngroups: [ios]\n"})
    # r1 sets its own role (core, allowed); r2 inherits the typo, reported once at the group.
    assert found == ["groups/ios.yaml:3:7: U308 error: unknown role 'egde' (did you mean 'edge'?); "
                     "allowed in unet.yaml roles: core, edge"]


def test_user_extended_lifecycles() -> None:
    found = problems({"unet.yaml": "lifecycles: [live, staging]\n",
                      "devices/hq/r2.yaml": "name: r2\ngroups: [ios]\nlifecycle: staging\n"})
    assert found == []
