"""Find, parse and compile every policy file of a repository."""

from __future__ import annotations

from dataclasses import dataclass, field

from unet.core import Diagnostic, Location, Severity, paused_gc
from unet.inventory import did_you_mean
from unet.policy import _ast as ast
from unet.policy._compile import CompiledRule, Compiler
from unet.policy._parser import parse_policy
from unet.source import Snapshot, SnapshotReadError

__all__ = ["POLICY_DIR", "POLICY_SUFFIXES", "PolicySet", "load_policies", "policy_files",
           "policy_rule_ids"]

POLICY_DIR = "policies/"
# .unet is unet's own; .rules and .policy are the original μNet's.
POLICY_SUFFIXES = (".unet", ".rules", ".policy")


@dataclass(slots=True)
class PolicySet:
    """Compiled rules in evaluation order (files by path, rules in file order)."""

    rules: list[CompiledRule] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # Rules read other devices' data (`fleet`, a link's `peer_node`): every device's result
    # then depends on every device file.
    reaches_other_devices: bool = False

    def rule(self, rule_id: str) -> CompiledRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def policy_files(snapshot: Snapshot) -> list[str]:
    return [p for p in snapshot.files(POLICY_DIR) if p.endswith(POLICY_SUFFIXES)]


def policy_rule_ids(snapshot: Snapshot) -> list[str] | None:
    """Every rule id, parsed but not compiled; None when a file does not parse (its rules
    are not known)."""
    ids: list[str] = []
    for path in policy_files(snapshot):
        problems: list[Diagnostic] = []
        text = _read(snapshot, path, problems)
        if text is None:
            return None
        rules, problems = parse_policy(text, path)
        if any(p.severity is Severity.ERROR for p in problems):
            return None
        ids += (rule.id for rule in rules)
    return ids


def load_policies(snapshot: Snapshot) -> PolicySet:
    """Every rule of every policy file, and every problem in them, in one pass."""
    with paused_gc():
        return _load(snapshot)


def _load(snapshot: Snapshot) -> PolicySet:
    result = PolicySet(files=policy_files(snapshot))
    compiler = Compiler()
    seen: dict[str, Location] = {}
    for path in result.files:
        text = _read(snapshot, path, result.diagnostics)
        if text is None:
            continue
        rules, problems = parse_policy(text, path)
        result.diagnostics.extend(problems)
        for rule in rules:
            first = seen.setdefault(rule.id, rule.at)
            if first is not rule.at:
                result.diagnostics.append(Diagnostic(
                    rule.at, "P205", Severity.ERROR,
                    f"rule id '{rule.id}' is already used at {first}; ids must be unique",
                    (first,)))
                continue
            compiled = compiler.rule(rule)
            if compiled is not None:
                result.rules.append(compiled)
    result.diagnostics.extend(compiler.diagnostics)
    result.diagnostics.extend(_missing_templates(snapshot, result.rules))
    result.reaches_other_devices = bool(compiler.reach)
    result.diagnostics.sort(key=lambda d: d.sort_key)
    return result


_TEMPLATES = "templates/"  # unet.templates' TEMPLATE_DIR, not imported: it loads Jinja2


def _missing_templates(snapshot: Snapshot, rules: list[CompiledRule]) -> list[Diagnostic]:
    """An APPLY of a template that is not in the repository (P209): said where it is
    written, not only when a rule reading `intended` happens to render it."""
    applied = [a for r in rules for a in r.rule.actions if isinstance(a, ast.Apply)]
    if not applied:
        return []
    names = [path.removeprefix(_TEMPLATES) for path in snapshot.files(_TEMPLATES)]
    known = set(names)
    return [Diagnostic(a.at, "P209", Severity.ERROR,
                       f"APPLY {a.template!r}: no such template under templates/"
                       f"{did_you_mean(a.template, names)}")
            for a in applied if a.template not in known]


def _read(snapshot: Snapshot, path: str, problems: list[Diagnostic]) -> str | None:
    try:
        data = snapshot.read(path)
    except SnapshotReadError as exc:
        problems.append(Diagnostic(Location(path), exc.code or "P104", Severity.ERROR,
                                   f"cannot read: {exc.reason}"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[start:exc.start].decode("utf-8")) + 1  # valid up to the bad byte
        problems.append(Diagnostic(Location(path, line, col), "P104", Severity.ERROR,
                                   "policy file is not UTF-8; save it as UTF-8"))
        return None
