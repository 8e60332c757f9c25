"""`unet policy test`: fixture devices with the findings each rule must (not) produce.

    # policies/tests/ntp.yaml
    tests:
      - name: core switch without the corporate NTP server
        device:                      # like a device file; resolved with the repository's
          name: t-core               # defaults, locations and groups
          groups: [campus-core]
          vars: {ntp_servers: [192.0.2.1]}
        config: |                    # optional running configuration
          hostname t-core
        expect:
          ntp-servers: fail          # fail: at least one finding
          ssh-only: pass             # pass: no finding
          bgp-peers: skip            # skip: the rule's WHEN does not match
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from unet.config import ConfigTree, parse
from unet.core import Diagnostic, Location, Severity, record
from unet.inventory import (
    MODELS,
    Document,
    Entity,
    Inventory,
    device_problems,
    did_you_mean,
    read_document,
    resolve_document,
    validate_document,
)
from unet.inventory.shape import REQUIRED, AnyValue, Choice, Field, ListOf, MapOf, Model, Str
from unet.policy._configs import ConfigView
from unet.policy._context import Context
from unet.policy._evaluate import evaluate
from unet.policy._load import PolicySet
from unet.source import Snapshot
from unet.templates import TEMPLATE_DIR, select_templates

__all__ = ["TESTS_DIR", "CaseResult", "PolicyTestRun", "lint_policy_tests", "run_policy_tests"]

TESTS_DIR = "policies/tests/"
Expectation = Literal["pass", "fail", "skip"]


_CASE = Model("Case", "One policy test case.", {
    "name": Field(Str(), REQUIRED, nullable=False),
    "device": Field(MapOf(AnyValue()), REQUIRED, nullable=False),
    "config": Field(Str()),
    "expect": Field(MapOf(Choice("pass", "fail", "skip")), REQUIRED, nullable=False),
})
_TEST_FILE = Model("TestFile", "`policies/tests/*.yaml`.", {
    "tests": Field(ListOf(_CASE), REQUIRED, nullable=False),
})


@record
class CaseResult:
    name: str
    location: Location
    failures: tuple[str, ...]  # one sentence per unmet expectation

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass(slots=True)
class PolicyTestRun:
    cases: list[CaseResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    untested: list[str] = field(default_factory=list)
    # Where each untested rule is, and whether it has a RULE name (else its id is made
    # from its text, which a reader would not find by searching).
    untested_at: dict[str, tuple[Location, bool]] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return sum(not c.passed for c in self.cases)


def run_policy_tests(snapshot: Snapshot, inventory: Inventory,
                     policies: PolicySet) -> PolicyTestRun:
    return _tests(snapshot, inventory, [r.id for r in policies.rules], policies)


def lint_policy_tests(snapshot: Snapshot, inventory: Inventory,
                      rule_ids: list[str] | None) -> list[Diagnostic]:
    """What `unet policy test` reports before it runs a case: the files' shape, unknown
    rules (when `rule_ids` are known), duplicate names, fixtures' errors (`unet validate`)."""
    return _tests(snapshot, inventory, rule_ids, None).diagnostics


def _tests(snapshot: Snapshot, inventory: Inventory, rule_ids: list[str] | None,
           policies: PolicySet | None) -> PolicyTestRun:
    """Every case checked, and run when `policies` are given."""
    run = PolicyTestRun()
    tested: set[str] = set()
    templates = frozenset(p.removeprefix(TEMPLATE_DIR) for p in snapshot.files(TEMPLATE_DIR))
    names: dict[str, Location] = {}
    for path in snapshot.files(TESTS_DIR):
        if not path.endswith((".yaml", ".yml")):
            continue
        document, problems = read_document(snapshot, path)
        bad: list[tuple[Any, ...]] = []
        if document is not None and not problems:
            problems, bad = validate_document(document, _TEST_FILE)
        run.diagnostics.extend(problems)
        cases = document.data.get("tests") if document is not None and isinstance(
            document.data, dict) else None
        if document is None or not isinstance(cases, list) or any(len(p) < 2 for p in bad):
            continue
        # A malformed case is reported and not run; what it names (rules, its fixture) is
        # still checked, and the other cases run, so one run names every problem.
        broken = {p[1] for p in bad if p[0] == "tests"}
        for index, case in enumerate(cases):
            if not isinstance(case, dict):
                continue
            run.diagnostics.extend(_case_problems(document, index, case, rule_ids, names))
            result = _run_case(document, index, case, inventory, policies, templates,
                               run.diagnostics, shaped=index not in broken)
            if result is not None:
                run.cases.append(result)
                tested.update(case["expect"])
    run.untested = [rule for rule in rule_ids or () if rule not in tested]
    for compiled in policies.rules if policies is not None else ():
        if compiled.id in run.untested:
            run.untested_at[compiled.id] = (compiled.rule.at, compiled.rule.named)
    run.diagnostics.sort(key=lambda d: d.sort_key)
    return run


