"""`unet deploy`: push the remediation to devices, verify it, roll back on failure.

Per device, on one SSH session (the transport of `unet pull`):

1. pre-flight: the running configuration now must be the one the plan was made from
   (else the device is refused and the change named, unless `force`);
2. apply: the platform's safety net prepares (a table: checkpoint, session, archive;
   FRR: nothing), the plan is sent line by line in configuration mode, each answer
   checked against the platform's error patterns;
3. verify: the running configuration again; the remaining plan for the deployed scope
   must be empty; the new configuration is stored in configs/ (atomically);
4. on a refused line or a failed verification: roll back (the platform's own mechanism,
   or the computed rollback of exactly the lines the device took), verify that the
   device is as before, and report the failure with the device's own words.

A dropped connection leaves the device as it is: the result says it may be partially
configured, and the next pull or deploy (whose pre-flight sees the difference) shows it.
Devices run in batches (a canary batch first); the run stops after a failed batch.

Ctrl-C stops the run: no device is started after it, a device being configured stops
after the line in flight and is rolled back (and verified as before), and every result
is recorded and reported as usual (D231).
"""

from __future__ import annotations

import math
import secrets as _secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unet.core import record, text_lines
from unet.devices._deploy_plan import (
    DevicePlan,
    PlanContext,
    applied_count,
    rollback_for,
    scope_trees,
)
from unet.devices._deploy_record import Record, masked
from unet.devices._errors import DeviceError
from unet.devices._interrupt import results_of
from unet.devices._login import open_session
from unet.devices._platforms import PLATFORMS, Platform
from unet.devices._pull import _check_config
from unet.devices._store import clean_config, read_text, write_atomic
from unet.devices._target import Target, target_for
from unet.devices._transport import ConfigResponse, NetmikoTransport, Session, Transport, rejection
from unet.inventory import ResolvedDevice
from unet.source import Snapshot

__all__ = [
    "DEPLOY_INPUT_CODES",
    "RESULTS",
    "DeployOptions",
    "DeployResult",
    "DeviceDeployment",
    "batches",
    "deploy",
]

# What a device's deployment came to.
RESULTS = ("verified", "no changes", "skipped", "refused", "failed", "partial",
           "not attempted", "planned")
OK_RESULTS = frozenset({"verified", "no changes", "skipped", "planned"})
DEPLOY_INPUT_CODES = frozenset({"D101", "D102", "D103", "D200"})
Events = Callable[[str, str], None]  # (device, what is happening now)
INTERRUPTED = "D231"


class _Interrupted(Exception):
    """Ctrl-C, seen between two lines of a change."""


@record
class DeployOptions:
    force: bool = False  # deploy even when the device changed since the plan's base
    jobs: int = 16
    batch_size: int | None = None  # devices per batch after the canary; None: all
    canary: int = 0
    confirm_timeout: int = 300  # seconds a commit-confirmed/timer platform waits
    scrub: bool = True  # configs/ are stored with secrets masked (`backup: scrub:`)


@dataclass(slots=True)
class DeviceDeployment:
    device: str
    result: str  # one of RESULTS
    reason: str = ""
    code: str | None = None
    sent: int = 0  # configuration lines the device was sent (rollback included)
    seconds: float = 0.0
    line: str | None = None  # the line the device refused, or was being sent
    error: str | None = None  # the device's own words about it
    written: tuple[str, ...] = ()
    # --force on a device that changed: the plan made again, as sent (secrets masked)
    replanned: str | None = None

    @property
    def ok(self) -> bool:
        return self.result in OK_RESULTS

    @property
    def input_error(self) -> bool:
        return self.code in DEPLOY_INPUT_CODES


@dataclass(slots=True)
class DeployResult:
    devices: list[DeviceDeployment] = field(default_factory=list)
    record: str | None = None  # the deployment record's repository path
    commit: str | None = None
    commit_error: str | None = None
    interrupted: bool = False  # Ctrl-C stopped the run (each device's result says how)

    @property
    def failed(self) -> list[DeviceDeployment]:
        return [d for d in self.devices if not d.ok]

    @property
    def verified(self) -> list[DeviceDeployment]:
        return [d for d in self.devices if d.result == "verified"]


