"""The policy language: parse, compile to closures, evaluate on devices, waive.

    policies = load_policies(snapshot)          # every error of every file, at file:line:col
    run = run_check(snapshot, inventory)        # findings, coverage, SET/APPLY outcomes
"""

from __future__ import annotations

from unet.policy._check import CheckRun, config_source, run_check, select
from unet.policy._compile import CompiledRule, Compiler
from unet.policy._configs import ConfigView, Section
from unet.policy._context import ConfigSource, Context, DerivedSource
from unet.policy._evaluate import (
    CheckResult,
    DeviceOutcome,
    LazyLinks,
    context_for,
    derived_source,
    evaluate,
    link_index,
)
from unet.policy._load import (
    POLICY_DIR,
    POLICY_SUFFIXES,
    PolicySet,
    load_policies,
    policy_files,
    policy_rule_ids,
)
from unet.policy._parser import parse_condition, parse_policy
from unet.policy._testing import (
    TESTS_DIR,
    CaseResult,
    PolicyTestRun,
    lint_policy_tests,
    run_policy_tests,
)
from unet.policy._values import PolicyEvaluationError
from unet.policy._version import Version
from unet.policy._waivers import (
    WAIVERS_FILE,
    Waiver,
    apply_waivers,
    lint_waivers,
    load_waivers,
    waiver_device_names,
)

__all__ = [
    "POLICY_DIR",
    "POLICY_SUFFIXES",
    "TESTS_DIR",
    "WAIVERS_FILE",
    "CaseResult",
    "CheckResult",
    "CheckRun",
    "CompiledRule",
    "Compiler",
    "ConfigSource",
    "ConfigView",
    "Context",
    "DerivedSource",
    "DeviceOutcome",
    "LazyLinks",
    "PolicyEvaluationError",
    "PolicySet",
    "PolicyTestRun",
    "Section",
    "Version",
    "Waiver",
    "apply_waivers",
    "config_source",
    "context_for",
    "derived_source",
    "evaluate",
    "link_index",
    "lint_policy_tests",
    "lint_waivers",
    "load_policies",
    "load_waivers",
    "parse_condition",
    "parse_policy",
    "policy_files",
    "policy_rule_ids",
    "run_check",
    "run_policy_tests",
    "select",
    "waiver_device_names",
]
