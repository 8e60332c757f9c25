"""Intended against running, per device and feature: render → normalise → slice → diff.

    run = compare_devices(snapshot, inventory, remediation=True)
    for device in run.devices:
        device.status, [(f.name, f.status) for f in device.features]
    run.rollup()          # devices compliant x/y, per-feature compliant/total

A problem with one device (a template error, no running config, a config in another dialect)
is a diagnostic on that device; every other device is still compared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import regex

from unet.config import (
    ConfigDiff,
    ConfigTextError,
    ConfigTree,
    ProtectRule,
    Remediation,
    decode_config,
    detect_dialect,
    detect_profile,
    diff,
    parse,
    protect_rules,
    remediate,
)
from unet.core import Diagnostic, Location, Severity, has_errors, record
from unet.inventory import SETTINGS_FILE, Inventory, ResolvedDevice, RunningConfigs
from unet.patterns import MULTILINE, Pattern, PatternError, PatternTimeout, compile_pattern
from unet.source import Snapshot, SnapshotReadError
from unet.templates._claims import claimed, lines_of, unclaimed
from unet.templates._render import (
    HeaderTimeout,
    RenderResult,
    TemplateSet,
    feature_slices,
    load_templates,
    render_device,
)
from unet.templates._select import Applied

__all__ = [
    "FEATURE_STATUSES",
    "UNCLAIMED",
    "ComplianceRun",
    "DeviceCompliance",
    "FeatureResult",
    "Normalizer",
    "Outcomes",
    "RemediationOptions",
    "Rollup",
    "compare_device",
    "compare_devices",
    "compile_normalizers",
    "feature_status",
    "normalize",
    "render_intended",
]

FEATURE_STATUSES = ("compliant", "missing", "extra", "changed", "order-only")
UNCLAIMED = "(unclaimed)"  # the feature of the lines no template claims
MAX_CONFIG_BYTES = 32 * 1024 * 1024
# The dialect check reads the head of the file: enough to tell dialects apart, and the
# whole of a large config would cost more than the diff itself.
_DETECT_CHARS = 4096
# Platforms whose configs look alike to dialect detection (IOS-XE is detected as IOS).
_FAMILY = {"iosxe": "ios"}
# device -> (data after policy SET, templates added by APPLY)
Outcomes = Mapping[str, tuple[Mapping[str, Any], Sequence[Applied]]]


class Normalizer(NamedTuple):
    """A compiled `normalizers:` entry of unet.yaml."""

    pattern: Pattern
    replace: str
    platforms: frozenset[str] | None
    index: int  # type: ignore[assignment]  # the entry's position in unet.yaml, not tuple.index


def _compile_normalizer(pattern: str) -> Pattern:
    """The one place a normaliser is compiled (bounded like every user pattern). MULTILINE:
    a pattern is matched against one line at a time, so `^`/`$` anchor at each line (also
    in the whole-text pre-check)."""
    return compile_pattern(pattern, flags=MULTILINE)


def compile_normalizers(settings: Mapping[str, Any]) -> tuple[Normalizer, ...]:
    """The settings' normalisers (already validated by the inventory; bad ones are skipped)."""
    out = []
    for index, item in enumerate(settings.get("normalizers") or ()):
        try:
            pattern = _compile_normalizer(item["pattern"])
        except (PatternError, KeyError, TypeError):
            continue
        platforms = item.get("platforms")
        out.append(Normalizer(pattern, item.get("replace") or "",
                              frozenset(platforms) if platforms else None, index))
    return tuple(out)


