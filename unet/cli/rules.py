"""`unet rules list|explain`: what the policies say."""

from __future__ import annotations

import sys

import click

from unet.cli._app import App

pass_app = click.make_pass_decorator(App)


@click.group()
def rules() -> None:
    """List the policy rules and explain one of them."""


@rules.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@pass_app
def list_rules(app: App, fmt: str) -> int:
    """Every rule: id, severity, where it is defined and its title."""
    from unet.cli._repo import load_policies_or_fail
    from unet.report.rules import render_rules

    policies = load_policies_or_fail(app)
    render_rules(policies.rules, fmt, sys.stdout)
    return 0


@rules.command("explain")
@click.argument("rule_id", metavar="ID")
@pass_app
def explain_rule(app: App, rule_id: str) -> int:
    """A rule's condition, actions, severity, where it is defined and which devices it matches."""
    from unet.cli._repo import load_policies_or_fail, load_repository
    from unet.core import UnetError
    from unet.index import intended_configs
    from unet.inventory import did_you_mean
    from unet.policy import run_check
    from unet.report.rules import render_explanation

    policies = load_policies_or_fail(app)
    rule = policies.rule(rule_id)
    if rule is None:
        hint = did_you_mean(rule_id, [r.id for r in policies.rules])
        raise UnetError(f"no rule '{rule_id}'{hint}; `unet rules list` shows them all")
    repo = load_repository(app)
    run = run_check(repo.snapshot, repo.inventory, intended=intended_configs(repo.snapshot))
    matched = sorted(d for d, ids in run.result.evaluated.items() if rule_id in ids)
    failing = sorted({f.device for f in run.result.findings if f.rule == rule_id})
    render_explanation(rule, repo.source_text(rule.rule.at.path) or "", matched, failing,
                       len(run.devices), sys.stdout)
    return 0
