"""The served state: one immutable view of the repository, swapped whole when it changes.

A `State` is built from the index (resolved inventory and check outcome), with its
records ready to serve. Rendered and diffed configs are made on first request and
cached in the state, so they can never outlive the data they came from. `Served`
holds the current state; a background thread checks the repository's state key
every few seconds and, when it changed, builds a new state and swaps one reference.
A request keeps the state it started with, so nothing half-built is ever served.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unet.serve._security import IDENTIFIERS, BodyMask, redact, redact_strings, redact_text

if TYPE_CHECKING:
    from unet.config import SecretValues
    from unet.index import CheckOutcome
    from unet.inventory import Inventory, ResolvedDevice
    from unet.source import Snapshot
    from unet.templates import DeviceCompliance, TemplateSet

__all__ = ["NotFound", "Served", "State", "build_state"]

Record = dict[str, Any]


class NotFound(LookupError):
    """No such object in this state (404)."""


def _source(path: str, line: int) -> Record:
    return {"path": path, "line": line}


def _location_of(location: Any) -> Record:
    return _source(location.path, location.line)


@dataclass(slots=True)
class State:
    key: str  # changes whenever anything served could change
    commit: str | None
    dirty: bool
    snapshot: Snapshot
    inventory: Inventory
    outcome: CheckOutcome
    records: dict[str, list[Record]]  # endpoint -> records, sorted
    fields: dict[str, frozenset[str]]  # endpoint -> filterable fields
    index: dict[str, dict[str, Record]]  # endpoint -> name -> record
    build_seconds: float = 0.0
    built_at: float = field(default_factory=time.time)
    _cache: dict[tuple[str, str], Any] = field(default_factory=dict)
    # Encoded answers by ETag and Host: a state never changes, so neither do they.
    responses: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    # Secret tokens per config or template (blob id, dialect), reused by the next state.
    tokens: dict[str, frozenset[str]] = field(default_factory=dict)
    previous_tokens: dict[str, frozenset[str]] = field(default_factory=dict)
    mask: BodyMask | None = None  # set by build_state: every response goes through it
    secret_fields: frozenset[str] = frozenset()  # data fields templates use as secrets

    def record(self, kind: str, name: str) -> Record:
        found = self.index[kind].get(name)
        if found is None:
            from unet.inventory import did_you_mean

            hint = did_you_mean(name, self.index[kind])
            raise NotFound(f"no {kind[:-1]} named '{name}'{hint}; GET /api/v1/{kind} lists them")
        return found

    def device(self, name: str) -> ResolvedDevice:
        device = self.inventory.devices.get(name)
        if device is None:
            from unet.inventory import unknown_device

            raise NotFound(unknown_device(self.inventory, name).message)
        return device

    def cached(self, kind: str, name: str, make: Callable[[], Any]) -> Any:
        """One result per (kind, name) per state; the lock also keeps the snapshot's reader
        (a git process for --rev) to one thread."""
        with self._lock:
            if (kind, name) not in self._cache:
                self._cache[(kind, name)] = make()
            return self._cache[(kind, name)]

    def read(self, path: str) -> str:
        """A file's text, only as the snapshot allows it (a refused symlink is a 404)."""
        from unet.source import SnapshotReadError

        try:
            with self._lock:  # a --rev snapshot reads through one git process
                data = self.snapshot.read(path)
            return data.decode("utf-8", errors="replace")
        except SnapshotReadError as exc:
            raise NotFound(f"cannot serve {path}: {exc.reason}") from None

    # ---- secrets ----------------------------------------------------------------------

    def known_secrets(self) -> SecretValues:
        """Every secret value this state can show: values under secret-looking keys of every
        data file, and the secret tokens of every running config and template. Each
        response is masked with them on its way out (`App`), whatever produced it."""
        from unet.config import SecretValues, secret_values
        from unet.inventory import RunningConfigs
        from unet.templates import TEMPLATE_DIR

        inventory, keys = self.inventory, self.secret_fields
        values = secret_values(inventory.settings, keys=keys)
        if inventory.defaults is not None:
            values |= secret_values(inventory.defaults.data, keys=keys)
        # every resolved value comes from one of these files, under the same key
        for entity in (*inventory.locations.values(), *inventory.groups.values(),
                       *inventory.device_files.values()):
            values |= secret_values(entity.data, keys=keys)
        for link in inventory.links:
            values |= secret_values(link.data, keys=keys)
        running = RunningConfigs(self.snapshot)
        for name, device in inventory.devices.items():
            path = running.path(name)
            if path is not None:
                values |= self._tokens(path, device.data.get("platform"))
        for path in self.snapshot.files(TEMPLATE_DIR):
            if path.endswith(".j2"):
                values |= self._tokens(path, None)
        return SecretValues(values)

    def _tokens(self, path: str, dialect: Any) -> frozenset[str]:
        from unet.config import secret_tokens
        from unet.source import SnapshotReadError

        try:
            with self._lock:  # a --rev snapshot reads through one git process
                key = f"{self.snapshot.blob_id(path)}\0{dialect}"
        except SnapshotReadError:
            return frozenset()
        found = self.tokens.get(key) or self.previous_tokens.get(key)
        if found is None:
            try:
                text = self.read(path)
            except NotFound:  # refused by the snapshot (a symlink): never served either
                return frozenset()
            found = frozenset(secret_tokens(text, dialect if isinstance(dialect, str) else None))
        self.tokens[key] = found
        return found

    def device_secrets(self, name: str) -> SecretValues:
        """The secrets only this device's rendered config holds (its running config's are
        in `secrets()` already): a value a template put where a secret goes."""
        def make() -> SecretValues:
            from unet.config import SecretValues, secret_tokens

            result = self._rendered(name)
            return SecretValues(secret_tokens(result.text, result.platform))

        return self.cached("device-secrets", name, make)  # type: ignore[no-any-return]

    # ---- configs, made on first use --------------------------------------------------

    def templates(self) -> TemplateSet:
        from unet.templates import load_templates

        return self.cached("templates", "", lambda: load_templates(self.snapshot))  # type: ignore[no-any-return]

    def intended(self, name: str) -> Record:
        device = self.device(name)
        return self.cached("intended", name, lambda: self._render(device))  # type: ignore[no-any-return]

    def _rendered(self, name: str) -> Any:
        from unet.templates import render_intended

        device = self.device(name)
        return self.cached("rendered", name, lambda: render_intended(
            device, self.snapshot, self.templates(), outcome=self._outcome(device)))

    def running(self, name: str) -> Record:
        device = self.device(name)
        return self.cached("running", name, lambda: self._running(device))  # type: ignore[no-any-return]

    def diff(self, name: str) -> Record:
        device = self.device(name)

        def make() -> Record:
            from unet.index import pending_rules

            pending = self.cached("pending", "", lambda: pending_rules(self.outcome))
            record = _diff_record(self._compare(device), device.data.get("platform"), pending)
            masked: Record = redact_strings(record, self.device_secrets(name), lines=False,
                                            keep=IDENTIFIERS)
            return masked

        return self.cached("diff", name, make)  # type: ignore[no-any-return]

    def compliance(self) -> dict[str, tuple[int, int]]:
        """feature -> (devices compliant, devices compared), for /metrics."""
        def make() -> dict[str, tuple[int, int]]:
            counts: dict[str, list[int]] = {}
            for name in sorted(self.inventory.devices):
                for feature in self.diff(name)["features"]:
                    entry = counts.setdefault(feature["feature"], [0, 0])
                    entry[0] += feature["status"] == "compliant"
                    entry[1] += 1
            return {k: (v[0], v[1]) for k, v in sorted(counts.items())}

        return self.cached("compliance", "", make)  # type: ignore[no-any-return]

    def _outcome(self, device: ResolvedDevice) -> Any:
        """The device after policy SET/APPLY, as `unet render` and `unet diff` see it."""
        policies = self.cached("policies", "", self._changing_rules)
        if not policies:
            return None
        from unet.inventory import RunningConfigs
        from unet.policy import config_source, evaluate

        configs = config_source(RunningConfigs(self.snapshot))
        result = evaluate(policies, [device], self.inventory, configs=configs)
        found = result.outcomes.get(device.name)
        return (found.data, found.applied) if found is not None else None

    def _changing_rules(self) -> list[Any]:
        from unet.policy import POLICY_DIR, load_policies

        if not self.snapshot.files(POLICY_DIR):
            return []
        policies = load_policies(self.snapshot)
        if not policies.ok:
            return []  # as the CLI does: broken policies apply no SET/APPLY
        return [r for r in policies.rules
                if any(not hasattr(a, "condition") for a in r.rule.actions)]

    def _render(self, device: ResolvedDevice) -> Record:
        result = self._rendered(device.name)
        record = {"device": device.name, "platform": result.platform,
                  "templates": [t.name for t in result.templates],
                  "config": redact_text(result.text, result.platform),
                  "diagnostics": [_diagnostic(d) for d in result.diagnostics],
                  "_source": _location_of(device.source)}
        masked: Record = redact_strings(record, self.device_secrets(device.name), lines=False,
                                        keep=IDENTIFIERS)
        return masked

    def _running(self, device: ResolvedDevice) -> Record:
        from unet.inventory import RunningConfigs

        path = RunningConfigs(self.snapshot).path(device.name)
        if path is None:
            raise NotFound(f"device '{device.name}' has no running config "
                           f"(expected configs/{device.name}.cfg)")
        text = self.read(path)
        platform = device.data.get("platform")
        return {"device": device.name, "platform": platform,
                "config": redact_text(text, platform), "_source": _source(path, 1)}

    def _compare(self, device: ResolvedDevice) -> DeviceCompliance:
        from unet.inventory import RunningConfigs
        from unet.templates import RemediationOptions, compare_device, compile_normalizers

        running = self.cached("running-configs", "", lambda: RunningConfigs(self.snapshot))
        normalizers = self.cached("normalizers", "",
                                  lambda: compile_normalizers(self.inventory.settings))
        options = RemediationOptions.from_settings(self.inventory.settings, enabled=True)
        return compare_device(device, self.snapshot, self.templates(), running,
                              normalizers=normalizers, outcome=self._outcome(device),
                              options=options)