def normalize(text: str, normalizers: Iterable[Normalizer], platform: str | None, *,
              changed: set[str] | None = None,
              keep_lines: bool = False) -> tuple[str, list[Diagnostic]]:
    """Apply each normaliser line by line; a line it leaves blank is dropped (left empty
    with `keep_lines`). Each line a normaliser rewrote (stripped) is added to `changed`:
    its text is unet's, not the device's, so remediation never sends it."""
    problems: list[Diagnostic] = []
    # A normaliser tidies a config; one that multiplies it (`.` → 200 characters) stops.
    budget = 2 * len(text) + _GROWTH
    for rule in normalizers:
        if rule.platforms is not None and platform not in rule.platforms:
            continue
        try:
            if not rule.pattern.search(text):  # the common case: one scan, no line loop
                continue
            text = _lines(text, rule, changed, keep_lines, budget)
        except _TooLarge:
            problems.append(Diagnostic(Location(SETTINGS_FILE), "U205", Severity.ERROR,
                                       f"normalizers[{rule.index}].replace: the normalised "
                                       f"configuration would be over {budget:,} characters "
                                       "(twice the configuration: does the pattern match "
                                       "almost every character?); it was not applied"))
        except (regex.error, IndexError) as exc:  # a bad group reference in `replace`
            problems.append(Diagnostic(Location(SETTINGS_FILE), "U205", Severity.ERROR,
                                       f"normalizers[{rule.index}].replace: {exc}"))
        except PatternTimeout as exc:  # the text is left as it was for this normaliser
            problems.append(Diagnostic(Location(SETTINGS_FILE), "T115", Severity.ERROR,
                                       f"normalizers[{rule.index}].pattern: {exc}"))
    return text, problems


_GROWTH = 1024 * 1024  # characters a normaliser may add beyond doubling a small config


class _TooLarge(Exception):
    """A normaliser's output went past its budget."""


def _lines(text: str, rule: Normalizer, changed: set[str] | None = None,
           keep_lines: bool = False, budget: int = MAX_CONFIG_BYTES) -> str:
    out = []
    produced = 0

    def expand(match: regex.Match[str]) -> str:
        # Counted as it is made: one line of `.` → 200 characters is gigabytes at once.
        nonlocal produced
        piece = match.expand(rule.replace)
        produced += len(piece)
        if produced > budget:
            raise _TooLarge
        return piece

    for line in text.split("\n"):  # lines as the parser counts them
        bare = line.rstrip("\r")
        produced += len(bare) + 1
        new = rule.pattern.sub(expand, bare)
        if changed is not None and new != bare and new.strip():
            changed.add(new.strip())
        if new.strip() or not line.strip() or keep_lines:
            out.append(new if new.strip() else "")
    return "\n".join(out)


@record
class FeatureResult:
    """One feature (template) of one device: its status and the diff behind it."""

    name: str
    status: str  # one of FEATURE_STATUSES
    diff: ConfigDiff = field(compare=False, repr=False)
    remediation: str = ""  # the commands, with risk marks and the summary as comments
    plan: Remediation | None = field(default=None, compare=False, repr=False)

    @property
    def compliant(self) -> bool:
        return self.status == "compliant"


def feature_status(result: ConfigDiff) -> str:
    """compliant; missing / extra (only lines absent from / only in running); order-only;
    changed (both, or an idempotent line with another value)."""
    if not result:
        return "compliant"
    counts = result.counts()
    if counts["replaced"] or (counts["missing"] and counts["extra"]):
        return "changed"
    if counts["missing"]:
        return "missing"
    if counts["extra"]:
        return "extra"
    return "order-only"


