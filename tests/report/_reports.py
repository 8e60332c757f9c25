"""Small hand-built reports shared by the format tests."""

from __future__ import annotations

from unet.core import Diagnostic, Finding, Location, Severity
from unet.report import Report, RuleSummary

NTP_POLICY = Location("policies/ntp.unet", 3, 1)
SNMP_POLICY = Location("policies/snmp.unet", 7, 1)
IF_POLICY = Location("policies/interfaces.unet", 2, 1)

RULES = [
    RuleSummary("NTP001", Severity.ERROR, "NTP servers are configured", NTP_POLICY,
                "Every device must use the site NTP servers."),
    RuleSummary("SNMP002", Severity.WARNING, "No public SNMP community", SNMP_POLICY),
    RuleSummary("IF003", Severity.INFO, "Interfaces have descriptions", IF_POLICY),
]

LEAF01_NTP = Finding("NTP001", Severity.ERROR, "leaf01", "ntp.servers lacks 10.0.0.1",
                     Location("devices/dc1/leaf01.yaml", 14, 7), (NTP_POLICY,), "fp-ntp-leaf01")
LEAF02_NTP = Finding("NTP001", Severity.ERROR, "leaf02", "ntp.servers lacks 10.0.0.1",
                     Location("groups/dc1.yaml", 8, 3), (NTP_POLICY,), "fp-ntp-leaf02")
LEAF02_SNMP = Finding("SNMP002", Severity.WARNING, "leaf02", "community is 'public'",
                      Location("devices/dc1/leaf02.yaml", 5, 14), (SNMP_POLICY,),
                      "fp-snmp-leaf02", waived="lab device until the move")
SPINE01_IF = Finding("IF003", Severity.INFO, "spine01", "Gi1 has no description",
                     Location("devices/dc1/spine01.yaml", 20, 5), (IF_POLICY,), "fp-if-spine01")

WAIVER_WARNING = Diagnostic(Location("waivers.yaml", 4, 3), "U411", Severity.WARNING,
                            "waiver for SNMP002 on leaf02 expires in 5 days")


def check_report(*, diagnostics: list[Diagnostic] | None = None) -> Report:
    """Four findings (one waived) over three devices; oob01 matched no rule."""
    return Report(
        command="check",
        diagnostics=list(diagnostics or []),
        stats={"files": 9},
        findings=[SPINE01_IF, LEAF02_SNMP, LEAF01_NTP, LEAF02_NTP],
        rules=list(RULES),
        evaluated={"leaf01": ["NTP001", "SNMP002"], "leaf02": ["NTP001", "SNMP002"],
                   "spine01": ["NTP001", "IF003"]},
        coverage={"devices": 4, "rules": 3, "checks": 6,
                  "unmatched_devices": ["oob01"], "unmatched_rules": []},
    )


def validate_report() -> Report:
    return Report("validate", [
        Diagnostic(Location("devices/hq/r2.yaml", 2, 11), "U301", Severity.ERROR,
                   "unknown location 'moon'"),
        WAIVER_WARNING,
    ], {"devices": 2, "files": 6})


def finding(n: int, severity: Severity = Severity.ERROR, **changes: object) -> Finding:
    """The n-th of many similar findings, for caps."""
    values: dict[str, object] = {
        "rule": "NTP001", "severity": severity, "device": f"leaf{n:03}",
        "message": "ntp.servers lacks 10.0.0.1",
        "location": Location(f"devices/leaf{n:03}.yaml", 3, 1),
        "related": (NTP_POLICY,), "fingerprint": f"fp{n}",
    }
    values.update(changes)
    return Finding(**values)  # type: ignore[arg-type]
