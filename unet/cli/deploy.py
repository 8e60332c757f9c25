"""`unet deploy`: the remediation pushed to devices, verified, rolled back on failure."""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING

import click

from unet.cli._app import App
from unet.cli._complete import complete_devices

if TYPE_CHECKING:
    from unet.devices import DeployResult, DevicePlan

pass_app = click.make_pass_decorator(App)

__all__ = ["deploy"]

_STYLES = {"verified": "green", "no changes": "green", "skipped": "dim", "planned": "cyan",
           "refused": "bold red", "failed": "bold red", "partial": "bold red",
           "not attempted": "yellow"}


@click.command()
@click.argument("names", metavar="[DEVICE]...", nargs=-1, shell_complete=complete_devices)
@click.option("--where", metavar="CONDITION", help="Only devices matching a policy condition.")
@click.option("--feature", "features", metavar="NAME", multiple=True,
              help="Only these features (a template path, or its name without .j2); repeat.")
@click.option("--dry-run", is_flag=True,
              help="Show the plan and stop (the default when stdin is not a terminal and "
                   "--yes is not given).")
@click.option("--yes", "-y", is_flag=True, help="Deploy without asking.")
@click.option("--force", is_flag=True,
              help="Deploy even to devices whose configuration changed since it was pulled "
                   "(the plan is made again from what they run; it is shown with the results).")
@click.option("--allow-protected", is_flag=True,
              help="Include commands that remove protected lines, as `unet diff` does.")
@click.option("--commit", "commit", is_flag=True,
              help="Make one git commit of the configurations deploy stored.")
@click.option("--canary", type=click.IntRange(min=0), default=0, show_default=True,
              metavar="N", help="Deploy to N devices first; continue only if all verified.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None, metavar="N",
              help="Devices per batch after the canary (default: all at once); the run "
                   "stops after a batch with a failure.")
@click.option("--confirm-timeout", type=click.IntRange(min=30, max=3600), default=300,
              show_default=True, metavar="SECONDS",
              help="Window of platforms whose change rolls back unless confirmed.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=16, show_default=True,
              help="Devices deployed at once within a batch.")
@pass_app
def deploy(app: App, names: tuple[str, ...], where: str | None, features: tuple[str, ...],
           dry_run: bool, yes: bool, force: bool, allow_protected: bool, commit: bool,
           canary: int, batch_size: int | None, confirm_timeout: int, jobs: int) -> int:
    """Push intended configuration to devices, verify it, roll back on failure.

    For each device: the plan is the remediation `unet diff --remediation` shows;
    pre-flight pulls the running config and refuses a device that changed since
    configs/ was pulled; the plan is sent line by line, each answer checked for the
    platform's errors; the running config is pulled again and must leave nothing to
    do, and is stored in configs/. A refused line or a failed verification rolls the
    device back (and checks it is as before). Every run is recorded in
    state/deployments/. Exit 0 only when every device verified.
    """
    import time

    from unet.cli._output import DeviceProgress
    from unet.cli._repo import load_repository, warn_if_invalid
    from unet.cli.render import policy_outcomes
    from unet.core import UnetError
    from unet.devices import DeployOptions, DeviceError, PlanContext, choose, plan_deployment
    from unet.devices import deploy as run_deploy

    start = time.perf_counter()
    repo = load_repository(app)
    warn_if_invalid(app, repo)
    inventory = repo.inventory
    devices = choose(inventory, repo.snapshot, names=names, where=where)
    if not devices:
        app.log("deploy: no devices selected")
        return 0
    context = PlanContext(repo.snapshot, inventory,
                          outcomes=policy_outcomes(app, repo.snapshot, inventory, devices),
                          allow_protected=allow_protected)
    try:
        plans = plan_deployment(context, devices, features=features)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--feature'") from None
    _show_plans(app, plans, sys.stdout)
    to_send = [p for p in plans if p.lines and p.refused is None]
    if dry_run or not to_send or not _confirmed(app, yes, len(to_send)):
        if not dry_run and to_send and not yes and not sys.stdin.isatty():
            app.log("deploy: dry run (stdin is not a terminal; --yes deploys)")
        return _planned_exit(app, plans)
    scrub = bool(inventory.settings.get("backup", {}).get("scrub", True))
    options = DeployOptions(force=force, jobs=jobs, batch_size=batch_size, canary=canary,
                            confirm_timeout=confirm_timeout, scrub=scrub)
    try:
        with DeviceProgress(app, "deploy", len(to_send), log_steps=True) as on_event:
            result = run_deploy(repo.root, context, plans, options=options, on_event=on_event)
    except DeviceError as exc:  # the record cannot be written: nothing was sent
        raise UnetError(f"{exc.code} {exc.reason}") from None
    if commit:
        _commit(repo.root, result)
    render(result, sys.stdout, styled=app.styled())
    _show_replanned(result, sys.stdout)
    if result.commit_error:
        app.log(f"error: {result.commit_error}")
    app.log(f"deploy: {_summary(result, time.perf_counter() - start)}; record: {result.record}",
            level=0)
    if result.interrupted:
        from unet.cli._errors import EXIT_INTERRUPTED

        app.log("deploy: interrupted (Ctrl-C): no device was started after it, and a "
                "device being changed was rolled back (see each result)")
        return EXIT_INTERRUPTED
    if any(d.input_error for d in result.failed):
        return 2
    return 1 if result.failed or result.commit_error else 0


