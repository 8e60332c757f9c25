"""A check that the index could not answer whole: parse what is new, evaluate what changed."""

from __future__ import annotations

import hashlib
import json
import marshal
from collections.abc import Sequence
from datetime import date
from typing import Any

from unet import __version__
from unet.core import Diagnostic, Finding
from unet.index._db import Index
from unet.index._deps import Dependencies, affected_devices, shard_of
from unet.index._documents import (
    IndexedDocuments,
    decode_diagnostic,
    encode_diagnostic,
    readable_blob,
)
from unet.index._gate import Gate, Renders, collapse, not_evaluated
from unet.index._options import CheckOptions, IntendedFactory
from unet.index._outcome import CheckOutcome, RuleInfo, decode_findings, encode_findings
from unet.index._parallel import available_jobs, run_parallel
from unet.inventory import (
    SETTINGS_FILE,
    Inventory,
    ResolvedDevice,
    RunningConfigs,
    data_files,
    load_inventory,
    parse_data_file,
)
from unet.policy import (
    Context,
    LazyLinks,
    PolicySet,
    apply_waivers,
    config_source,
    context_for,
    evaluate,
    load_policies,
    load_waivers,
    select,
    waiver_device_names,
)
from unet.source import Snapshot

__all__ = ["build"]


def build(index: Index | None, snapshot: Snapshot, options: CheckOptions,
          intended: IntendedFactory | None) -> CheckOutcome:
    documents = IndexedDocuments(index)
    documents.prefetch(snapshot)
    jobs = available_jobs(options.jobs)
    if jobs > 1:
        _parse_in_parallel(snapshot, documents, jobs)
    inventory = load_inventory(snapshot, cache=documents)
    documents.flush()
    outcome = _evaluate(index, snapshot, inventory, options, jobs, intended)
    outcome.stats.update(documents_parsed=documents.parsed, documents_reused=documents.reused)
    return outcome


def _parse_in_parallel(snapshot: Snapshot, documents: IndexedDocuments, jobs: int) -> None:
    """Parse the files the index does not know, in `jobs` processes."""
    todo = [(path, kind, blob) for path, kind in data_files(snapshot)
            if (blob := readable_blob(snapshot, path)) and not documents.known(blob, kind)]

    def parse(chunk: Sequence[tuple[str, str, str]]) -> bytes:
        results = []
        for path, kind, blob in chunk:
            document, problems = parse_data_file(snapshot, path, kind)
            # The id of what this worker read, which is what the entry may be kept as.
            results.append((blob, snapshot.read_id(path), kind,
                            documents.encode(path, document, problems)))
        return marshal.dumps(results)

    for body in run_parallel(parse, todo, jobs):
        for blob, read, kind, entry in marshal.loads(body):
            documents.accept(blob, read, kind, entry)


def _evaluate(index: Index | None, snapshot: Snapshot, inventory: Inventory,
              options: CheckOptions, jobs: int, intended: IntendedFactory | None,
              ) -> CheckOutcome:
    policies = load_policies(snapshot)
    outcome = CheckOutcome(rules=[RuleInfo(r.id, r.rule.severity, r.rule.title or
                                           r.rule.when_text, r.rule.at) for r in policies.rules])
    if not policies.ok:
        outcome.diagnostics = sorted([*inventory.diagnostics, *policies.diagnostics],
                                     key=lambda d: d.sort_key)
        return outcome
    running = RunningConfigs(snapshot)
    # Intended configurations are always rendered here (whatever `intended` says), since
    # their template errors are part of every check's result.
    renders = Renders(snapshot)
    source = config_source(running, renders.intended)
    devices = _selected(snapshot, inventory, options, source, policies.reaches_other_devices)
    outcome.devices = [d.name for d in devices]
    dependencies = Dependencies(inventory, snapshot)
    keys = _device_keys(dependencies, devices, policies.reaches_other_devices)
    stored = _stored_results(index, keys)
    todo = [d for d in devices if d.name not in stored]
    links = LazyLinks(inventory)
    gate = Gate(policies.rules, renders, running, inventory, links)
    fresh, after = _run_devices(policies, todo, inventory, source, jobs, links, dependencies,
                                running, gate)
    # A result is kept only under the key of what its evaluation actually read.
    _store_results(index, {n: k for n, k in keys.items() if after.get(n, k) == k}, fresh)
    outcome.complete = all(after.get(n, k) == k for n, k in keys.items())
    results = {**stored, **fresh}
    findings: list[Finding] = []
    problems: list[Diagnostic] = []
    for device in devices:
        device_findings, evaluated, device_problems = results[device.name]
        findings += device_findings
        outcome.evaluated[device.name] = evaluated
        if skipped := not_evaluated(device_problems):
            outcome.not_evaluated[device.name] = skipped
        problems += device_problems
    findings, notes = _waive(snapshot, inventory, policies, source, findings, options, links)
    outcome.findings = sorted(findings, key=lambda f: f.sort_key)
    if options.shard is not None:  # kept for `unet report merge` (used in no shard: W103)
        outcome.unused_waivers = [n for n in notes if n.code == "W103"]
    notes = [n for n in notes if n.code != "W103" or not _partial(options)]
    # The policies' compile-time warnings and notes too: they compiled, but may not mean
    # what they seem.
    unique = {(d.location, d.code, d.message): d for d in [*inventory.diagnostics,
                                                           *policies.diagnostics, *problems,
                                                           *dependencies.config_problems,
                                                           *notes]}
    outcome.diagnostics = collapse(list(unique.values()))
    outcome.stats = {"warm": 0, "devices_evaluated": len(todo),
                     "devices_reused": len(devices) - len(todo)}
    return outcome