@record
class DeviceCompliance:
    """A device's features compared; `skipped` says why it was not compared at all."""

    device: str
    platform: str | None
    running: str | None  # configs/<name>.* path
    features: tuple[FeatureResult, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    skipped: str | None = None
    # The whole device's commands (every claimed line; with `unclaimed: remove`, every
    # line), in one safe order: what `unet deploy` sends.
    plan: Remediation | None = field(default=None, compare=False, repr=False)

    @property
    def status(self) -> str:
        """compliant, non-compliant, error (input problem) or skipped."""
        if has_errors(self.diagnostics):
            return "error"
        if self.skipped:
            return "skipped"
        return "compliant" if all(f.compliant for f in self.features) else "non-compliant"


class Rollup(NamedTuple):
    devices: int
    compliant: int
    non_compliant: int
    errors: int
    skipped: int
    features: dict[str, tuple[int, int]]  # feature -> (compliant, compared)


@dataclass(slots=True)
class ComplianceRun:
    devices: list[DeviceCompliance] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # every device's, de-duplicated

    def __bool__(self) -> bool:
        """True when anything differs."""
        return any(d.status == "non-compliant" for d in self.devices)

    def rollup(self) -> Rollup:
        statuses = [d.status for d in self.devices]
        features: dict[str, list[int]] = {}
        for device in self.devices:
            for feature in device.features:
                counts = features.setdefault(feature.name, [0, 0])
                counts[0] += feature.compliant
                counts[1] += 1
        return Rollup(len(statuses), statuses.count("compliant"),
                      statuses.count("non-compliant"), statuses.count("error"),
                      statuses.count("skipped"),
                      {name: (c[0], c[1]) for name, c in sorted(features.items())})


def render_intended(device: ResolvedDevice, snapshot: Snapshot, templates: TemplateSet, *,
                    normalizers: Iterable[Normalizer] = (),
                    outcome: tuple[Mapping[str, Any], Sequence[Applied]] | None = None,
                    changed: set[str] | None = None) -> RenderResult:
    """The device's intended configuration, normalised (text, tree and each template);
    lines a normaliser rewrote are added to `changed`."""
    data, applied = outcome if outcome is not None else (None, ())
    result = render_device(device, snapshot, applied=applied, data=data, templates=templates)
    rules = tuple(normalizers)
    if not rules:
        return result
    text, problems = normalize(result.text, rules, result.platform, changed=changed)
    if text == result.text and not problems:
        return result
    parts = tuple(replace(t, text=normalize(t.text, rules, result.platform)[0])
                  for t in result.templates)
    tree = parse(text, result.tree.dialect, path=result.tree.path) if result.tree else None
    return replace(result, text=text, tree=tree, templates=parts,
                   diagnostics=(*result.diagnostics, *problems))


@record
class RemediationOptions:
    """How remediation is made: wanted at all, --allow-protected, the site's `protect:`
    rules ((expression, reason, platforms)) and the repository's `unclaimed:` default."""

    enabled: bool = False
    allow_protected: bool = False
    protect: tuple[tuple[str, str, frozenset[str] | None], ...] = ()
    unclaimed: str = "ignore"

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], *, enabled: bool = False,
                      allow_protected: bool = False) -> RemediationOptions:
        entries: list[tuple[str, str, frozenset[str] | None]] = []
        for item in settings.get("protect") or ():
            if isinstance(item, str):
                entries.append((item, "", None))
            elif isinstance(item, Mapping) and isinstance(item.get("match"), str):
                platforms = item.get("platforms")
                entries.append((item["match"], str(item.get("reason") or ""),
                                frozenset(platforms) if platforms else None))
        return cls(enabled, allow_protected, tuple(entries),
                   str(settings.get("unclaimed") or "ignore"))

    def rules_for(self, platform: str | None) -> tuple[ProtectRule, ...]:
        chosen = [(e, r) for e, r, only in self.protect if only is None or platform in only]
        try:
            return protect_rules(chosen)
        except ValueError:  # validated by the inventory; an invalid one protects nothing
            return ()