def _confirmed(app: App, yes: bool, count: int) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        return False
    return click.confirm(f"Deploy to {count} device(s)?", default=False, err=True)


def _planned_exit(app: App, plans: list[DevicePlan]) -> int:
    refused = [p for p in plans if p.refused is not None]
    for plan in refused:
        assert plan.refused is not None
        app.log(f"deploy: {plan.device}: {plan.refused[0]} {plan.refused[1]}")
    if any(p.refused is not None and p.refused[0] == "D200" for p in refused):
        return 2
    return 1 if refused else 0


def _show_plans(app: App, plans: list[DevicePlan], stream: IO[str]) -> None:
    from unet.config import mask_secrets
    from unet.core import printable, text_lines

    for plan in plans:
        if plan.refused is not None:
            stream.write(f"{plan.device}: refused: {plan.refused[0]} {plan.refused[1]}\n")
            continue
        if plan.skipped is not None:
            stream.write(f"{plan.device}: skipped: {plan.skipped}\n")
            continue
        if not plan.commands:
            stream.write(f"{plan.device}: no changes\n")
            continue
        features = f" ({', '.join(plan.features)})" if plan.features else ""
        stream.write(f"{plan.device}: plan{features}\n")
        # What is sent has the secrets; what is shown has them masked, as the record.
        for line in text_lines(mask_secrets(plan.text, plan.platform)):
            stream.write(f"  {printable(line)}\n")
    from unet.core import Severity

    for plan in plans:
        for diagnostic in plan.diagnostics:
            if diagnostic.severity is Severity.WARNING:
                app.log(str(diagnostic))


def _commit(root: object, result: DeployResult) -> None:
    from pathlib import Path

    from unet.source import RevisionError, commit_files

    done = [d for d in result.devices if d.written]
    paths = [p for d in done for p in d.written if not p.startswith("/")]
    if not paths:
        return
    names = [d.device for d in done]
    subject = (f"unet deploy: {names[0]}" if len(names) == 1
               else f"unet deploy: {len(names)} devices")
    body = "\n".join(f"- {d.device}: {d.result}, {d.sent} line{'' if d.sent == 1 else 's'}"
                      for d in done)
    try:
        result.commit = commit_files(Path(str(root)), paths, f"{subject}\n\n{body}\n")
    except RevisionError as exc:
        result.commit_error = exc.message


def render(result: DeployResult, stream: IO[str], *, styled: bool = False) -> None:
    """The summary table: device, result, commands sent, seconds, and why."""
    rows = [(d.device, d.result, str(d.sent), f"{d.seconds:.1f}",
             f"{d.code} {d.reason}" if d.code else d.reason) for d in result.devices]
    from unet.report._table import write_table

    write_table(("DEVICE", "RESULT", "SENT", "SECONDS", "REASON"), rows, stream, styled=styled,
                styles=_STYLES, right=("SENT", "SECONDS"))


def _show_replanned(result: DeployResult, stream: IO[str]) -> None:
    """With --force, what a changed device was sent in place of the plan shown first."""
    from unet.core import printable, text_lines

    for item in result.devices:
        if item.replanned is None:
            continue
        stream.write(f"{item.device}: re-planned (it changed since the plan above; --force); "
                     "what it was sent instead:\n")
        for line in text_lines(item.replanned):
            stream.write(f"  {printable(line)}\n")


def _summary(result: DeployResult, seconds: float) -> str:
    from collections import Counter

    counts = Counter(d.result for d in result.devices)
    parts = ", ".join(f"{n} {name}" for name, n in counts.items())
    return f"{len(result.devices)} devices: {parts} in {seconds:.1f} s"
