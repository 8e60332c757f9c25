"""`unet check`: evaluate the policies on the devices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from unet.cli._app import App
from unet.cli._complete import complete_devices
from unet.cli._options import report_options

if TYPE_CHECKING:
    from pathlib import Path

    from unet.source import Snapshot


pass_app = click.make_pass_decorator(App)

FORMATS = ["text", "concise", "json", "sarif", "junit", "github", "markdown"]
SEVERITIES = ["error", "warning", "info", "never"]


def _shard(ctx: click.Context, param: click.Parameter, value: str | None,
           ) -> tuple[int, int] | None:
    if value is None:
        return None
    part, _, count = value.partition("/")
    if not (part.isdigit() and count.isdigit() and 1 <= int(part) <= int(count)):
        raise click.BadParameter(f"expected K/N with 1 <= K <= N, got {value!r}", ctx, param)
    return int(part), int(count)


@click.command()
@click.argument("targets", metavar="[DEVICE|FILE]...", nargs=-1, shell_complete=complete_devices)
@click.option("--where", metavar="CONDITION",
              help="Only devices matching a policy condition, e.g. 'node.role == \"core\"'.")
@click.option("--changed-since", metavar="REF",
              help="Only devices affected by what changed since REF (merge base) and in the "
                   "working tree.")
@click.option("--new-since", metavar="REF",
              help="Report only findings that did not exist at REF (the merge base of REF "
                   "and HEAD); existing ones are counted, fixed ones listed.")
@click.option("--baseline", "use_baseline", is_flag=True,
              help="--new-since the `baseline:` of unet.yaml (default HEAD): what the "
                   "pre-commit hook runs.")
@click.option("--show-existing", is_flag=True,
              help="With --new-since: list the findings that already existed too.")
@report_options(FORMATS)
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="error", show_default=True,
              help="Exit 1 when a finding is at least this severe ('never': only errors exit).")
@click.option("--fail-on-pending", is_flag=True,
              help="Also exit 1 for findings on running configurations that the intended "
                   "ones already satisfy (by default they are reported as pending deploy).")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even with findings (input errors still exit 2).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Processes for parsing and evaluation [default: one per CPU; 1: only this one].")
@click.option("--shard", metavar="K/N", callback=_shard,
              help="Check only the K-th of N stable partitions of the devices "
                   "(combine the JSON reports with `unet report merge`).")
@click.option("--no-cache", is_flag=True, help="Ignore the index for this run.")
@pass_app
def check(app: App, targets: tuple[str, ...], where: str | None, changed_since: str | None,
          new_since: str | None, use_baseline: bool, show_existing: bool, fmt: str,
          reports: list[tuple[str, str]], fail_on: str, fail_on_pending: bool,
          exit_zero: bool, jobs: int, shard: tuple[int, int] | None, no_cache: bool) -> int:
    """Check devices against every policy in policies/.

    Arguments are device names, or changed files (as pre-commit passes them): a file
    selects the devices it affects (a group file, its members; a policy, every
    device), and each of them is checked completely. Without arguments every device
    is checked; unchanged ones are answered from the index.

    Each finding names the rule, the device and the line to edit: the YAML value
    the rule looked at (in the file it was inherited from) or the line of the
    running configuration. Waivers in waivers.yaml mark accepted findings. A finding
    on the running configuration that the intended one already satisfies is reported
    as pending deploy; a template that cannot render is an input error.

    Exit codes: 0 clean; 1 an unwaived finding at least as severe as --fail-on (with
    --new-since, a new one; pending deploys only with --fail-on-pending); 2 errors in
    the policies, data, templates or options.
    """
    from unet.cli._errors import check_exit_code
    from unet.cli._output import emit_report, source_text
    from unet.index import CheckOptions, indexed_check, intended_configs
    from unet.report import outcome_report
    from unet.source import worktree_snapshot

    root = app.repo_root
    if new_since is not None and use_baseline:
        raise click.UsageError("--new-since and --baseline both say what to compare with; "
                               "give one")
    if show_existing and new_since is None and not use_baseline:
        raise click.UsageError("--show-existing works with --new-since or --baseline")
    snapshot = worktree_snapshot(root)
    names, seeds = _split_targets(root, snapshot, targets)
    if changed_since is not None:
        seeds += _changed(root, changed_since)
        if not seeds and not names:
            app.log(f"check: nothing changed since {changed_since}")
            return 0
    options = CheckOptions(names=tuple(names), where=where, seeds=tuple(seeds), shard=shard,
                           jobs=jobs)
    outcome = indexed_check(root, snapshot, options, use_index=not no_cache,
                            intended=intended_configs)
    ref = _baseline_ref(snapshot) if use_baseline else new_since
    if ref is not None and use_baseline and not _has_commits(root):
        app.log("check: no commit yet, so every finding is new")  # a repository's first commit
        ref = None
    if ref is not None:
        outcome = _against(root, outcome, options, ref, not no_cache)
    for note in outcome.notes:
        app.log(f"warning: {note}")
    app.log(_cache_line(outcome.stats), level=1)
    report = outcome_report(outcome, show_existing=show_existing, shard=shard)
    report.pending_fails = fail_on_pending
    emit_report(app, report, fmt, reports, source=source_text(snapshot))
    return check_exit_code(report, fail_on=fail_on, exit_zero=exit_zero,
                           fail_on_pending=fail_on_pending)


def _against(root: Path, outcome: Any, options: Any, ref: str, use_index: bool) -> Any:
    from unet.core import UnetError
    from unet.index import against_baseline

    try:
        return against_baseline(root, outcome, options, ref, use_index=use_index)
    except ValueError as exc:
        raise UnetError(f"--new-since: {exc}") from None


def _has_commits(root: Path) -> bool:
    from unet.source import merge_base

    try:
        merge_base(root, "HEAD")
    except ValueError:
        return False
    return True


def _baseline_ref(snapshot: Any) -> str:
    """unet.yaml's `baseline:` (read alone: the warm path loads no inventory), or HEAD."""
    from unet.inventory import SETTINGS_FILE, parse_yaml
    from unet.source import SnapshotReadError

    try:
        document, _ = parse_yaml(snapshot.read(SETTINGS_FILE), SETTINGS_FILE)
    except SnapshotReadError:
        return "HEAD"
    data = document.data if document is not None else None
    value = data.get("baseline") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else "HEAD"