def _diagnostic(d: Any) -> Record:
    loc = d.location
    return {"path": loc.path, "line": loc.line, "col": loc.col, "code": d.code,
            "severity": d.severity.label, "message": d.message}


def _diff_record(result: DeviceCompliance, platform: Any,
                 pending: dict[str, list[str]]) -> Record:
    """The device's diff as `unet diff --format json` has it, pending deploys included."""
    from unet.report.compliance import running_json
    from unet.templates import ComplianceRun

    document = running_json(ComplianceRun([result], list(result.diagnostics)), pending)
    record = redact_strings(document["devices"][0], dialect=platform)
    record["diagnostics"] = document["diagnostics"]
    return record  # type: ignore[no-any-return]


# ---- building a state ------------------------------------------------------------------

def _device_record(device: ResolvedDevice, keys: frozenset[str]) -> Record:
    data = redact(device.data, keys)
    return {"name": device.name, **{k: v for k, v in data.items() if k != "name"},
            "url": f"/api/v1/devices/{device.name}", "_source": _location_of(device.source)}


def _entity_record(entity: Any, kind: str, keys: frozenset[str]) -> Record:
    data = redact(entity.data, keys)
    return {"name": entity.name, **{k: v for k, v in data.items() if k != "name"},
            "url": f"/api/v1/{kind}/{entity.name}",
            "_source": _location_of(entity.location("name"))}


