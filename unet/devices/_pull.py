"""`unet pull`: running configurations into configs/, facts into state/, one device at a
time per worker, each device on its own (one failing never stops the others).

A device's files are written only after everything was collected from it and checked
(no refusal, not empty, complete, the platform it should be), so a device that fails
half-way leaves its stored configuration and facts exactly as they were.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from unet.core import Diagnostic, record, text_lines
from unet.devices._errors import INPUT_CODES, DeviceError
from unet.devices._facts import facts_from
from unet.devices._interrupt import results_of
from unet.devices._login import open_session
from unet.devices._platforms import PLATFORMS, Platform
from unet.devices._store import clean_config, read_text, same_facts, state_text, write_atomic
from unet.devices._target import Target, target_for
from unet.devices._transport import NetmikoTransport, Session, Transport, rejection
from unet.inventory import STATE_DIR, Inventory, ResolvedDevice, RunningConfigs
from unet.source import Snapshot

__all__ = ["DEFAULT_JOBS", "DeviceResult", "PullResult", "choose", "commit_pull", "pull"]

DEFAULT_JOBS = 16  # network-bound: most of a device's time is spent waiting for it
Events = Callable[[str, str], None]  # (device, what is happening now)


@record
class DeviceResult:
    device: str
    status: str  # "changed", "unchanged" or "failed"
    reason: str  # one line; what changed, or why it failed
    seconds: float
    code: str | None = None  # the D1xx code of a failure
    written: tuple[str, ...] = ()  # repository paths (or absolute ones outside it) written
    notes: tuple[str, ...] = ()  # what could not be collected, without failing

    @property
    def input_error(self) -> bool:
        return self.code in INPUT_CODES


@dataclass(slots=True)
class PullResult:
    results: list[DeviceResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    commit: str | None = None
    commit_error: str | None = None
    interrupted: bool = False  # Ctrl-C: the devices not yet started were not pulled

    @property
    def failed(self) -> list[DeviceResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def changed(self) -> list[DeviceResult]:
        return [r for r in self.results if r.status == "changed"]

    @property
    def written(self) -> list[str]:
        return [path for r in self.results for path in r.written]


@record
class _Run:
    root: Path
    running: RunningConfigs
    transport: Transport
    platforms: Mapping[str, Platform]
    scrub: bool
    names: frozenset[str]
    on_event: Events | None
    stop: threading.Event = field(default_factory=threading.Event)  # set by Ctrl-C


def pull(root: Path, snapshot: Snapshot, inventory: Inventory,
         devices: Sequence[ResolvedDevice], *, jobs: int = DEFAULT_JOBS, scrub: bool = True,
         transport: Transport | None = None, platforms: Mapping[str, Platform] = PLATFORMS,
         on_event: Events | None = None) -> PullResult:
    """Collect from `devices` with at most `jobs` at once; results in the devices' order."""
    running = RunningConfigs(snapshot)
    run = _Run(root, running, transport or NetmikoTransport(), platforms, scrub,
               frozenset(inventory.devices), on_event)
    result = PullResult(diagnostics=[d for d in running.diagnostics if d.code == "C310"])
    if result.diagnostics:
        return result  # running_configs is unusable: nothing would be written where it's read
    workers = max(1, min(jobs, len(devices)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="unet-pull") as pool:
        result.results = results_of(
            [pool.submit(_pull_device, run, d) for d in devices], run.stop,
            lambda what: _event(run, "", what),
            stopping="interrupted: finishing the devices being pulled, starting no other")
    result.interrupted = run.stop.is_set()
    return result


def _pull_device(run: _Run, device: ResolvedDevice) -> DeviceResult:
    if run.stop.is_set():
        return DeviceResult(device.name, "failed", "interrupted (Ctrl-C) before this device: "
                            "not pulled", 0.0, "D231")
    start = time.perf_counter()
    try:
        written, reason, notes = _collect_and_store(run, device)
    except DeviceError as exc:
        _event(run, device.name, "failed")
        return DeviceResult(device.name, "failed", exc.reason, time.perf_counter() - start,
                            exc.code)
    _event(run, device.name, "done")
    return DeviceResult(device.name, "changed" if written else "unchanged", reason,
                        time.perf_counter() - start, None, tuple(written), tuple(notes))


def _event(run: _Run, device: str, what: str) -> None:
    if run.on_event is not None:
        run.on_event(device, what)


def _collect_and_store(run: _Run, device: ResolvedDevice) -> tuple[list[str], str, list[str]]:
    _check_name(device.name)
    target = target_for(device, run.platforms)
    outputs, config, notes = _collect(run, target)
    platform = target.platform
    cleaned = clean_config(config, platform.name, scrub=run.scrub)
    facts, fact_notes = facts_from(platform, outputs, devices=run.names)
    facts.update(device=device.name, platform=platform.name,
                 collected_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    written: list[str] = []
    config_path = run.running.write_path(device.name, run.root)
    old_config = read_text(config_path)
    changes = []
    if old_config != cleaned:
        write_atomic(config_path, cleaned)
        written.append(_shown(run.root, config_path))
        changes.append(_config_change(old_config, cleaned))
    state_path = run.root / STATE_DIR / f"{device.name}.yaml"
    old_state = read_text(state_path)
    if not same_facts(old_state, facts):
        write_atomic(state_path, state_text(facts))
        written.append(_shown(run.root, state_path))
        changes.append("facts saved" if old_state is None else "facts changed")
    return written, ", ".join(changes), [*notes, *fact_notes]


def _check_name(name: str) -> None:
    if not name or name.startswith(".") or any(c in name for c in "/\\\0"):
        raise DeviceError("D101", f"the device name {name!r} cannot be used as a file name")


def _collect(run: _Run, target: Target) -> tuple[dict[str, str], str, list[str]]:
    """Every output the platform row asks for; a DeviceError for anything unusable."""
    platform = target.platform
    _event(run, target.device, "connecting")
    session = open_session(run.transport, target)
    try:
        outputs, notes = _facts_outputs(run, session, target)
        config = _send(run, session, target, platform.running_config)
    finally:
        session.close()
    _check_config(platform, config)
    return outputs, config, notes


def _send(run: _Run, session: Session, target: Target, command: str) -> str:
    _event(run, target.device, f"`{command}`")
    return session.send(command)


def _facts_outputs(run: _Run, session: Session, target: Target,
                   ) -> tuple[dict[str, str], list[str]]:
    platform = target.platform
    outputs: dict[str, str] = {}
    notes: list[str] = []
    for fact in platform.facts:
        text = _send(run, session, target, fact.command)
        refused = rejection(platform, text)
        if fact.kind == "version":  # required: it also tells which platform answered
            if refused:
                raise DeviceError("D120", f"`{fact.command}` was rejected: {refused}")
            if not text.strip():
                raise DeviceError("D121", f"`{fact.command}` returned nothing")
            _check_identity(run, platform, text)
        elif refused or not text.strip():
            notes.append(f"`{fact.command}` {'rejected: ' + refused if refused else 'empty'}; "
                         f"no {fact.kind} facts")
            continue
        outputs[fact.kind] = text
    return outputs, notes


def _check_identity(run: _Run, platform: Platform, version: str) -> None:
    if re.search(platform.identity, version, re.MULTILINE):
        return
    first = next((line.strip() for line in version.splitlines() if line.strip()), "")[:80]
    other = next((p.title for p in run.platforms.values()
                  if p is not platform and re.search(p.identity, version, re.MULTILINE)), None)
    said = f"`show version` says {first!r}"
    if other:
        raise DeviceError("D122", f"answers as {other}, not {platform.title} ({said}); "
                                  "fix its platform")
    raise DeviceError("D122", f"does not answer as {platform.title} ({said}); check its "
                              "platform and connection.device_type")


def _check_config(platform: Platform, config: str) -> None:
    command = platform.running_config
    refused = rejection(platform, config)
    if refused:
        raise DeviceError("D120", f"`{command}` was rejected: {refused}")
    if not clean_config(config, platform.name, scrub=False).strip("!\n "):
        raise DeviceError("D121", f"`{command}` returned no configuration")
    if platform.config_end:
        last = next((line.strip() for line in reversed(config.splitlines()) if line.strip()), "")
        if not re.fullmatch(platform.config_end, last):
            raise DeviceError("D117", f"`{command}` output is incomplete (it ends with "
                                      f"{last[:40]!r}, not {platform.config_end.strip('^$')!r})")


def _config_change(old: str | None, new: str) -> str:
    if old is None:
        return "config saved"
    before, after = Counter(text_lines(old)), Counter(text_lines(new))
    added, removed = sum((after - before).values()), sum((before - after).values())
    return f"config changed (+{added} -{removed} lines)"


def _shown(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)



def commit_pull(root: Path, result: PullResult) -> None:
    """One git commit of what the pull wrote in the repository, naming the devices."""
    from unet.source import RevisionError, commit_files

    inside = [p for r in result.changed for p in r.written if not p.startswith("/")]
    if not inside:
        return
    names = [r.device for r in result.changed]
    subject = (f"unet pull: {names[0]}" if len(names) == 1
               else f"unet pull: {len(names)} devices changed")
    body = "\n".join(f"- {r.device}: {r.reason}" for r in result.changed)
    try:
        result.commit = commit_files(root, inside, f"{subject}\n\n{body}\n")
    except RevisionError as exc:
        result.commit_error = exc.message


def choose(inventory: Inventory, snapshot: Snapshot, *, names: Sequence[str] = (),
           where: str | None = None, shard: tuple[int, int] | None = None,
           ) -> list[ResolvedDevice]:
    """The devices to talk to: by name, `--where` condition and shard. The policy code is
    loaded only for a condition (a pull of a few devices should start fast)."""
    from unet.index import shard_of
    from unet.inventory import unknown_device

    if where is not None:
        from unet.policy import select

        devices = select(inventory, names=names, where=where, snapshot=snapshot)
    else:
        unknown = [n for n in names if n not in inventory.devices]
        if unknown:
            raise unknown_device(inventory, unknown[0])
        devices = [inventory.devices[n] for n in (names or sorted(inventory.devices))]
    if shard is not None:
        devices = [d for d in devices if shard_of(d.name, shard[1]) == shard[0]]
    return devices
