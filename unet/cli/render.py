"""`unet render`: the full intended configuration of each device."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from unet.cli._app import App
from unet.cli._complete import complete_devices

if TYPE_CHECKING:
    from pathlib import Path

    from unet.cli._repo import Repository
    from unet.core import Diagnostic
    from unet.inventory import Inventory, ResolvedDevice
    from unet.source import Snapshot
    from unet.templates import Outcomes, RenderResult

pass_app = click.make_pass_decorator(App)

__all__ = ["policy_outcomes", "progress", "render", "report_diagnostics"]

PROGRESS_MIN = 20  # devices; fewer finish before a bar would be worth drawing


@click.command()
@click.argument("devices", nargs=-1, shell_complete=complete_devices)
@click.option("--where", metavar="CONDITION", help="Only devices matching a policy condition.")
@click.option("-t", "--template", metavar="T", help="Render only template T (e.g. ios/base.j2).")
@click.option("-o", "--output", metavar="DIR", type=click.Path(file_okay=False),
              help="Write DIR/<device>.cfg per device and print the paths.")
@pass_app
def render(app: App, devices: tuple[str, ...], where: str | None, template: str | None,
           output: str | None) -> int:
    """Render the intended configuration of DEVICES (default: all).

    The device's templates (from its groups and device file, then policy APPLY) are
    rendered with its resolved data (after policy SET) and joined in order. Errors in
    templates and data files are reported on stderr at their line; the rest still renders
    (with --output, a device with errors gets no file).

    Exit codes: 0 rendered; 2 a template or data error (or a bad option).
    """
    from unet.cli._repo import data_errors, load_repository
    from unet.policy import select
    from unet.templates import load_templates, render_intended

    repo = load_repository(app)
    chosen = select(repo.inventory, names=devices, where=where)
    if not chosen:
        app.log(f"render: no device matches --where {where}" if where else
                "render: the repository has no devices")
    templates = load_templates(repo.snapshot)
    _check_template(template, templates.names)
    outcomes = policy_outcomes(app, repo.snapshot, repo.inventory, chosen)
    results = []
    with progress(app, len(chosen), "rendering") as advance:
        for device in chosen:
            results.append(render_intended(device, repo.snapshot, templates,
                                           outcome=_outcome(device, outcomes, template)))
            advance()
    _write(app, results, output, repo)
    problems = report_diagnostics(app, [*data_errors(repo),
                                        *(d for r in results for d in r.diagnostics)])
    return 2 if problems else 0


def _check_template(template: str | None, names: frozenset[str]) -> None:
    if template is not None and template not in names:
        from unet.core import UnetError
        from unet.inventory import did_you_mean

        raise UnetError(f"no template '{template}' under templates/{did_you_mean(template, names)}")


def _outcome(device: ResolvedDevice, outcomes: Outcomes, template: str | None) -> Any:
    """Policy SET/APPLY for the device; with --template, only that template (the data's
    template list cleared, the template added as if by APPLY)."""
    found = outcomes.get(device.name)
    if template is None:
        return found
    data = found[0] if found is not None else device.data
    return {**data, "templates": []}, [template]


def _write(app: App, results: Sequence[RenderResult], output: str | None,
           repo: Repository) -> None:
    if output is not None:
        from pathlib import Path

        from unet.cli._output import write_file
        from unet.core import UnetError, has_errors

        folder = Path(output)
        _refuse_stored(folder, repo)
        for result in results:
            path = folder / f"{result.device}.cfg"
            if path.parent != folder or path.name != f"{result.device}.cfg":  # never outside
                raise UnetError(f"device name {result.device!r} is not a file name")
            if has_errors(result.diagnostics):  # a part of a config is never written as one
                earlier = " (the file there is from an earlier run)" if path.exists() else ""
                app.log(f"render: {path} not written: {result.device}'s templates have "
                        f"errors{earlier}")
                continue
            write_file(path, result.text)
            click.echo(str(path))
        return
    for result in results:
        if len(results) > 1:
            _header(app, result.device)
        _show(app, result)


def _refuse_stored(folder: Path, repo: Repository) -> None:
    """Rendered files never replace the running configurations (a device would then look
    compliant, and what it runs is lost) nor land in a .git directory."""
    import os
    from pathlib import Path

    from unet.core import UnetError
    from unet.inventory import running_config_dir

    where = Path(os.path.realpath(folder))
    stored = Path(os.path.realpath(running_config_dir(repo.root, repo.snapshot)))
    inside = stored in where.parents and stored != Path(os.path.realpath(repo.root))
    if where == stored or inside:
        raise UnetError(f"--output {folder}: that is where the running configurations are "
                        "stored (unet pull writes them there); write the rendered ones to "
                        "another directory, e.g. --output rendered")
    if ".git" in where.parts:
        raise UnetError(f"--output {folder}: that is inside a .git directory")


def _header(app: App, device: str) -> None:
    if app.styled():
        app.console().rule(f"[bold]{device}")
    else:
        sys.stdout.write(f"==> {device} <==\n")


def _show(app: App, result: RenderResult) -> None:
    if not app.styled():
        sys.stdout.write(result.text)
        return
    from rich.syntax import Syntax

    lexer = "text" if result.platform == "junos" else "cisco"
    app.console().print(Syntax(result.text.rstrip("\n"), lexer, theme="ansi_dark",
                               background_color="default", word_wrap=False))


def report_diagnostics(app: App, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Each distinct diagnostic once on stderr (one for a problem many devices share);
    returns the errors among them."""
    from unet.core import Severity
    from unet.index import collapse

    unique = collapse(sorted(set(diagnostics), key=lambda d: d.sort_key))
    for problem in unique:
        print(problem, file=sys.stderr)
    return [d for d in unique if d.severity is Severity.ERROR]


@contextmanager
def progress(app: App, total: int, label: str) -> Iterator[Callable[[], None]]:
    """A rich progress bar on stderr for long runs on a terminal; otherwise nothing."""
    if total <= PROGRESS_MIN or app.verbosity < 0 or not app.styled(sys.stderr):
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(console=app.console("stderr"), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


def policy_outcomes(app: App, snapshot: Snapshot, inventory: Inventory,
                    devices: Sequence[ResolvedDevice]) -> dict[str, Any]:
    """Device data after policy SET and templates added by APPLY, per device.

    Only the rules that change a device run (ASSERTs change nothing); policies with
    errors are skipped with a warning (`unet policy validate` shows them).
    """
    from unet.inventory import RunningConfigs
    from unet.policy import POLICY_DIR, config_source, evaluate, load_policies

    if not snapshot.files(POLICY_DIR):
        return {}
    policies = load_policies(snapshot)
    if not policies.ok:
        app.log("warning: the policies have errors, so SET/APPLY are not applied "
                "(see `unet policy validate`)")
        return {}
    rules = [r for r in policies.rules if any(not hasattr(a, "condition") for a in r.rule.actions)]
    if not rules:
        return {}
    result = evaluate(rules, devices, inventory, configs=config_source(RunningConfigs(snapshot)))
    return {name: (o.data, o.applied) for name, o in result.outcomes.items()}