def _split_targets(root: Path, snapshot: Snapshot,
                   targets: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Device names, and repository files (relative to here or to the repository root)."""
    names, seeds = [], []
    for target in targets:
        path = _repo_path(root, target)
        if path is None:
            names.append(target)
        elif not (root / path).exists():  # a mistyped path would check nothing, and pass
            raise _no_such_file(root, target, path)
        elif (root / path).is_dir():  # `unet check devices/hq`: every file in it
            seeds += snapshot.files(path.rstrip("/") + "/")
        else:
            seeds.append(path)
    return names, seeds


def _no_such_file(root: Path, target: str, path: str) -> Exception:
    from unet.core import UnetError
    from unet.inventory import did_you_mean

    parent = (root / path).parent
    siblings = [p.name for p in parent.iterdir()] if parent.is_dir() else []
    hint = did_you_mean((root / path).name, siblings)
    return UnetError(f"{target}: no such file in the repository{hint}")


def _repo_path(root: Path, target: str) -> str | None:
    from pathlib import Path

    for base in (Path.cwd(), root):
        candidate = (base / target).resolve()
        if candidate.is_file() or "/" in target:
            try:
                return candidate.relative_to(root.resolve()).as_posix()
            except ValueError:
                continue
    return None


def _changed(root: Path, ref: str) -> list[str]:
    from unet.core import UnetError
    from unet.source import changed_since

    try:
        return changed_since(root, ref)
    except ValueError as exc:
        raise UnetError(str(exc)) from None


def _cache_line(stats: dict[str, int]) -> str:
    if stats.get("warm"):
        return "index: unchanged repository, answered from the index"
    return (f"index: {stats.get('devices_evaluated', 0)} devices evaluated, "
            f"{stats.get('devices_reused', 0)} from the index; "
            f"{stats.get('documents_parsed', 0)} files parsed, "
            f"{stats.get('documents_reused', 0)} from the index")