def batches(names: Sequence[str], *, canary: int, batch_size: int | None,
            ) -> list[list[str]]:
    """The devices in the order they are deployed: the canary batch first, then batches
    of `batch_size` (all the rest when None)."""
    rest = list(names)
    out: list[list[str]] = []
    if canary > 0 and rest:
        out.append(rest[:canary])
        rest = rest[canary:]
    size = batch_size or len(rest) or 1
    out.extend(rest[i:i + size] for i in range(0, len(rest), size))
    return out


class _Overlay:
    """The repository's snapshot with one device's running config replaced by what the
    device just showed: verification compares exactly as `unet diff` would."""

    def __init__(self, base: Snapshot, path: str, text: str) -> None:
        self._base = base
        self._path = path
        self._data = text.encode("utf-8")

    @property
    def label(self) -> str:
        return self._base.label

    def files(self, prefix: str = "") -> list[str]:
        return self._base.files(prefix)

    def read(self, path: str) -> bytes:
        return self._data if path == self._path else self._base.read(path)

    def blob_id(self, path: str) -> str:
        return self._base.blob_id(path)

    def read_id(self, path: str) -> str | None:
        return self._base.read_id(path)


@record
class _Run:
    root: Path
    context: PlanContext
    devices: Mapping[str, ResolvedDevice]
    transport: Transport
    platforms: Mapping[str, Platform]
    options: DeployOptions
    record: Record
    on_event: Events | None
    name: str  # per-run name for checkpoints and sessions
    stop: threading.Event = field(default_factory=threading.Event)  # set by Ctrl-C

    def event(self, device: str, what: str) -> None:
        if self.on_event is not None:
            self.on_event(device, what)


