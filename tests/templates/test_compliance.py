from __future__ import annotations

from tests.helpers import MINIMAL
from unet.config import emit
from unet.inventory import load_inventory
from unet.source import MemorySnapshot
from unet.templates import compare_devices, compile_normalizers, normalize

BASE = (
    '{# unet: match "hostname .*" "ntp server .*" #}\n'
    "hostname {{ name }}\n"
    "{% for s in vars.ntp %}ntp server {{ s }}\n{% endfor %}"
)
ACL = (
    '{# unet: match "ip access-list .*" #}\n'
    "ip access-list standard A\n permit 10.0.0.0 0.0.0.255\n permit 10.1.0.0 0.0.0.255\n"
)


def snapshot(files: dict[str, str]) -> MemorySnapshot:
    content = {**MINIMAL, "groups/ios.yaml": "name: ios\nplatform: ios\nvendor: cisco\n"
               "templates: [base.j2, acl.j2]\nvars: {ntp: [10.0.0.1, 10.0.0.2]}\n",
               "templates/base.j2": BASE, "templates/acl.j2": ACL,
               "configs/r1.cfg": "hostname r1\nntp server 10.0.0.1\nntp server 10.0.0.2\n"
                                 "ip access-list standard A\n permit 10.0.0.0 0.0.0.255\n"
                                 " permit 10.1.0.0 0.0.0.255\n",
               **files}
    return MemorySnapshot(content)


def run(files: dict[str, str], **options):
    snap = snapshot(files)
    return compare_devices(snap, load_inventory(snap), **options)


def statuses(result, device: str) -> dict[str, str]:
    found = next(d for d in result.devices if d.device == device)
    return {f.name: f.status for f in found.features}


def test_each_status_per_feature_and_the_rollup():
    result = run({
        "configs/r2.cfg": "hostname r2\nntp server 10.0.0.1\nntp server 10.0.0.9\n"
                          "ip access-list standard A\n permit 10.1.0.0 0.0.0.255\n"
                          " permit 10.0.0.0 0.0.0.255\n",
    })
    assert statuses(result, "r1") == {"base.j2": "compliant", "acl.j2": "compliant"}
    assert statuses(result, "r2") == {"base.j2": "changed", "acl.j2": "order-only"}
    rollup = result.rollup()
    assert (rollup.compliant, rollup.non_compliant) == (1, 1)
    assert rollup.features == {"acl.j2": (1, 2), "base.j2": (1, 2)}
    assert bool(result)


def test_missing_and_extra_and_remediation():
    result = run({"configs/r2.cfg": "hostname r2\nntp server 10.0.0.1\n"
                                    "ip access-list standard A\n permit 10.0.0.0 0.0.0.255\n"
                                    " permit 10.1.0.0 0.0.0.255\n permit any\n"},
                 remediation=True)
    r2 = next(d for d in result.devices if d.device == "r2")
    base, acl = r2.features
    assert (base.status, acl.status) == ("missing", "extra")
    assert base.remediation == "ntp server 10.0.0.2\n! 1 command, 0 removals, 0 held back\n"
    assert emit(base.plan) == "ntp server 10.0.0.2\n"


def test_normalizers_apply_before_comparing():
    settings = ("name: t\nnormalizers:\n  - pattern: 'ntp server 10\\.0\\.0\\.9'\n"
                "    replace: 'ntp server 10.0.0.2'\n")
    result = run({"unet.yaml": settings,
                  "configs/r2.cfg": "hostname r2\nntp server 10.0.0.1\nntp server 10.0.0.9\n"
                                    "ip access-list standard A\n permit 10.0.0.0 0.0.0.255\n"
                                    " permit 10.1.0.0 0.0.0.255\n"})
    assert statuses(result, "r2")["base.j2"] == "compliant"


def test_normalize_removes_lines_left_blank_and_respects_platforms():
    rules = compile_normalizers({"normalizers": [
        {"pattern": r"^! Last change.*", "replace": "", "platforms": None},
        {"pattern": r"(secret \d) \S+", "replace": r"\1 <hash>", "platforms": ["ios"]}]})
    text = "! Last change at 10:00\nusername a secret 9 $9$abc\n!\n"
    assert normalize(text, rules, "ios")[0] == "username a secret 9 <hash>\n!\n"
    assert normalize(text, rules, "eos")[0] == "username a secret 9 $9$abc\n!\n"


def test_bad_input_is_reported_per_device_and_others_still_compared():
    result = run({
        "templates/base.j2": BASE.replace("vars.ntp", "vars.ntpx"),  # undefined on every device
        "configs/r2.cfg": "",                                       # empty running config
    })
    r1 = next(d for d in result.devices if d.device == "r1")
    assert r1.status == "error" and statuses(result, "r1") == {"acl.j2": "compliant"}
    codes = {d.code for d in result.diagnostics}
    assert {"T103", "C302"} <= codes


def test_missing_running_config_and_wrong_dialect():
    result = run({"configs/r1.cfg": "system {\n  host-name r1;\n}\ninterfaces {\n  ge-0/0/0 {\n"
                                    "    unit 0;\n  }\n}\n"})
    codes = {d.code: d.message for d in result.diagnostics}
    assert "looks like junos" in codes["C304"]
    assert "no running configuration" in codes["C303"]  # r2 has none and is live
    assert [d.status for d in result.devices] == ["error", "error"]


def test_planned_device_without_config_is_skipped():
    result = run({"devices/hq/r2.yaml": MINIMAL["devices/hq/r2.yaml"] + "lifecycle: planned\n"})
    r2 = next(d for d in result.devices if d.device == "r2")
    assert r2.status == "skipped" and not result.diagnostics


def test_a_device_without_templates_is_skipped_not_an_error() -> None:
    from unet.inventory import RunningConfigs, load_inventory
    from unet.source import MemorySnapshot
    from unet.templates import compare_device, load_templates

    snapshot = MemorySnapshot({"unet.yaml": "name: t\n",
                               "devices/r1.yaml": "name: r1\nplatform: ios\n"})
    inventory = load_inventory(snapshot)
    result = compare_device(inventory.devices["r1"], snapshot, load_templates(snapshot),
                            RunningConfigs(snapshot))
    assert result.skipped == "no templates: nothing intended to compare"
    assert result.diagnostics == ()


def test_utf16_running_config_is_compared():
    text = ("hostname r1\nntp server 10.0.0.1\nntp server 10.0.0.2\n"
            "ip access-list standard A\n permit 10.0.0.0 0.0.0.255\n permit 10.1.0.0 0.0.0.255\n")
    for data in (text.encode("utf-16"), text.encode("utf-16-le")):  # with and without a BOM
        result = run({"configs/r1.cfg": data})
        assert not [d for d in result.diagnostics if "r1" in d.message]
        assert statuses(result, "r1") == {"base.j2": "compliant", "acl.j2": "compliant"}