def _link_record(link: Any, keys: frozenset[str]) -> Record:
    (a, ai), (b, bi) = link.endpoints
    data = redact({k: v for k, v in link.data.items() if k != "endpoints"}, keys)
    return {"endpoints": [f"{a}:{ai}", f"{b}:{bi}"], "devices": [a, b], **data,
            "_source": _location_of(link.location("endpoints"))}


def _finding_record(finding: Any) -> Record:
    from unet.report.json import finding_to_dict

    record = finding_to_dict(finding)
    record["message"] = redact_text(record["message"])  # messages quote config lines
    record["id"] = record["fingerprint"]
    record["_source"] = _location_of(finding.location)
    return record


def _rule_record(rule: Any, findings: dict[str, int]) -> Record:
    return {"id": rule.id, "name": rule.id, "severity": rule.severity.label,
            "title": rule.title, "findings": findings.get(rule.id, 0),
            "url": f"/api/v1/rules/{rule.id}", "_source": _location_of(rule.location)}


def _records(snapshot: Snapshot, inventory: Inventory, outcome: CheckOutcome,
             keys: frozenset[str]) -> dict[str, list[Record]]:
    from unet.policy import policy_files
    from unet.templates import TEMPLATE_DIR

    per_rule: dict[str, int] = {}
    for f in outcome.findings:
        if f.waived is None:
            per_rule[f.rule] = per_rule.get(f.rule, 0) + 1
    rules = [_rule_record(r, per_rule) for r in sorted(outcome.rules, key=lambda r: r.id)]
    by_file: dict[str, list[str]] = {}
    for rule in rules:
        by_file.setdefault(rule["_source"]["path"], []).append(rule["id"])
    return {
        "devices": [_device_record(inventory.devices[n], keys) for n in sorted(inventory.devices)],
        "locations": [_entity_record(inventory.locations[n], "locations", keys)
                      for n in sorted(inventory.locations)],
        "groups": [_entity_record(inventory.groups[n], "groups", keys)
                   for n in sorted(inventory.groups)],
        "links": [_link_record(link, keys) for link in inventory.links],
        "templates": [{"name": p.removeprefix(TEMPLATE_DIR), "path": p,
                       "url": f"/api/v1/templates/{p.removeprefix(TEMPLATE_DIR)}",
                       "_source": _source(p, 1)}
                      for p in snapshot.files(TEMPLATE_DIR) if p.endswith(".j2")],
        "policies": [{"name": p, "path": p, "rules": by_file.get(p, []), "_source": _source(p, 1)}
                     for p in policy_files(snapshot)],
        "rules": rules,
        "findings": [_finding_record(f) for f in outcome.findings],
        "diagnostics": [{**_diagnostic(d), "_source": _location_of(d.location)}
                        for d in outcome.diagnostics],
    }


