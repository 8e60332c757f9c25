"""`unet diff`: intended vs running per device and feature, intended across revisions
(`--rev`), or two config files (`unet diff A B`, when both arguments are existing files)."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from unet.cli._app import App
from unet.cli._complete import complete_devices
from unet.cli._options import report_options

pass_app = click.make_pass_decorator(App)

__all__ = ["diff"]


FORMATS = ["text", "unified", "json", "markdown", "junit"]
REPO_FORMATS = ["text", "json", "markdown", "junit"]


@click.command()
@click.argument("targets", nargs=-1, metavar="[DEVICE...] | A B", shell_complete=complete_devices)
@click.option("--rev", metavar="REF|REF1..REF2",
              help="Intended config at REF against the working tree (or at REF2), per device.")
@click.option("--where", metavar="CONDITION", help="Only devices matching a policy condition.")
@click.option("-p", "--platform", help="Two-file mode: config dialect (default: detected).")
@click.option("--remediation", is_flag=True,
              help="Add the commands that bring running to intended (advisory).")
@click.option("--allow-protected", is_flag=True,
              help="Include commands that remove protected lines (management interfaces, "
                   "local users, the default route, protect: in unet.yaml).")
@click.option("--rollback", is_flag=True, help="Two-file mode: commands that turn B back into A.")
@click.option("--predict", is_flag=True, help="Two-file mode: A as it would be after remediation.")
@report_options(FORMATS)
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when configurations differ (input errors still exit 2).")
@click.option("--exit-code", is_flag=True, hidden=True,
              help="Exit 1 when anything differs (the default; kept for scripts).")
@pass_app
def diff(app: App, targets: tuple[str, ...], rev: str | None, where: str | None,
         platform: str | None, remediation: bool, allow_protected: bool, rollback: bool,
         predict: bool, fmt: str, reports: list[tuple[str, str]], exit_zero: bool,
         exit_code: bool) -> int:
    """Compare intended configurations with running ones, feature by feature.

    \b
    unet diff [DEVICE...]        intended (rendered) vs running (configs/<device>.*)
    unet diff --rev REF [DEV...] intended at REF vs the working tree (REF1..REF2: two revisions)
    unet diff A B                two config files (an argument is a file or a path with /)
    unet diff DEVICE FILE        intended vs FILE in place of the stored running config

    A feature that differs on a device whose running-config findings the intended
    config already fixes is marked pending deploy.

    Exit codes: 0 no differences; 1 configurations differ (--exit-zero: 0); 2 an
    input error (a template that cannot render, a missing file, a bad revision).
    """
    if exit_zero and exit_code:
        raise click.UsageError("--exit-zero and --exit-code contradict each other")
    exit_code = not exit_zero
    device = _device_argument(app, targets) if len(targets) == 2 and not rev else None
    if device is not None:  # `unet diff r1 saved.cfg`: r1 against a file, not configs/
        if rollback or predict or platform or fmt == "unified" or where:
            raise click.UsageError("--platform, --rollback, --predict, --where and --format "
                                   "unified compare two files; a device brings its platform")
        saved = next(t for t in targets if t != device)
        return _repository(app, (device,), None, None, (remediation, allow_protected), fmt,
                           reports, exit_code, running_file=_read(saved))
    if len(targets) == 2 and not rev and _are_files(targets):
        _forbid_repo_options(reports, where, fmt)
        return _files(app, *targets, platform, remediation, rollback, predict, fmt, exit_code,
                      allow_protected)
    if rollback or predict or platform or fmt == "unified":
        raise click.UsageError("--platform, --rollback, --predict and --format unified work only "
                               "when comparing two files: unet diff A B")
    return _repository(app, targets, rev, where, (remediation, allow_protected), fmt, reports,
                       exit_code)


def _are_files(targets: tuple[str, ...]) -> bool:
    """Two-file mode: either argument is an existing file or a path (device names have no
    `/`), so `unet diff missing.cfg b.cfg` still says which file is missing."""
    return any(os.path.isfile(t) or "/" in t or os.sep in t for t in targets)


def _device_argument(app: App, targets: tuple[str, ...]) -> str | None:
    """Of two arguments, the one that is no file and no path (a device name) when the
    other is an existing file, or is a device of the repository (the other file is then
    said to be missing, not the device)."""
    named = [t for t in targets if not os.path.exists(t) and "/" not in t and os.sep not in t]
    if len(named) != 1:
        return None
    if any(os.path.isfile(t) for t in targets):
        return named[0]
    from unet.cli._complete import device_names
    from unet.core import UnetError

    try:
        root = app.repo_root
    except UnetError:  # outside a repository: two files
        return None
    return named[0] if named[0] in device_names(root) else None


def _read(path: str) -> tuple[str, bytes]:
    from pathlib import Path

    from unet.core import UnetError

    try:
        return path, Path(path).read_bytes()
    except OSError as exc:
        raise UnetError(f"{path}: cannot read it: {exc.strerror or exc}") from None


def _forbid_repo_options(reports: list[tuple[str, str]], where: str | None, fmt: str) -> None:
    if reports or where or fmt not in ("text", "unified", "json"):
        raise click.UsageError("--report, --where and --format markdown/junit work on devices, "
                               "not when comparing two files")


def _repository(app: App, names: tuple[str, ...], rev: str | None, where: str | None,
                remediation: tuple[bool, bool], fmt: str, reports: list[tuple[str, str]],
                exit_code: bool, running_file: tuple[str, bytes] | None = None) -> int:
    from unet.cli._repo import data_errors, load_repository
    from unet.core import Severity
    from unet.index import collapse
    from unet.report import compliance

    repo = load_repository(app)
    pending = None
    if rev is not None:
        run = _revisions(app, repo, rev, names, remediation)
    else:
        run = _running(app, repo, names, where, remediation, running_file)
        # A deploy fixes findings on the stored running config, not on another file.
        pending = _pending(repo, run) if running_file is None else None
    if rev is None or ".." not in rev:  # the working tree is compared
        known = set(run.diagnostics)  # what a data file meant is missing from the comparison
        run.diagnostics += [d for d in data_errors(repo) if d not in known]
    run.diagnostics = collapse(run.diagnostics)  # one for a problem many devices share
    _emit(app, run, fmt, reports, pending)  # the report carries the diagnostics, as check's
    app.log(f"diff: {compliance.summary(run)}")
    if any(d.severity is Severity.ERROR for d in run.diagnostics):
        return 2
    return 1 if exit_code and run else 0


def _running(app: App, repo: Any, names: tuple[str, ...], where: str | None,
             remediation: tuple[bool, bool],
             running_file: tuple[str, bytes] | None = None) -> Any:
    from unet.cli.render import policy_outcomes, progress
    from unet.policy import select
    from unet.templates import compare_devices

    chosen = select(repo.inventory, names=names, where=where)
    outcomes = policy_outcomes(app, repo.snapshot, repo.inventory, chosen)
    with progress(app, len(chosen), "comparing") as advance:
        return compare_devices(repo.snapshot, repo.inventory, devices=chosen, outcomes=outcomes,
                               remediation=remediation[0], allow_protected=remediation[1],
                               progress=lambda _: advance(), running_file=running_file)


def _pending(repo: Any, run: Any) -> dict[str, list[str]]:
    """Pending deploys of the devices that differ (through the index, as `unet check`)."""
    from unet.index import pending_deploys

    differing = tuple(d.device for d in run.devices if d.status == "non-compliant")
    if not differing:
        return {}
    return pending_deploys(repo.root, repo.snapshot, differing)


def _revisions(app: App, repo: Any, rev: str, names: tuple[str, ...],
               remediation: tuple[bool, bool]) -> Any:
    from unet.cli.render import policy_outcomes
    from unet.inventory import load_inventory
    from unet.source import GitSnapshot, resolve_revision_range
    from unet.templates import compare_revisions

    base_rev, head_rev = resolve_revision_range(repo.root, rev)
    base = GitSnapshot(repo.root, base_rev)
    head = GitSnapshot(repo.root, head_rev) if head_rev else repo.snapshot
    old, new = load_inventory(base), repo.inventory if head_rev is None else load_inventory(head)
    run = compare_revisions(
        base, head, names=names, base_inventory=old, head_inventory=new,
        base_outcomes=policy_outcomes(app, base, old, list(old.devices.values())),
        head_outcomes=policy_outcomes(app, head, new, list(new.devices.values())),
        remediation=remediation[0], allow_protected=remediation[1])
    left, dots, right = rev.partition("...") if "..." in rev else rev.partition("..")
    run.base = _label(left or "HEAD", base_rev)
    if dots == "...":
        run.base = f"merge base of {left or 'HEAD'} and {right or 'HEAD'} ({base_rev[:10]})"
    run.head = _label(right or "HEAD", head_rev) if head_rev else "working tree"
    return run


def _label(ref: str, commit: str) -> str:
    return ref if commit.startswith(ref) else f"{ref} ({commit[:10]})"


def _emit(app: App, run: Any, fmt: str, reports: list[tuple[str, str]],
          pending: dict[str, list[str]] | None = None) -> None:
    import functools

    from unet.cli._output import write_report
    from unet.report import compliance

    compliance.render(run, fmt, sys.stdout, styled=fmt == "text" and app.styled(),
                      pending=pending)
    for target_fmt, target in reports:
        write_report(target, functools.partial(compliance.render, run, target_fmt,
                                               pending=pending))


def _files(app: App, running: str, intended: str, platform: str | None, remediation: bool,
           rollback: bool, predict: bool, fmt: str, exit_code: bool,
           allow_protected: bool) -> int:
    """`unet diff A B`: two config files, as before."""
    from unet import config as cfg
    from unet.cli.config import load_config, read_config_text
    from unet.report import diff as report

    a_text, b_text = read_config_text(running), read_config_text(intended)
    if platform is None:
        found = cfg.detect_dialect(a_text)
        platform = found.name if found.certain else None
    a = load_config(app, running, platform, text=a_text)
    b = load_config(app, intended, a.dialect, text=b_text)
    result = cfg.diff(a, b)
    wanted = {"remediation": remediation, "rollback": rollback, "predict": predict}
    if any(wanted.values()):
        _commands(result, wanted, fmt, allow_protected)
    else:
        report.render(result, sys.stdout, styled=fmt == "text" and app.styled(), fmt=fmt)
    app.log(f"diff: {report.summary(result)}")
    return 1 if exit_code and result else 0


def _commands(result: Any, wanted: dict[str, bool], fmt: str, allow_protected: bool) -> None:
    from unet import config as cfg
    from unet.core import text_lines
    from unet.report import diff as report

    plans = {
        "remediation": lambda: cfg.remediate(result, allow_protected=allow_protected),
        "rollback": lambda: cfg.rollback(result, allow_protected=allow_protected),
    }
    chosen = {name: plans[name]() for name in plans if wanted[name]}
    predicted = cfg.emit(cfg.predict(result, allow_protected=allow_protected)) \
        if wanted["predict"] else None
    if fmt == "json":
        import json

        document = report.as_json(result)
        document.update({name: text_lines(plan.as_text(marks=False))
                         for name, plan in chosen.items()})
        if "remediation" in chosen:
            document["plan"] = chosen["remediation"].to_json()
        if predicted is not None:
            document["predict"] = text_lines(predicted)
        json.dump(document, sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
        return
    texts = {name: plan.as_text() for name, plan in chosen.items()}
    if predicted is not None:
        texts["predict"] = predicted
    for name, text in texts.items():
        if len(texts) > 1:
            sys.stdout.write(f"! --- {name} ---\n")
        sys.stdout.write(text)