class _Plans:
    """Diff and remediation for one device: its profile, protect rules, unknown values."""

    def __init__(self, options: RemediationOptions, platform: str | None, profile: str | None,
                 changed: set[str]) -> None:
        self.options = options
        self.profile = profile
        self.protect = options.rules_for(platform)
        self.changed = frozenset(changed)

    def plan(self, result: ConfigDiff) -> Remediation:
        return remediate(result, protect=self.protect,
                         allow_protected=self.options.allow_protected,
                         not_comparable=self.changed)

    def feature(self, name: str, running: ConfigTree | None, intended: ConfigTree, *,
                commands: bool = True) -> FeatureResult:
        result = diff(running if running is not None else ConfigTree(intended.dialect),
                      intended, profile=self.profile)
        if not (self.options.enabled and commands and result):
            return FeatureResult(name, feature_status(result), result)
        plan = self.plan(result)
        return FeatureResult(name, feature_status(result), result, plan.as_text(), plan)


def compare_device(device: ResolvedDevice, snapshot: Snapshot, templates: TemplateSet,
                   running: RunningConfigs, *, normalizers: Sequence[Normalizer] = (),
                   outcome: tuple[Mapping[str, Any], Sequence[Applied]] | None = None,
                   remediation: bool = False, options: RemediationOptions | None = None,
                   running_file: tuple[str, bytes] | None = None) -> DeviceCompliance:
    """Render, normalise and diff one device, feature by feature (with `unclaimed:`
    report or remove, the lines no template claims are a feature of their own);
    `running_file` (its name, its bytes) stands for the stored running configuration."""
    options = options or RemediationOptions(enabled=remediation)
    changed: set[str] = set()
    intended = render_intended(device, snapshot, templates, normalizers=normalizers,
                               outcome=outcome, changed=changed)
    path = running_file[0] if running_file is not None else running.path(device.name)
    base = DeviceCompliance(device.name, intended.platform, path,
                            diagnostics=tuple(intended.diagnostics))
    if not intended.templates and not intended.diagnostics:
        return replace(base, skipped="no templates: nothing intended to compare")
    if path is None:
        return _no_running(device, base)
    if intended.tree is None:
        return base  # no platform: the inventory reports it
    tree, problems = _running_tree(snapshot, path, intended.platform, normalizers, device.name,
                                   changed, running_file[1] if running_file else None)
    if tree is None:
        return replace(base, diagnostics=(*base.diagnostics, *problems))
    plans = _Plans(options, intended.platform, detect_profile(tree), changed)
    try:
        parts = list(feature_slices(intended, tree))
    except HeaderTimeout as exc:
        return replace(base, diagnostics=(*base.diagnostics, *problems, exc.diagnostic))
    features = [plans.feature(p.feature.template, p.running, p.intended) for p in parts]
    mode = str(device.data.get("unclaimed") or options.unclaimed)
    r_lines = lines_of(p.running for p in parts if p.running is not None)
    i_lines = lines_of(p.claims for p in parts if p.claims is not None)
    if mode != "ignore":
        features.append(plans.feature(UNCLAIMED, unclaimed(tree, r_lines),
                                      unclaimed(intended.tree, i_lines),
                                      commands=mode == "remove"))
    plan = None
    if options.enabled:
        whole = mode == "remove"
        plan = plans.plan(diff(tree if whole else claimed(tree, r_lines),
                               intended.tree if whole else claimed(intended.tree, i_lines),
                               profile=plans.profile))
        problems += _not_comparable(plan, path, device.name)
    return replace(base, features=tuple(features), plan=plan,
                   diagnostics=(*base.diagnostics, *problems))


def _not_comparable(plan: Remediation, path: str, device: str) -> list[Diagnostic]:
    unknown = [c for c in plan.held if c.held and c.held.startswith("not comparable")]
    if not unknown:
        return []
    first = unknown[0].text.split("\n", 1)[0]
    return [Diagnostic(Location(path), "C305", Severity.WARNING,
                       f"device {device}: {len(unknown)} command(s) left out of the "
                       f"remediation, their value masked or rewritten by a normalizer "
                       f"(not comparable), e.g. {first!r}")]