def _template_secret_fields(snapshot: Snapshot) -> frozenset[str]:
    """Data fields some template renders where a secret goes: secrets, whatever their
    name (`snmp-server community {{ vars.snmp_ro }}` makes `snmp_ro` one)."""
    from unet.config import secret_fields
    from unet.source import SnapshotReadError
    from unet.templates import TEMPLATE_DIR

    found: set[str] = set()
    for path in snapshot.files(TEMPLATE_DIR):
        if path.endswith(".j2"):
            try:
                found |= secret_fields(snapshot.read(path).decode("utf-8", errors="replace"))
            except SnapshotReadError:
                continue
    return frozenset(found - {"name"})  # a device's name is its identity, never masked


def _fields(records: dict[str, list[Record]]) -> dict[str, frozenset[str]]:
    from unet.inventory import DEVICE_FIELDS

    found = {kind: frozenset(k for r in rows for k in r) for kind, rows in records.items()}
    found["devices"] = found["devices"] | frozenset(DEVICE_FIELDS) | {"name", "url", "_source"}
    return found


def build_state(root: Path, snapshot: Snapshot, *, key: str, commit: str | None,
                dirty: bool, previous: State | None = None) -> State:
    from unet.index import CheckOptions, indexed_check, indexed_inventory, intended_configs

    started = time.perf_counter()
    inventory = indexed_inventory(root, snapshot)
    # jobs=1: forking worker processes from a threaded server is unsafe
    outcome = indexed_check(root, snapshot, CheckOptions(jobs=1), intended=intended_configs)
    keys = _template_secret_fields(snapshot)
    records = _records(snapshot, inventory, outcome, keys)
    index = {kind: {r["name"]: r for r in rows if "name" in r} for kind, rows in records.items()}
    state = State(key, commit, dirty, snapshot, inventory, outcome, records, _fields(records),
                  index, previous_tokens=previous.tokens if previous is not None else {},
                  secret_fields=keys)
    # Built before the state is served, so that no request waits for it.
    state.mask = BodyMask(state.known_secrets())
    state.build_seconds = time.perf_counter() - started
    return state


