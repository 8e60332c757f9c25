"""`derived.*`: the facts `unet pull` writes to state/<device>.yaml, in policies."""

from __future__ import annotations

from tests.helpers import MINIMAL
from tests.lab._repo import POLICIES
from unet.inventory import load_inventory
from unet.policy import run_check
from unet.source import MemorySnapshot

STATE_R1 = """\
# Facts collected from the device by `unet pull`
device: r1
platform: ios
collected_at: '2026-01-05T10:00:00Z'
hostname: r1
os_version: 17.9.4
model: C9300-48P
serial: FOC1234X0AB
uptime: 2 weeks, 3 days, 4 hours, 5 minutes
uptime_seconds: 1483500
lldp_neighbors:
- local_interface: Gi1
  neighbor: r2.example.net
  neighbor_interface: Gi1
  neighbor_device: r2
  chassis_id: 0011.2233.4455
  management_address: 10.0.0.2
"""

VERSION_RULE = """\
RULE software SEVERITY error "Runs the version in the repository"
WHEN derived.os_version IS NOT NULL
THEN ASSERT derived.os_version == node.os_version
MESSAGE "runs {derived.os_version}, the repository says {node.os_version}"
"""


def check(files: dict[str, str]):
    snapshot = MemorySnapshot({**MINIMAL, **files})
    inventory = load_inventory(snapshot)
    return run_check(snapshot, inventory)


def test_a_fact_is_compared_with_the_data_and_the_finding_points_at_the_state_file() -> None:
    run = check({"policies/p.unet": VERSION_RULE, "state/r1.yaml": STATE_R1,
                 "devices/hq/r1.yaml": MINIMAL["devices/hq/r1.yaml"] + "os_version: 17.6.1\n"})
    [finding] = run.result.findings
    assert finding.device == "r1"
    assert finding.message == "runs 17.9.4, the repository says 17.6.1"
    # The last value looked at is blamed: here the repository's, the line to edit.
    assert (finding.location.path, finding.location.line) == ("devices/hq/r1.yaml", 8)
    # r2 has no state file: derived.* is null, the rule does not apply.
    assert run.result.evaluated["r2"] == []


def test_a_finding_on_a_fact_points_at_its_line_in_the_state_file() -> None:
    rule = VERSION_RULE.replace("derived.os_version == node.os_version",
                                "node.os_version == derived.os_version")
    run = check({"policies/p.unet": rule, "state/r1.yaml": STATE_R1,
                 "devices/hq/r1.yaml": MINIMAL["devices/hq/r1.yaml"] + "os_version: 17.6.1\n"})
    [finding] = run.result.findings
    assert (finding.location.path, finding.location.line) == ("state/r1.yaml", 6)


def test_agreeing_facts_give_no_finding() -> None:
    run = check({"policies/p.unet": VERSION_RULE, "state/r1.yaml": STATE_R1,
                 "devices/hq/r1.yaml": MINIMAL["devices/hq/r1.yaml"] + "os_version: 17.9.4\n"})
    assert run.result.findings == [] and run.result.evaluated["r1"] == ["software"]


def test_links_are_compared_with_lldp_neighbours() -> None:
    lldp = POLICIES["policies/lldp.unet"]
    seen = check({"policies/lldp.unet": lldp, "state/r1.yaml": STATE_R1})
    assert seen.result.findings == []
    miswired = STATE_R1.replace("neighbor_device: r2", "neighbor_device: r9")
    [finding] = check({"policies/lldp.unet": lldp, "state/r1.yaml": miswired}).result.findings
    assert finding.device == "r1" and finding.message == "LLDP does not see r2 on Gi1"
    # Without LLDP facts (FRR, or never pulled) the rule does not apply.
    no_lldp = STATE_R1.split("lldp_neighbors:")[0] + "lldp_neighbors: null\n"
    assert check({"policies/lldp.unet": lldp, "state/r1.yaml": no_lldp}).result.findings == []


def test_a_broken_state_file_is_a_warning_not_a_crash() -> None:
    run = check({"policies/p.unet": VERSION_RULE, "state/r1.yaml": "os_version: [\n"})
    assert run.result.findings == []
    assert [d.code for d in run.diagnostics] == ["U131"]
    assert str(run.diagnostics[0].location.path) == "state/r1.yaml"