def _no_running(device: ResolvedDevice, base: DeviceCompliance) -> DeviceCompliance:
    lifecycle = device.data.get("lifecycle")
    if lifecycle in ("planned", "decommissioned"):
        return replace(base, skipped=f"{lifecycle} device without a running config")
    problem = Diagnostic(device.source, "C303", Severity.ERROR,
                         f"device {device.name}: no running configuration "
                         f"(expected configs/{device.name}.cfg)")
    return replace(base, diagnostics=(*base.diagnostics, problem))


def _running_tree(snapshot: Snapshot, path: str, platform: str | None,
                  normalizers: Sequence[Normalizer], device: str, changed: set[str],
                  data: bytes | None = None) -> tuple[ConfigTree | None, list[Diagnostic]]:
    """The running config (`data`, else read at `path`), normalised and parsed; or None
    and why not."""
    def error(code: str, message: str, line: int = 0,
              col: int = 0) -> tuple[None, list[Diagnostic]]:
        return None, [Diagnostic(Location(path, line, col), code, Severity.ERROR,
                                 f"device {device}: {message}")]

    try:
        data = snapshot.read(path) if data is None else data
    except SnapshotReadError as exc:
        return error(exc.code or "C301", f"cannot read the running config: {exc.reason}")
    if len(data) > MAX_CONFIG_BYTES:
        return error("C301", "the running config is over 32 MiB")
    try:
        text = decode_config(data)
    except ConfigTextError as exc:
        return error("C301", f"the running config is not text ({exc.reason})", exc.line,
                     exc.col)
    if not text.strip():
        return error("C302", "the running config is empty")
    found = detect_dialect(text[:_DETECT_CHARS])
    if found.certain and _family(found.name) != _family(platform):
        return error("C304", f"the running config looks like {found.name}, but the device's "
                     f"platform is {platform}")
    # Lines a normaliser empties stay, empty, so the parser's line numbers are the file's.
    text, problems = normalize(text, normalizers, platform, changed=changed, keep_lines=True)
    tree = parse(text, platform or "ios", path=path)
    # Lines skipped (C101) or merged (C102), a banner left open (C103), a config cut short
    # (C401): the diff is of what was read, so the engineer must see what was not.
    parsed = list(tree.diagnostics)
    if has_errors(parsed):  # cut too deep: a diff of it would be wrong
        return None, [*problems, *parsed]
    return tree, [*problems, *parsed]


def _family(platform: str | None) -> str | None:
    return _FAMILY.get(platform, platform) if platform else platform


def compare_devices(snapshot: Snapshot, inventory: Inventory, *,
                    devices: Iterable[ResolvedDevice] | None = None,
                    outcomes: Outcomes | None = None, remediation: bool = False,
                    allow_protected: bool = False,
                    progress: Callable[[str], None] | None = None,
                    running_file: tuple[str, bytes] | None = None) -> ComplianceRun:
    """Compare every device (or `devices`); `progress(name)` is called after each;
    `running_file` (name, bytes) stands for the stored running config of the one device."""
    templates = load_templates(snapshot)
    running = RunningConfigs(snapshot)
    normalizers = compile_normalizers(inventory.settings)
    options = RemediationOptions.from_settings(inventory.settings, enabled=remediation,
                                               allow_protected=allow_protected)
    chosen = list(devices) if devices is not None else [
        inventory.devices[n] for n in sorted(inventory.devices)]
    run = ComplianceRun(diagnostics=list(running.diagnostics))  # C300: other candidates
    seen: set[Diagnostic] = set(run.diagnostics)
    for device in chosen:
        outcome = outcomes.get(device.name) if outcomes is not None else None
        result = compare_device(device, snapshot, templates, running, normalizers=normalizers,
                                outcome=outcome, options=options, running_file=running_file)
        run.devices.append(result)
        for problem in result.diagnostics:
            if problem not in seen:
                seen.add(problem)
                run.diagnostics.append(problem)
        if progress is not None:
            progress(device.name)
    run.diagnostics.sort(key=lambda d: d.sort_key)
    return run
