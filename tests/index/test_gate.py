"""The gate's pieces: which rules read which configuration, one diagnostic for many devices."""

from __future__ import annotations

from unet.core import Diagnostic, Location, Severity
from unet.index import collapse
from unet.index._gate import reads
from unet.policy import Compiler, parse_policy

TEMPLATE = Location("templates/ios/base.j2", 3, 5)


def rules(text: str):  # type: ignore[no-untyped-def]
    parsed, problems = parse_policy(text, "policies/p.unet")
    assert not problems
    compiler = Compiler()
    return {r.id: compiler.rule(r) for r in parsed}


def test_reads_finds_configurations_in_conditions_and_actions() -> None:
    found = rules('RULE a WHEN node.role == "core" THEN ASSERT running HAS "ntp .*"\n'
                  'RULE b WHEN intended IS NOT NULL THEN ASSERT node.role == "core"\n'
                  'RULE c WHEN true THEN ASSERT ALL s IN running.sections("line .*") '
                  'SATISFIES s HAS "transport input ssh"\n')
    assert [name for name, rule in found.items() if reads(rule, "running")] == ["a", "c"]
    assert [name for name, rule in found.items() if reads(rule, "intended")] == ["b"]


def shared(device: str, at: str) -> Diagnostic:
    return Diagnostic(TEMPLATE, "T103", Severity.ERROR,
                      f"device {device}: undefined: vars.x (named at {at})", (Location(at),))


def test_one_diagnostic_for_a_problem_many_devices_share() -> None:
    many = [shared(f"r{i}", "groups/ios.yaml:3:13") for i in range(1, 6)]
    (one,) = collapse(many)
    assert one.message == ("devices r1, r2, r3 and 2 more (named at groups/ios.yaml:3:13): "
                           "undefined: vars.x")
    mixed = collapse([shared("r1", "devices/r1.yaml:9:14"), shared("r2", "groups/ios.yaml:3:13")])
    assert [d.message for d in mixed] == [
        "devices r1 (named at devices/r1.yaml:9:14), r2 (named at groups/ios.yaml:3:13): "
        "undefined: vars.x"]
    alone = shared("r1", "devices/r1.yaml:9:14")
    assert collapse([alone]) == [alone]


def test_a_rule_skipped_after_its_budget_stopped_it_is_said_once() -> None:
    at = Location("policies/p.unet", 1, 1)
    skipped = [Diagnostic(at, "P305", Severity.ERROR, f"rule 'cube' not evaluated on d{i}: "
                          "it was stopped by its budget on 3 other devices") for i in range(9)]
    (one,) = collapse(skipped)
    assert one.message == ("rule 'cube' not evaluated on 9 devices (d0, d1, d2 and 6 more): "
                           "it was stopped by its budget on 3 other devices")
