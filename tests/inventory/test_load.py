from __future__ import annotations

from tests.helpers import MINIMAL
from unet.inventory import load_inventory
from unet.source import MemorySnapshot, WorktreeSnapshot


def test_one_bad_value_does_not_cascade() -> None:
    # r1 has a typo'd key; links to r1 must not turn into "unknown device" errors.
    files = {**MINIMAL, "devices/hq/r1.yaml": MINIMAL["devices/hq/r1.yaml"] + "platfrom: ios\n"}
    inventory = load_inventory(MemorySnapshot(files))
    assert [d.code for d in inventory.diagnostics] == ["U202"]
    assert inventory.devices["r1"].get("platform") == "ios"


def test_all_problems_of_all_files_are_reported_sorted() -> None:
    files = {**MINIMAL,
             "devices/hq/r2.yaml": "name: r2\nmtu: 1\nlocation: nowhere\n",
             "groups/ios.yaml": "name: ios\nplatform: ios\nvendor: [cisco]\n"}
    inventory = load_inventory(MemorySnapshot(files))
    locations = [d.location for d in inventory.diagnostics]
    assert locations == sorted(locations)
    assert {d.code for d in inventory.diagnostics} >= {"U202", "U301", "U204"}


def test_a_directory_named_like_a_device_file(make_repo) -> None:
    root = make_repo()
    (root / "devices" / "hq" / "r3.yaml").mkdir()
    inventory = load_inventory(WorktreeSnapshot(root))
    assert [str(d) for d in inventory.diagnostics] == [
        "devices/hq/r3.yaml:1:1: U108 error: cannot read: is a directory, not a file"
    ]


def test_settings_are_validated(make_repo) -> None:
    root = make_repo({"unet.yaml": "name: t\nrols: [core]\n"})
    inventory = load_inventory(WorktreeSnapshot(root))
    assert [str(d) for d in inventory.diagnostics] == [
        "unet.yaml:2:1: U202 error: unknown key 'rols' (did you mean 'roles'?)"
    ]


def test_a_bad_setting_keeps_the_others(make_repo) -> None:
    # A typo in protect: must not swap the repository's own roles for the defaults
    # (which would flag every device with a custom role).
    root = make_repo({"unet.yaml": "roles: [core, access, router]\nprotect: [5]\n",
                      "devices/hq/r3.yaml": "name: r3\nlocation: hq\ngroups: [ios]\nrole: router\n"})
    inventory = load_inventory(WorktreeSnapshot(root))
    assert [d.code for d in inventory.diagnostics] == ["U205"]
    assert inventory.settings["roles"] == ["core", "access", "router"]
    assert inventory.settings["protect"] == [] and inventory.settings["unclaimed"] == "ignore"


def test_empty_settings_file_marks_the_root(make_repo) -> None:
    inventory = load_inventory(WorktreeSnapshot(make_repo({"unet.yaml": ""})))
    assert inventory.diagnostics == []
    assert "core" in inventory.settings["roles"]


def test_yml_suffix_and_non_yaml_files(make_repo) -> None:
    root = make_repo({"devices/hq/r3.yml": "name: r3\ngroups: [ios]\n",
                      "devices/README.md": "# not data\n"})
    inventory = load_inventory(WorktreeSnapshot(root))
    assert inventory.diagnostics == []
    assert sorted(inventory.devices) == ["r1", "r2", "r3"]


def test_a_device_name_that_is_not_a_file_name_is_refused() -> None:
    # The name becomes configs/<name>.cfg and `render --output DIR/<name>.cfg`: a name that
    # leaves the directory (an absolute path, ../) or reads as an option is never used.
    for name in ("/tmp/evil", "../../etc/x", "-rf", ".hidden", "a b", "a\\\\b", "x\\u0007"):
        text = MINIMAL["devices/hq/r1.yaml"].replace("name: r1", f'name: "{name}"')
        inventory = load_inventory(MemorySnapshot({**MINIMAL, "devices/hq/r1.yaml": text}))
        problems = [d for d in inventory.diagnostics if d.code == "U205"]
        assert problems and "is not a device name" in problems[0].message, name
        assert problems[0].location.path == "devices/hq/r1.yaml"
        # the name is dropped as any invalid value: the device is named after its file
        assert name not in inventory.devices and "r1" in inventory.devices, name
    ok = MINIMAL["devices/hq/r1.yaml"]
    assert "r1" in load_inventory(MemorySnapshot({**MINIMAL, "devices/hq/r1.yaml": ok})).devices
