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


def test_a_normaliser_that_multiplies_the_config_stops_with_an_error():
    """`.` → 200 characters, twice, on 20,000 lines used to reach gigabytes, then exit 3."""
    rules = compile_normalizers({"normalizers": [{"pattern": ".", "replace": "a" * 200}] * 2})
    text = "".join(f"banner{i:04}\n" for i in range(20_000))
    normalized, problems = normalize(text, rules, "ios")
    assert normalized == text  # neither was applied
    assert [p.code for p in problems] == ["U205", "U205"]
    assert "the normalised configuration would be over" in problems[0].message
    # An ordinary rewrite with group references is unchanged.
    rules = compile_normalizers({"normalizers": [{"pattern": r"(\d+)", "replace": r"<\1>"}]})
    assert normalize("vlan 10\nvlan 20\n", rules, "ios")[0] == "vlan <10>\nvlan <20>\n"


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


SECRETS = ('{# unet: match "tacacs-server .*" "snmp-server .*" #}\n'
           "tacacs-server host 10.0.0.9 timeout 5 key 7 0822455D0A16544541\n"
           "snmp-server community public RO\n")


def test_lines_unet_rewrote_or_masked_are_never_sent():
    from unet.config import MASK

    settings = ("name: t\nnormalizers:\n  - pattern: '(key 7) \\S+'\n    replace: '\\1 <hash>'\n")
    result = run({"unet.yaml": settings, "templates/base.j2": SECRETS,
                  "configs/r1.cfg": "tacacs-server host 10.0.0.9 key 7 0822455D0A16544541\n"
                                    f"snmp-server community {MASK} RO\n"}, remediation=True)
    r1 = next(d for d in result.devices if d.device == "r1")
    base = next(f for f in r1.features if f.name == "base.j2")
    sent = base.plan.as_text(marks=False)
    assert "<hash>" not in sent and MASK not in sent
    assert sent == "snmp-server community public RO\n"
    assert {c.held for c in base.plan.held} == {"not comparable: rewritten by a normalizer",
                                                "not comparable: the value is masked"}
    warning = next(d for d in result.diagnostics if d.code == "C305")
    assert warning.location.path == "configs/r1.cfg" and "3 command(s)" in warning.message


MGMT = ('{# unet: match "interface .*" #}\n'
        "interface GigabitEthernet0/1\n description uplink\n")


def test_protect_in_unet_yaml_and_the_dialect_table_hold_lines_back():
    running = ("interface GigabitEthernet0/0\n vrf forwarding Mgmt-vrf\n"
               "interface GigabitEthernet0/1\n description uplink\n"
               "interface Loopback9\n description lab\n"
               "interface Tunnel5\n description to branch\n")
    settings = ("name: t\nprotect:\n  - 'interface Tunnel.*'\n"
                "  - {match: 'interface Loopback9', reason: 'router id', platforms: [ios]}\n")
    files = {"unet.yaml": settings, "templates/base.j2": MGMT, "configs/r1.cfg": running}
    r1 = next(d for d in run(files, remediation=True).devices if d.device == "r1")
    held = {c.text: c.held for c in r1.plan.held}
    assert held == {"default interface GigabitEthernet0/0":
                    "management interface (in the management VRF)",
                    "no interface Loopback9": "router id",
                    "no interface Tunnel5": "protected by 'interface Tunnel.*'"}
    allowed = run(files, remediation=True, allow_protected=True)
    r1 = next(d for d in allowed.devices if d.device == "r1")
    assert not r1.plan.held and "no interface Tunnel5" in r1.plan.as_text()


UNCLAIMED_RUNNING = ("hostname r1\nntp server 10.0.0.1\nntp server 10.0.0.2\n"
                     "ip access-list standard A\n permit 10.0.0.0 0.0.0.255\n"
                     " permit 10.1.0.0 0.0.0.255\n"
                     "username rogue privilege 15 secret 9 $9$x\nip http server\n")


def test_unclaimed_lines_are_ignored_reported_or_removed():
    files = {"configs/r1.cfg": UNCLAIMED_RUNNING}
    assert statuses(run(files), "r1") == {"base.j2": "compliant", "acl.j2": "compliant"}
    report = run({**files, "unet.yaml": "name: t\nunclaimed: report\n"}, remediation=True)
    r1 = next(d for d in report.devices if d.device == "r1")
    extra = next(f for f in r1.features if f.name == "(unclaimed)")
    assert extra.status == "extra" and not extra.remediation
    assert [c.text for c in extra.diff.changes] == ["username rogue privilege 15 secret 9 $9$x",
                                                    "ip http server"]
    assert r1.status == "non-compliant" and "no ip http server" not in r1.plan.as_text()
    # Per group: this group removes what no template claims (the local user is protected).
    group = "name: ios\nplatform: ios\nvendor: cisco\ntemplates: [base.j2, acl.j2]\n" \
            "vars: {ntp: [10.0.0.1, 10.0.0.2]}\nunclaimed: remove\n"
    removed = run({**files, "groups/ios.yaml": group}, remediation=True)
    r1 = next(d for d in removed.devices if d.device == "r1")
    assert "no ip http server" in r1.plan.as_text(marks=False)
    assert [c.text for c in r1.plan.held] == ["no username rogue"]


def test_a_feature_that_owns_descriptions_never_removes_the_interface():
    template = ('{# unet: match "interface .*||description .*" #}\n'
                "interface Gi1\n description to r2\n")
    running = "interface Gi1\n description to r2\ninterface Gi2\n description old\n shutdown\n"
    result = run({"templates/base.j2": template, "configs/r1.cfg": running}, remediation=True)
    r1 = next(d for d in result.devices if d.device == "r1")
    base = next(f for f in r1.features if f.name == "base.j2")
    assert base.plan.as_text(marks=False) == "interface Gi2\n no description\n"



def normalizer_rules(*entries):
    return compile_normalizers({"normalizers": [dict(e) for e in entries]})


def test_caret_anchors_each_line_not_only_the_first():
    found = normalizer_rules({"pattern": r"^ntp clock-period \d+$"}, {"pattern": r"^(snmp-server location) .*",
                                                           "replace": r"\1 <site>"})
    text = "hostname r1\nntp clock-period 17179\nsnmp-server location rack 4\n"
    assert normalize(text, found, "ios")[0] == "hostname r1\nsnmp-server location <site>\n"


def test_rewritten_lines_are_remembered_and_dropped_ones_are_not():
    changed: set[str] = set()
    found = normalizer_rules({"pattern": r"(key 7) \S+", "replace": r"\1 <hash>"},
                  {"pattern": r"^! Last configuration change.*"})
    normalize("! Last configuration change at 10:00\n tacacs-server key 7 0822455D0A16\n", found,
              "ios", changed=changed)
    assert changed == {"tacacs-server key 7 <hash>"}