def deploy(root: Path, context: PlanContext, plans: Sequence[DevicePlan], *,
           options: DeployOptions | None = None,
           transport: Transport | None = None, platforms: Mapping[str, Platform] = PLATFORMS,
           on_event: Events | None = None) -> DeployResult:
    """Deploy each plan; results in the plans' order."""
    options = options or DeployOptions()
    record = Record(root)
    result = DeployResult(record=record.relative)
    run = _Run(root, context, context.inventory.devices, transport or NetmikoTransport(),
               platforms, options, record, on_event, _secrets.token_hex(3))
    record.write("run", devices=[p.device for p in plans], force=options.force,
                 canary=options.canary, batch_size=options.batch_size, jobs=options.jobs,
                 features=sorted({f for p in plans for f in p.scope or ()}) or None)
    outcomes: dict[str, DeviceDeployment] = {}
    todo = []
    for plan in plans:
        _record_plan(record, plan)
        early = _without_session(plan)
        if early is not None:
            outcomes[plan.device] = early
            record.write("result", device=plan.device, **_result_fields(early))
        else:
            todo.append(plan)
    by_name = {p.device: p for p in todo}
    stopped: str | None = None
    for number, batch in enumerate(batches([p.device for p in todo], canary=options.canary,
                                           batch_size=options.batch_size)):
        if stopped is not None:
            for name in batch:
                outcomes[name] = DeviceDeployment(name, "not attempted", stopped, "D230")
                record.write("result", device=name, **_result_fields(outcomes[name]))
            continue
        workers = max(1, min(options.jobs, len(batch)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="unet-deploy") as pool:
            done = results_of(
                [pool.submit(_deploy_device, run, by_name[n]) for n in batch], run.stop,
                lambda what: run.event("", what),
                stopping="interrupted: stopping after the lines in flight, then rolling back",
                # another Ctrl-C would lose the results, not stop the rollbacks
                waiting="still rolling back the devices being changed (each is bounded by "
                        "its connection timeout); then the results")
        for item in done:
            outcomes[item.device] = item
            record.write("result", device=item.device, **_result_fields(item))
        failed = [d.device for d in done if not d.ok]
        if run.stop.is_set():
            result.interrupted = True
            stopped = "interrupted (Ctrl-C): the run stopped before this device"
            record.write("interrupted")
        elif failed:
            first = "the canary" if options.canary and number == 0 else "a batch"
            stopped = f"{first} failed ({', '.join(failed)}): the run stopped before this device"
    result.devices = [outcomes[p.device] for p in plans]
    record.write("summary", **{k: v for k, v in Counter(d.result for d in result.devices).items()})
    record.close()
    return result


def _record_plan(record: Record, plan: DevicePlan, event: str = "plan") -> None:
    platform = plan.platform
    record.write(event, device=plan.device, platform=platform, base=plan.base_path,
                 features=list(plan.features), refused=plan.refused, skipped=plan.skipped,
                 commands=[{**c.as_json(), "text": masked(c.text, platform),
                            "was": masked(c.was, platform) if c.was else None}
                           for c in plan.commands])


def _result_fields(item: DeviceDeployment) -> dict[str, Any]:
    return {"result": item.result, "code": item.code, "reason": item.reason,
            "sent": item.sent, "seconds": round(item.seconds, 3), "line": item.line,
            "error": item.error, "written": list(item.written)}


def _without_session(plan: DevicePlan) -> DeviceDeployment | None:
    """The result of a device that is not connected to at all."""
    if plan.refused is not None:
        code, reason = plan.refused
        return DeviceDeployment(plan.device, "refused", reason, code)
    if plan.skipped is not None:
        return DeviceDeployment(plan.device, "skipped", plan.skipped)
    if not plan.lines:
        held = len(plan.commands)
        note = f" ({held} held back)" if held else ""
        return DeviceDeployment(plan.device, "no changes", f"nothing to send{note}")
    return None


def _deploy_device(run: _Run, plan: DevicePlan) -> DeviceDeployment:
    if run.stop.is_set():
        return DeviceDeployment(plan.device, "not attempted",
                                "interrupted (Ctrl-C) before this device: nothing was sent",
                                INTERRUPTED)
    start = time.perf_counter()
    outcome: _Device | None = None
    try:
        outcome = _Device(run, plan)
        item = outcome.deploy()
    except DeviceError as exc:  # before anything was sent (after, each step says so)
        item = DeviceDeployment(plan.device, "failed", exc.reason, exc.code,
                                outcome.sent if outcome is not None else 0)
    if outcome is not None and outcome.replanned is not None:
        item.replanned = outcome.replanned
    item.seconds = time.perf_counter() - start
    run.event(plan.device, "failed" if not item.ok else "done")
    return item


class _Opening:
    """A session being opened in the background; `take` waits for it."""

    def __init__(self, opener: Callable[[], Session]) -> None:
        import threading

        self._session: Session | None = None
        self._error: DeviceError | None = None
        self._taken = False
        self._thread = threading.Thread(target=self._open, args=(opener,), daemon=True,
                                        name="unet-deploy-verify")
        self._thread.start()  # a new thread shares the caller's network namespace

    def _open(self, opener: Callable[[], Session]) -> None:
        try:
            self._session = opener()
        except DeviceError as exc:
            self._error = exc

    def take(self) -> Session:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._session is not None
        self._taken = True
        return self._session

    def close(self) -> None:
        self._thread.join()
        if self._session is not None and not self._taken:
            self._session.close()


def _shown_instead(command: str, running: str) -> str | None:
    """The line of `running` that looks most like `command` (the same leading words, at
    least two): how the device stored what it was sent (`log syslog` for `log syslog
    debugging`), if it did."""
    words = command.split()
    lines = [line.strip() for line in running.splitlines()]
    for size in range(len(words) - 1, 1, -1):
        prefix = " ".join(words[:size])
        found = next((line for line in lines if line == prefix or line.startswith(prefix + " ")),
                     None)
        if found is not None:
            return found
    return None


def _lines(count: int) -> str:
    return f"{count} line" if count == 1 else f"{count} lines"


def _timer(seconds: int) -> dict[str, str]:
    return {"minutes": str(max(1, math.ceil(seconds / 60))),
            "timer": time.strftime("%H:%M:%S", time.gmtime(seconds))}


class _Device:
    """One device's deployment on one session."""

    def __init__(self, run: _Run, plan: DevicePlan) -> None:
        self.run = run
        self.plan = plan
        self.device = run.devices[plan.device]
        self.target: Target = target_for(self.device, run.platforms)
        self.platform = self.target.platform
        self.sent = 0
        self.replanned: str | None = None
        self.names = {"name": run.name, **_timer(run.options.confirm_timeout)}
        self.spare: _Opening  # the verification's session, opened while the change is made

    # --- steps ---------------------------------------------------------------------------

    def deploy(self) -> DeviceDeployment:
        # The verification's session is opened while the change is made: a new login
        # costs as much as the rest of a small deployment.
        self.spare = _Opening(self._open)
        try:
            session = self._open()
            try:
                return self._on(session)
            finally:
                session.close()
        finally:
            self.spare.close()

    def _on(self, session: Session) -> DeviceDeployment:
        name = self.plan.device
        before = self._running(session, "pre-flight")
        changed = self._changed_since_plan(before)
        self.run.record.write("preflight", device=name, changed=changed,
                              forced=bool(changed) and self.run.options.force)
        if changed and not self.run.options.force:
            return DeviceDeployment(name, "refused", "pre-flight: " + changed +
                                    "; `unet pull` it and review the plan again, or --force",
                                    "D210")
        if changed:
            self._replan(before)
            if not self.plan.lines:
                return self._finish(session, before, 0)
        if self.run.stop.is_set():
            return DeviceDeployment(name, "not attempted", "interrupted (Ctrl-C) before the "
                                    "change: nothing was sent", INTERRUPTED)
        net = self.platform.safety_net
        problem = self._exec(session, net.prepare, "prepare")
        if problem is not None:  # no safety net, no change
            return DeviceDeployment(name, "failed", f"the safety net could not be prepared: "
                                    f"the device refused `{problem[0]}`: {problem[1]}; "
                                    "nothing was sent", "D220", line=problem[0],
                                    error=problem[1])
        lines = self.plan.lines
        responses: list[ConfigResponse] = []
        self.run.event(name, f"sending {len(lines)} lines")
        try:
            session.configure(lines, enter=self._enter(),
                              on_response=self._collect(responses, interruptible=True))
        except DeviceError as exc:
            self._record_apply(responses)
            return self._dropped(exc, lines, responses)
        except _Interrupted:
            self.sent += len(responses)
            self._record_apply(responses)
            return self._undo(session, before, len(responses), DeviceDeployment(
                name, "failed", f"interrupted (Ctrl-C) after {len(responses)} of "
                f"{_lines(len(lines))}", INTERRUPTED))
        self.sent += len(responses)
        self._record_apply(responses)
        refused = next((r for r in responses if r.error), None)
        if refused is not None:
            line = masked(refused.line, self.platform.name)
            error = masked(refused.error or "", self.platform.name)  # it may echo the line
            # The refused line did not take: the rollback undoes the ones before it.
            return self._undo(session, before, len(responses) - 1, DeviceDeployment(
                name, "failed", f"the device refused `{line}`: {error}", "D220",
                line=line, error=error))
        problem = self._exec(session, (*net.check, *net.apply), "check")  # none on FRR
        if problem is not None:
            return self._undo(session, before, len(responses), DeviceDeployment(
                name, "failed", f"the device refused `{problem[0]}`: {problem[1]}", "D220",
                line=problem[0], error=problem[1]))
        # A new session, as `unet pull` would open: what only lives in the session that
        # made it (FRR's `line vty` is vtysh's own) does not pass for deployed.
        try:
            after = self._fresh_running("verify", self.spare.take())
        except DeviceError as exc:
            return DeviceDeployment(
                name, "partial", f"{_lines(len(lines))} sent, but the verification could not "
                f"read the device: {exc.code} {exc.reason}; it may be partially configured "
                f"(`unet pull {name}` shows its true state)", "D224", sent=self.sent)
        remaining = self._remaining(after)
        self.run.record.write("verify", device=name, remaining=remaining, ok=not remaining)
        if remaining:
            shown = "; ".join(remaining[:3])
            instead = _shown_instead(remaining[0], masked(after, self.platform.name))
            seen = f"; the device shows {instead!r} instead" if instead else ""
            return self._undo(session, before, len(responses), DeviceDeployment(
                name, "failed", f"verification failed: {len(remaining)} command(s) still to "
                f"do after the deploy (e.g. {shown!r}){seen}", "D221"))
        return self._finish(session, after, len(lines))

    def _finish(self, session: Session, after: str, lines: int) -> DeviceDeployment:
        net = self.platform.safety_net
        self._exec(session, (*net.confirm, *net.cleanup), "confirm")
        written = self._store(after)
        return DeviceDeployment(self.plan.device, "verified", f"{_lines(lines)} sent, verified",
                                sent=self.sent, written=written)

    def _replan(self, running: str) -> None:
        """--force on a device that changed: the plan is made again from what it runs
        now (the remediation that brings it to intended), and recorded."""
        from dataclasses import replace

        path = self.plan.base_path or ""
        stored = self._stored_form(running)
        compared = self.run.context.compare(self.device,
                                            _Overlay(self.run.context.snapshot, path, stored))
        trees, features = scope_trees(compared, self.plan.scope)
        self.plan = replace(self.plan, base=stored, trees=trees, features=features)
        _record_plan(self.run.record, self.plan, event="replan")
        self.replanned = masked(self.plan.text, self.platform.name)
        self.run.event(self.plan.device, f"re-planned: {len(self.plan.commands)} commands "
                       "(the device changed since the plan shown)")

    def _open(self) -> Session:
        self.run.event(self.plan.device, "connecting")
        return open_session(self.run.transport, self.target)

    def _running(self, session: Session, stage: str) -> str:
        """The running configuration, cleaned but not masked (rollback needs the values)."""
        self.run.event(self.plan.device, f"{stage}: `{self.platform.running_config}`")
        text = session.send(self.platform.running_config)
        _check_config(self.platform, text)
        return clean_config(text, self.platform.name, scrub=False)

    def _fresh_running(self, stage: str, session: Session | None = None) -> str:
        session = session or self._open()
        try:
            return self._running(session, stage)
        finally:
            session.close()

    def _stored_form(self, text: str) -> str:
        return clean_config(text, self.platform.name, scrub=self.run.options.scrub)

    def _changed_since_plan(self, now: str) -> str | None:
        """What differs between the device now and the plan's base, or None."""
        base = self.plan.base or ""
        current = self._stored_form(now)
        if current == base:
            return None
        before, after = Counter(text_lines(base)), Counter(text_lines(current))
        platform = self.platform.name
        added = [f"+{masked(line.strip(), platform)}" for line in after - before]
        removed = [f"-{masked(line.strip(), platform)}" for line in before - after]
        if not added and not removed:
            return f"the device's configuration is in another order than {self.plan.base_path}"
        sample = ", ".join(repr(x) for x in (added + removed)[:3])
        return (f"the device changed since {self.plan.base_path} was pulled "
                f"(+{len(added)} -{len(removed)} lines: {sample})")

    def _enter(self) -> str:
        return self.platform.enter_config.format(**self.names)

    def _exec(self, session: Session, commands: Sequence[str], stage: str,
              ) -> tuple[str, str] | None:
        """Run safety-net commands in exec mode; the first refused one and its error."""
        for template in commands:
            command = template.format(**self.names)
            answer = session.send(command)
            self.run.record.write("safety-net", device=self.plan.device, stage=stage,
                                  command=command, response=masked(answer, self.platform.name))
            error = rejection(self.platform, answer)
            if error:
                return command, error
        return None

    def _collect(self, into: list[ConfigResponse], *,
                 interruptible: bool = False) -> Callable[[ConfigResponse], None]:
        """Keeps each response; a change (not a rollback) stops here after Ctrl-C."""
        def on_response(response: ConfigResponse) -> None:
            into.append(response)
            self.run.event(self.plan.device, f"sent {len(into)}")
            if interruptible and self.run.stop.is_set() and not response.error:
                raise _Interrupted

        return on_response

    def _record_apply(self, responses: Sequence[ConfigResponse], stage: str = "apply") -> None:
        platform = self.platform.name
        self.run.record.write(stage, device=self.plan.device, responses=[
            {"line": masked(r.line, platform), "response": masked(r.response, platform),
             "error": masked(r.error, platform) if r.error else None} for r in responses])

    def _remaining(self, running: str) -> list[str]:
        """The commands still to send for the deployed scope, were the device's
        configuration `running`."""
        path = self.plan.base_path
        if path is None:
            return ["(no running config path)"]
        overlay = _Overlay(self.run.context.snapshot, path, self._stored_form(running))
        compared = self.run.context.compare(self.device, overlay)
        trees, _ = scope_trees(compared, self.plan.scope)
        return [masked(c.text, self.platform.name)
                for tree in trees for c in tree.commands if c.held is None]

    def _store(self, text: str) -> tuple[str, ...]:
        stored = self._stored_form(text)
        path = self.run.context.running.write_path(self.plan.device, self.run.root)
        if read_text(path) == stored:
            return ()
        write_atomic(path, stored)
        try:
            return (path.resolve().relative_to(self.run.root.resolve()).as_posix(),)
        except ValueError:
            return (str(path),)

    # --- failures --------------------------------------------------------------------------

    def _undo(self, session: Session, before: str, applied_lines: int,
              failure: DeviceDeployment) -> DeviceDeployment:
        """Roll back, verify the device is as `before`, and say so in the failure."""
        try:
            return self._roll_back(session, before, applied_lines, failure)
        except DeviceError as exc:
            return self._unrecovered(failure, f"the rollback could not be completed "
                                              f"({exc.code} {exc.reason})")

    def _roll_back(self, session: Session, before: str, applied_lines: int,
                   failure: DeviceDeployment) -> DeviceDeployment:
        name = self.plan.device
        net = self.platform.safety_net
        self.run.event(name, "rolling back")
        if net.rollback:
            problem = self._exec(session, net.rollback, "rollback")
            how = "the platform's rollback"
            if problem is not None:
                return self._unrecovered(failure, f"{how} was refused: {problem[1]}")
        else:
            applied = applied_count(self.plan.sendable, applied_lines)
            undo = rollback_for(before, self.platform.name, self.plan.trees, applied)
            lines = [c.text for c in undo.commands if c.held is None]
            responses: list[ConfigResponse] = []
            try:
                session.configure(lines, stop_on_error=False, enter=self._enter(),
                                  on_response=self._collect(responses))
            finally:
                self.sent += len(responses)
                self._record_apply(responses, "rollback")
            how = f"the computed rollback ({_lines(len(lines))})"
        now = self._fresh_running("verify rollback")
        back = self._stored_form(now) == self._stored_form(before)
        self.run.record.write("rollback-verify", device=name, ok=back)
        if not back:
            return self._unrecovered(failure, f"{how} did not restore it")
        written = self._store(now)
        failure.reason += f"; rolled back with {how}, verified: the device is as before"
        failure.sent, failure.written = self.sent, written
        return failure

    def _unrecovered(self, failure: DeviceDeployment, why: str) -> DeviceDeployment:
        failure.result = "partial"
        failure.reason += (f"; {why}: the device may be partially configured "
                           f"(`unet pull {self.plan.device}` shows its true state)")
        failure.code = "D223"
        failure.sent = self.sent
        return failure

    def _dropped(self, exc: DeviceError, lines: Sequence[str],
                 responses: Sequence[ConfigResponse]) -> DeviceDeployment:
        done = len(responses)
        line = lines[done] if done < len(lines) else None
        shown = masked(line, self.platform.name) if line else None
        at = f" at `{shown}`" if shown else ""
        return DeviceDeployment(
            self.plan.device, "partial",
            f"{exc.code} {exc.reason} after {done} of {len(lines)} lines{at}: the device "
            f"may be partially configured (`unet pull {self.plan.device}` shows its true "
            "state; the next deploy's pre-flight refuses until it is pulled)",
            "D222", sent=self.sent + done, line=shown)