# ---- the current state and its refresh ---------------------------------------------------

def _head(root: Path) -> str | None:
    from unet.core import UnetError
    from unet.source import resolve_revision_range

    try:
        return resolve_revision_range(root, "HEAD")[0]
    except (UnetError, ValueError, OSError):
        return None  # not in git, or no commit yet


def _content_key(snapshot: Snapshot) -> str:
    state_key = getattr(snapshot, "state_key", None)
    if state_key is not None:
        return str(state_key())
    digest = hashlib.sha256()  # outside git: every file's content decides
    for path in snapshot.files():
        digest.update(f"{path}\0{snapshot.blob_id(path)}\n".encode())
    return digest.hexdigest()


class Served:
    """The current State of a repository (or of one fixed revision with `rev`)."""

    def __init__(self, root: Path, *, rev: str | None = None, refresh: float = 2.0) -> None:
        self.root = root.resolve()
        self.rev = rev
        self.refresh_seconds = refresh
        self.refresh_errors = 0
        self.refreshes = 0
        self._state: State | None = None
        self._build_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def peek(self) -> State | None:
        """The current state if one was built, without building one."""
        return self._state

    def current(self) -> State:
        state = self._state
        if state is None:
            self.refresh()
            state = self._state
            assert state is not None
        return state

    def _observe(self) -> tuple[Snapshot, str, str | None, bool]:
        from unet.source import GitSnapshot, worktree_snapshot

        if self.rev is not None:
            snapshot: Snapshot = GitSnapshot(self.root, self.rev)
            commit = snapshot.commit  # type: ignore[attr-defined]
            return snapshot, commit, commit, False
        snapshot = worktree_snapshot(self.root)
        commit = _head(self.root)
        dirty = bool(getattr(snapshot, "dirty", False))
        key = hashlib.sha256(f"{commit}\0{_content_key(snapshot)}".encode()).hexdigest()
        return snapshot, key, commit, dirty

    def refresh(self) -> bool:
        """Build a new state if the repository changed; True when the state was swapped."""
        with self._build_lock:
            if self._state is not None and self.rev is not None:
                return False  # a fixed revision never changes
            snapshot, key, commit, dirty = self._observe()
            if self._state is not None and self._state.key == key:
                return False
            self._state = build_state(self.root, snapshot, key=key, commit=commit, dirty=dirty,
                                      previous=self._state)
            self.refreshes += 1
            return True

    def start(self) -> None:
        """Check for changes every `refresh` seconds in a daemon thread (not with --rev)."""
        if self.rev is not None or self.refresh_seconds <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="unet-refresh", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.refresh_seconds):
            try:
                self.refresh()
            except Exception as exc:  # keep serving the last good state
                self.refresh_errors += 1
                print(f"unet serve: refresh failed, still serving the previous state: "
                      f"{type(exc).__name__}: {exc}", file=sys.stderr)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