def _selected(snapshot: Snapshot, inventory: Inventory, options: CheckOptions,
              source: Any, fleet_wide: bool = False) -> list[ResolvedDevice]:
    names = list(options.names)
    if options.seeds:
        affected = affected_devices(Dependencies(inventory, snapshot), options.seeds)
        if fleet_wide and affected:  # rules read other devices: any change can matter anywhere
            affected = set(inventory.devices)
        names = sorted(affected | set(names)) if names or affected else []
        if not names:
            return []
    devices = select(inventory, names=names, where=options.where, configs=source)
    if options.shard is not None:
        part, count = options.shard
        devices = [d for d in devices if shard_of(d.name, count) == part]
    return sorted(devices, key=lambda d: d.name)


def _device_keys(dependencies: Dependencies, devices: Sequence[ResolvedDevice],
                 fleet_wide: bool = False) -> dict[str, str]:
    shared = _shared_key(dependencies.snapshot)
    if fleet_wide:  # rules read other devices' data: every device's data counts for each
        shared = _fleet_key(dependencies.inventory, shared)
    return {d.name: dependencies.key(d, shared) for d in devices}


def _fleet_key(inventory: Inventory, shared: str) -> str:
    """`shared` plus every device's resolved data (not its file: a comment changes nothing)."""
    digest = hashlib.sha256(shared.encode())
    for name in sorted(inventory.devices):
        data = json.dumps(inventory.devices[name].data, sort_keys=True, default=str)
        digest.update(f"\0{name}\0{data}".encode())
    return digest.hexdigest()


def _shared_key(snapshot: Snapshot) -> str:
    """What every device's result depends on: policies, templates, settings, unet itself."""
    digest = hashlib.sha256(__version__.encode())
    for path in snapshot.files():
        if path.startswith(("policies/", "templates/")) or path == SETTINGS_FILE:
            digest.update(f"\0{path}\0{snapshot.blob_id(path)}".encode())
    return digest.hexdigest()


DeviceResult = tuple[list[Finding], list[str], list[Diagnostic]]


def _stored_results(index: Index | None, keys: dict[str, str]) -> dict[str, DeviceResult]:
    if index is None:
        return {}
    found = {}
    for (device, inputs), body in index.rows("device_results", "device", keys):
        if keys.get(device) != inputs:
            continue
        try:
            found[device] = _decode_result(body)
        except (ValueError, EOFError, TypeError, IndexError, KeyError) as exc:
            index.mark_damaged(f"a stored device result cannot be decoded: {exc}")
            return {}
    return found


def _store_results(index: Index | None, keys: dict[str, str],
                   results: dict[str, DeviceResult]) -> None:
    if index is None or not results:
        return
    index.put("device_results", [(name, keys[name], _encode_result(result))
                                 for name, result in results.items() if name in keys])


def _decode_result(body: bytes) -> DeviceResult:
    findings, evaluated, problems = marshal.loads(body)
    return (decode_findings(findings), list(evaluated),
            [decode_diagnostic(p, "") for p in problems])


def _encode_result(result: DeviceResult) -> bytes:
    findings, evaluated, problems = result
    return marshal.dumps((encode_findings(findings), evaluated,
                          [encode_diagnostic(p, "") for p in problems]))


def _run_devices(policies: PolicySet, devices: list[ResolvedDevice], inventory: Inventory,
                 source: Any, jobs: int, links: Any, dependencies: Dependencies,
                 running: RunningConfigs, gate: Gate,
                 ) -> tuple[dict[str, DeviceResult], dict[str, str]]:
    """Evaluate `devices` (in `jobs` processes): each one's findings, rules and problems,
    and the key of its inputs as they were when it was evaluated (a file found to differ
    from the id git gave changes it)."""
    by_name = {d.name: d for d in devices}

    def work(names: Sequence[str]) -> bytes:
        chunk = [by_name[n] for n in names]
        per_device: dict[str, DeviceResult] = {}
        for device in chunk:
            # One device at a time, so its running config is still parsed (RunningConfigs
            # keeps the last few) when the gate looks at it again.
            result = evaluate(policies.rules, [device], inventory, configs=source, links=links)
            mine: DeviceResult = ([*result.findings], result.evaluated.get(device.name, []),
                                  [*running.problems(device.name),
                                   *result.device_diagnostics.get(device.name, [])])
            per_device[device.name] = gate.apply(device, mine)
        after = _device_keys(dependencies, chunk, policies.reaches_other_devices)
        return marshal.dumps({n: (_encode_result(r), after[n]) for n, r in per_device.items()})

    results: dict[str, DeviceResult] = {}
    keys: dict[str, str] = {}
    for body in run_parallel(work, [d.name for d in devices], jobs):
        for name, (encoded, key) in marshal.loads(body).items():
            results[name] = _decode_result(encoded)
            keys[name] = key
    return results, keys


def _waive(snapshot: Snapshot, inventory: Inventory, policies: PolicySet, source: Any,
           findings: list[Finding], options: CheckOptions, links: Any,
           ) -> tuple[list[Finding], list[Diagnostic]]:
    waivers, problems = load_waivers(snapshot)

    def context(name: str) -> Context | None:
        device = inventory.devices.get(name)
        if device is None:
            return None
        return context_for(device, inventory, configs=source, links=links)

    waived, notes = apply_waivers(findings, waivers, rules=[r.id for r in policies.rules],
                                  context=context, today=options.today or date.today(),
                                  devices=waiver_device_names(inventory, snapshot))
    return waived, [*problems, *notes]


def _partial(options: CheckOptions) -> bool:
    """Only part of the fleet is checked: "suppressed nothing" would be a guess."""
    return bool(options.shard is not None or options.seeds or options.names or options.where)
