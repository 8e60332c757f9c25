"""`unet policy validate|test`: check the policies themselves."""

from __future__ import annotations

import sys

import click

from unet.cli._app import App
from unet.cli._options import report_options

pass_app = click.make_pass_decorator(App)


@click.group()
def policy() -> None:
    """Validate and test the policy files in policies/."""


@policy.command("validate")
@report_options(["text", "json"])
@pass_app
def validate_policies(app: App, fmt: str, reports: list[tuple[str, str]]) -> int:
    """Report every error in every policy file, each with its line and a caret.

    Nothing is evaluated: this is what `unet check` verifies before it looks at
    any device. Exit code 2 when any policy has an error.
    """
    from unet.cli._errors import EXIT_OK, EXIT_USAGE
    from unet.cli._output import emit_report
    from unet.cli._repo import load_repository
    from unet.core import has_errors
    from unet.policy import load_policies
    from unet.report import Report

    repo = load_repository(app)
    policies = load_policies(repo.snapshot)
    stats = {"files": len(policies.files), "rules": len(policies.rules)}
    report = Report("policy validate", policies.diagnostics, stats, frames=True)
    emit_report(app, report, fmt, reports, source=repo.source_text)
    return EXIT_USAGE if has_errors(report.diagnostics) else EXIT_OK


@policy.command("test")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@pass_app
def test_policies(app: App, fmt: str) -> int:
    """Run the policy tests in policies/tests/*.yaml.

    Each test is a fixture device (resolved with the repository's defaults,
    locations and groups), an optional running config, and per rule whether it
    must fail, pass or not apply. Rules that no test mentions are listed.

    Exit codes: 0 every test passed; 1 a test failed; 2 errors in the policies or tests.
    """
    from unet.cli._errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
    from unet.cli._repo import load_repository
    from unet.core import has_errors
    from unet.policy import load_policies, run_policy_tests
    from unet.report.policy_tests import render_policy_tests

    repo = load_repository(app)
    policies = load_policies(repo.snapshot)
    if not policies.ok:
        for diagnostic in policies.diagnostics:
            click.echo(str(diagnostic))
        app.log("policy test: fix the policy errors first (unet policy validate)")
        return EXIT_USAGE
    run = run_policy_tests(repo.snapshot, repo.inventory, policies)
    render_policy_tests(run, fmt, sys.stdout)
    passed = len(run.cases) - run.failed
    app.log(f"policy test: {passed} passed, {run.failed} failed; "
            f"{len(run.untested)} of {len(policies.rules)} rules without tests")
    if has_errors(run.diagnostics):
        return EXIT_USAGE
    return EXIT_FINDINGS if run.failed else EXIT_OK