def _case_problems(document: Document, index: int, case: dict[str, Any],
                   rule_ids: list[str] | None,
                   names: dict[str, Location]) -> list[Diagnostic]:
    """A rule the policies do not define (P401); a name another case has (P402)."""
    problems = []
    expect = case.get("expect")
    known = rule_ids if rule_ids is not None else []
    for rule in expect if isinstance(expect, dict) and rule_ids is not None else ():
        if isinstance(rule, str) and rule not in known:
            at = document.location(("tests", index, "expect", rule), key=True)
            problems.append(Diagnostic(
                at, "P401", Severity.ERROR,
                f"no rule '{rule}' in the policies{did_you_mean(rule, known)}"))
    if not isinstance(case.get("name"), str):
        return problems
    at = document.location(("tests", index, "name"))
    first = names.setdefault(case["name"], at)
    if first != at:
        problems.append(Diagnostic(
            at, "P402", Severity.ERROR,
            f"another policy test is named '{case['name']}' ({first}); give each its own "
            "name, so a result says which one it is", (first,)))
    return problems


def _run_case(document: Document, index: int, case: dict[str, Any], inventory: Inventory,
              policies: PolicySet | None, templates: frozenset[str],
              problems: list[Diagnostic], *, shaped: bool = True) -> CaseResult | None:
    """The case's result; None when its fixture has errors (reported, the case not run: a
    fixture whose group is misspelt would test a device nobody meant) or the case itself
    is malformed (not `shaped`: its fixture is still checked)."""
    if not isinstance(case.get("device"), dict):
        return None  # reported by the file's schema
    base = ("tests", index, "device")
    fixture = Document(document.path, case["device"],
                       {p[len(base):]: m for p, m in document.marks.items()
                        if p[: len(base)] == base})
    errors, _ = validate_document(fixture, MODELS["device"])
    if errors:
        problems.extend(errors)
        return None
    device = resolve_document(inventory, fixture)
    errors = [*device_problems(inventory, Entity(device.name, fixture), device),
              *select_templates(device, templates)[1]]
    if errors or not shaped or policies is None:
        problems.extend(errors)
        return None
    tree = _config(case.get("config"), device.data.get("platform"),
                   f"{document.path}#{case['name']}")

    def source(ctx: Context, which: str) -> ConfigView | None:
        return ConfigView.of(tree) if which == "running" and tree is not None else None

    result = evaluate(policies.rules, [device], inventory, configs=source)
    failing = {f.rule for f in result.findings}
    matched = set(result.evaluated.get(device.name, ()))
    known = {rule.id for rule in policies.rules}  # an unknown rule is P401, not a failure
    failures = tuple(message for rule, expected in case["expect"].items()
                     if rule in known and (message := _unmet(rule, expected, failing, matched)))
    return CaseResult(case["name"], document.location(("tests", index)), failures)


def _config(text: str | None, platform: str | None, label: str) -> ConfigTree | None:
    if text is None or platform is None:
        return None
    return parse(text, platform, path=label)


def _unmet(rule: str, expected: str, failing: set[str], matched: set[str]) -> str:
    if expected == "fail" and rule not in failing:
        return f"expected {rule} to fail; it " + ("passed" if rule in matched else
                                                   "did not apply (its WHEN is false)")
    if expected == "pass" and rule in failing:
        return f"expected {rule} to pass; it failed"
    if expected == "skip" and rule in matched:
        return f"expected {rule} not to apply; its WHEN matched"
    return ""
