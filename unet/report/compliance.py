"""`unet diff` results as text, json, markdown or junit, each ending with the roll-up.

`render(run, fmt, stream, *, styled=False, pending=None)` takes a `ComplianceRun`
(intended against running) or a `RevisionRun` (intended at one revision against
another); `pending` names, per device, the rules whose findings on running a deploy would
fix, and that device's differing features are shown as pending deploy. JSON keys are
documented in docs/diff.md and stable within `"version": 1`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from unet.config import ConfigDiff, Remediation
from unet.core import printable, printable_json, text_lines
from unet.report import diff as config_report
from unet.report.json import diagnostic_to_dict

if TYPE_CHECKING:
    from unet.core import Diagnostic
    from unet.templates import ComplianceRun, DeviceChange, DeviceCompliance, RevisionRun

__all__ = ["FORMATS", "JSON_VERSION", "RUNNING", "Pending", "pending_note", "render",
           "summary"]

JSON_VERSION = 1
_BOLD, _RED, _GREEN, _YELLOW, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[0m"
_STATUS_COLOUR = {"compliant": _GREEN, "unchanged": _GREEN, "non-compliant": _RED,
                  "error": _RED, "changed": _YELLOW, "added": _YELLOW, "removed": _YELLOW}


# device -> rules whose findings on running a deploy would fix (`Gate`'s pending deploys)
Pending = Mapping[str, Sequence[str]]


def render(run: ComplianceRun | RevisionRun, fmt: str, stream: IO[str], *,
           styled: bool = False, pending: Pending | None = None) -> None:
    """`pending`: the features of these devices that differ are shown as pending deploy."""
    if hasattr(run, "base"):
        FORMATS[("revisions", fmt)](run, stream, styled)
    else:
        RUNNING[fmt](run, stream, styled, pending or {})


def pending_note(device: str, pending: Pending) -> str:
    """`pending deploy (fixes ntp-in-running)` for a differing feature, or ''."""
    rules = pending.get(device)
    return f"pending deploy: fixes {', '.join(rules)}" if rules else ""


def _deployed(feature: Any) -> bool:
    """A feature a deploy changes: not the lines no template claims, which it leaves."""
    from unet.templates import UNCLAIMED  # loaded already: the run was compared with it

    return bool(feature.name != UNCLAIMED)


def _note(feature: Any, note: str) -> str:
    return f" ({note})" if note and _deployed(feature) else ""


def summary(run: ComplianceRun | RevisionRun) -> str:
    """The one-line roll-up (stderr, and the last line of text output)."""
    from unet.templates import RevisionRun

    if isinstance(run, RevisionRun):
        affected = len(run.affected)
        return f"{affected} of {len(run.devices)} devices affected ({run.base} → {run.head})"
    r = run.rollup()
    # A device whose intended configuration cannot be rendered is not compliant either.
    compared = r.compliant + r.non_compliant + r.errors
    text = f"{r.compliant}/{compared} devices compliant ({_pct(r.compliant, compared)})"
    extras = [f"{r.non_compliant} differ" if r.non_compliant else "",
              f"{r.errors} with errors" if r.errors else "",
              f"{r.skipped} skipped" if r.skipped else ""]
    return ", ".join([text, *filter(None, extras)])


def _pct(part: int, whole: int) -> str:
    return f"{100 * part // whole}%" if whole else "n/a"


def _paint(colour: str, text: str, styled: bool) -> str:
    return f"{colour}{printable(text)}{_RESET}" if styled else printable(text)


def _diff_text(result: ConfigDiff | None, styled: bool, indent: str) -> str:
    if not result:
        return ""
    out = io.StringIO()
    config_report.render_text(result, out, styled)
    return "".join(indent + line + "\n" for line in text_lines(out.getvalue()))


def _commands(text: str, indent: str) -> str:
    return "".join(f"{indent}{printable(line)}\n" for line in text_lines(text))


# --- text ------------------------------------------------------------------------------------


def _text_diagnostics(diagnostics: Iterable[Diagnostic], stream: IO[str]) -> None:
    for problem in diagnostics:
        stream.write(f"{problem}\n")  # a diagnostic's text is printable already


_LEGEND = ("(+ in intended, missing from running; - in running, not intended; "
           "~ other value; ! order differs)")


def _text_running(run: ComplianceRun, stream: IO[str], styled: bool, pending: Pending,
                  ) -> None:
    _text_diagnostics(run.diagnostics, stream)
    if run:
        stream.write(_paint(_BOLD, "Intended vs running, per feature", styled)
                     + f" {_LEGEND}\n\n")
    for device in run.devices:
        if device.status != "compliant":
            _text_device(device, stream, styled, pending_note(device.device, pending))
    _text_rollup(run, stream, styled)


def _text_device(device: DeviceCompliance, stream: IO[str], styled: bool, note: str = "",
                 ) -> None:
    status = _paint(_STATUS_COLOUR.get(device.status, ""), device.status, styled)
    where = f"  ({device.running})" if device.running else ""
    reason = f": {device.skipped}" if device.skipped else ""
    stream.write(_paint(_BOLD, device.device, styled)
                 + f"  {status}{printable(reason)}{printable(where)}\n")
    if device.status == "error":
        codes = sorted({d.code for d in device.diagnostics if d.severity.label == "error"})
        stream.write(f"  input errors ({', '.join(codes)}); see above\n")
    for feature in device.features:
        if feature.compliant:
            continue
        stream.write(printable(f"  {feature.name}: {feature.status}{_note(feature, note)}")
                     + "\n")
        stream.write(_diff_text(feature.diff, styled, "    "))
        if feature.remediation:
            stream.write("    remediation (advisory, review before applying):\n")
            stream.write(_commands(feature.remediation, "      "))
    stream.write("\n")


def _text_rollup(run: ComplianceRun, stream: IO[str], styled: bool) -> None:
    r = run.rollup()
    stream.write(_paint(_BOLD, f"Compliance: {summary(run)}", styled) + "\n")
    width = max((len(name) for name in r.features), default=7)
    for name, (ok, total) in r.features.items():
        stream.write(f"  {name:<{width}}  {ok:>5}/{total:<5} {_pct(ok, total):>4}\n")


def _text_revisions(run: RevisionRun, stream: IO[str], styled: bool) -> None:
    _text_diagnostics(run.diagnostics, stream)
    stream.write(_paint(_BOLD, f"Intended configuration: {run.base} → {run.head}", styled)
                 + " (+ added, - removed, ~ other value, ! order differs)\n\n")
    for change in run.affected:
        _text_change(change, stream, styled)
    stream.write(_paint(_BOLD, summary(run), styled) + "\n")


def _text_change(change: DeviceChange, stream: IO[str], styled: bool) -> None:
    status = _paint(_STATUS_COLOUR.get(change.status, ""), change.status, styled)
    note = f" ({change.note})" if change.note else ""
    stream.write(_paint(_BOLD, change.device, styled) + f"  {status}{printable(note)}\n")
    if change.data:
        stream.write("  data:\n" + _commands("\n".join(change.data), "    "))
    body = _diff_text(change.config, styled, "    ")
    if body:
        stream.write("  config:\n" + body)
    elif change.status == "changed":
        stream.write("  config: unchanged\n")
    if change.remediation:
        stream.write("  remediation (advisory):\n" + _commands(change.remediation, "    "))
    stream.write("\n")


# --- json ------------------------------------------------------------------------------------


def _changes_json(result: ConfigDiff | None) -> dict[str, Any]:
    if result is None:
        return {"summary": {}, "changes": []}
    document = config_report.as_json(result)
    return {"summary": document["summary"], "changes": document["changes"]}


def _plain(plan: Remediation | None) -> list[str]:
    """The commands as lines, without risk marks (those are in `remediation.commands`)."""
    return text_lines(plan.as_text(marks=False)) if plan is not None else []


def running_json(run: ComplianceRun, pending: Pending | None = None) -> dict[str, Any]:
    r = run.rollup()
    pending = pending or {}
    devices = [{
        "device": d.device, "platform": d.platform, "status": d.status, "running": d.running,
        "skipped": d.skipped,
        "pending": list(pending.get(d.device, ())),
        "features": [{"feature": f.name, "status": f.status, **_changes_json(f.diff),
                      "remediation": _plain(f.plan),
                      "pending": not f.compliant and bool(pending.get(d.device))
                      and _deployed(f)}
                     for f in d.features],
        **({"plan": d.plan.to_json()} if d.plan is not None else {}),
    } for d in run.devices]
    rollup = {"devices": r.devices, "compliant": r.compliant, "non_compliant": r.non_compliant,
              "errors": r.errors, "skipped": r.skipped,
              "features": {name: {"compliant": ok, "total": total,
                                  "percent": round(100 * ok / total, 1) if total else None}
                           for name, (ok, total) in r.features.items()}}
    return {"version": JSON_VERSION, "command": "diff", "mode": "running", "devices": devices,
            "diagnostics": [diagnostic_to_dict(p) for p in run.diagnostics], "rollup": rollup}


def revisions_json(run: RevisionRun) -> dict[str, Any]:
    devices = [{"device": c.device, "status": c.status, "note": c.note, "data": list(c.data),
                **_changes_json(c.config), "remediation": text_lines(c.remediation)}
               for c in run.devices]
    return {"version": JSON_VERSION, "command": "diff", "mode": "revisions", "base": run.base,
            "head": run.head, "devices": devices,
            "diagnostics": [diagnostic_to_dict(p) for p in run.diagnostics],
            "rollup": {"devices": len(run.devices), "affected": len(run.affected)}}


def _dump(document: dict[str, Any], stream: IO[str]) -> None:
    stream.write(printable_json(json.dumps(document, indent=2, sort_keys=True,
                                           ensure_ascii=False)))
    stream.write("\n")


# --- markdown --------------------------------------------------------------------------------

_ICON = {"compliant": "✅", "unchanged": "✅", "non-compliant": "❌", "error": "⚠️",
         "skipped": "⏭️", "changed": "✏️", "added": "➕", "removed": "➖"}


def _md_details(title: str, body: str) -> str:
    return f"<details><summary>{escape(title)}</summary>\n\n```diff\n{body}```\n\n</details>\n\n"


def _md_problems(diagnostics: list[Diagnostic], stream: IO[str]) -> None:
    if diagnostics:
        stream.write("**Problems**\n\n")
        stream.write("".join(f"- `{p}`\n" for p in diagnostics) + "\n")


def _md_running(run: ComplianceRun, stream: IO[str], styled: bool, pending: Pending,
                ) -> None:
    stream.write(f"## unet diff: intended vs running\n\n**{summary(run)}**\n\n")
    _md_problems(run.diagnostics, stream)
    differing = [d for d in run.devices if d.status != "compliant"]
    if differing:
        stream.write("| device | status | features |\n|---|---|---|\n")
        for d in differing:
            note = pending_note(d.device, pending)
            features = ", ".join(f"`{f.name}` {f.status}{_note(f, note)}"
                                 for f in d.features if not f.compliant)
            stream.write(f"| {d.device} | {_ICON[d.status]} {d.status} | "
                         f"{features or d.skipped or ''} |\n")
        stream.write("\n")
    for d in differing:
        for f in d.features:
            if not f.compliant:
                body = _diff_text(f.diff, False, "") + _commands(f.remediation, "")
                stream.write(_md_details(f"{d.device} — {f.name}: {f.status}", body))
    r = run.rollup()
    if r.features:
        stream.write("| feature | compliant | % |\n|---|---:|---:|\n")
        stream.write("".join(f"| `{name}` | {ok}/{total} | {_pct(ok, total)} |\n"
                             for name, (ok, total) in r.features.items()))


# Between two intended configs, "missing from running" means a line the change adds.
_REV_WORDS = {"missing": "added", "extra": "removed", "replaced": "changed",
              "reordered": "reordered"}


def _md_revisions(run: RevisionRun, stream: IO[str], styled: bool) -> None:
    stream.write(f"## unet diff: intended configuration {run.base} → {run.head}\n\n"
                 f"**{summary(run)}**\n\n")
    _md_problems(run.diagnostics, stream)
    if not run.affected:
        stream.write("No device's intended configuration or data changes.\n")
        return
    stream.write("| device | status | data changes | config changes |\n|---|---|---:|---|\n")
    for c in run.affected:
        counts = c.config.counts() if c.config else {}
        text = ", ".join(f"{n} {_REV_WORDS[k]}" for k, n in counts.items() if n)
        text = text or c.note or "none"
        stream.write(f"| {c.device} | {_ICON.get(c.status, '')} {c.status} | {len(c.data)} "
                     f"| {text} |\n")
    stream.write("\n")
    for c in run.affected:
        data = "".join(f"# {line}\n" for line in c.data)
        body = data + _diff_text(c.config, False, "") + _commands(c.remediation, "")
        if body:
            stream.write(_md_details(f"{c.device}: {c.status}", body))


# --- junit -----------------------------------------------------------------------------------


def _case(classname: str, name: str, inner: str = "") -> str:
    attrs = f"classname={quoteattr(classname)} name={quoteattr(name)}"
    return f"    <testcase {attrs}>{inner}</testcase>\n" if inner else \
        f"    <testcase {attrs}/>\n"


def _failure(tag: str, message: str, body: str) -> str:
    return f"<{tag} message={quoteattr(message)}>{escape(body)}</{tag}>"


def _suite(name: str, cases: list[str], stream: IO[str]) -> None:
    failures = sum("<failure" in c for c in cases)
    errors = sum("<error" in c for c in cases)
    skipped = sum("<skipped" in c for c in cases)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n')
    stream.write(f"  <testsuite name={quoteattr(name)} tests=\"{len(cases)}\" "
                 f"failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n")
    stream.write("".join(cases))
    stream.write("  </testsuite>\n</testsuites>\n")


def _junit_running(run: ComplianceRun, stream: IO[str], styled: bool, pending: Pending,
                   ) -> None:
    cases: list[str] = []
    for d in run.devices:
        if d.skipped:
            cases.append(_case(d.device, "(device)", f"<skipped message={quoteattr(d.skipped)}/>"))
        errors = [str(p) for p in d.diagnostics if p.severity.label == "error"]
        if errors:
            cases.append(_case(d.device, "(input)", _failure("error", errors[0],
                                                             "\n".join(errors))))
        for f in d.features:
            inner = "" if f.compliant else _failure(
                "failure", f"{f.name}: {f.status}", _diff_text(f.diff, False, "") + f.remediation)
            cases.append(_case(d.device, f.name, inner))
    _suite("unet diff", cases, stream)


def _junit_revisions(run: RevisionRun, stream: IO[str], styled: bool) -> None:
    cases = []
    for c in run.devices:
        body = "\n".join(c.data) + "\n" + _diff_text(c.config, False, "")
        inner = f"<system-out>{escape(body)}</system-out>" if c.status != "unchanged" else ""
        if c.status == "error":
            inner = _failure("error", "input errors", "\n".join(map(str, c.diagnostics)))
        cases.append(_case(c.device, c.status, inner))
    _suite(f"unet diff {run.base} → {run.head}", cases, stream)


Renderer = Callable[[Any, IO[str], bool], None]
RUNNING: dict[str, Callable[[ComplianceRun, IO[str], bool, Pending], None]] = {
    "text": _text_running,
    "json": lambda run, stream, styled, pending: _dump(running_json(run, pending), stream),
    "markdown": _md_running,
    "junit": _junit_running,
}
FORMATS: dict[tuple[str, str], Renderer] = {
    ("revisions", "text"): _text_revisions,
    ("revisions", "json"): lambda run, stream, styled: _dump(revisions_json(run), stream),
    ("revisions", "markdown"): _md_revisions,
    ("revisions", "junit"): _junit_revisions,
}
