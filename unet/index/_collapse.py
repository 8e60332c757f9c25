"""One diagnostic for a problem many devices share: a template error every device that
renders the template reports, or a rule not evaluated on many devices (P310)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from unet.core import Diagnostic, Location, Severity

__all__ = ["NOT_EVALUATED", "collapse", "not_evaluated"]

NOT_EVALUATED = "P310"
_NAMED = 3  # devices named in a collapsed diagnostic; the rest are counted

_SKIPPED = re.compile(r"rule '(?P<rule>[^']*)' not evaluated on (?P<device>\S+): its intended "
                      r"configuration cannot be rendered \((?P<why>[^()]*)\)")
_SHARED = re.compile(r"device (?P<device>\S+): (?P<text>.*) \(named at (?P<at>[^()]*)\)",
                     re.DOTALL)
_OF_DEVICE = re.compile(r"device (?P<device>\S+): (?P<text>.*)", re.DOTALL)


def collapse(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """One diagnostic per template problem that many devices share (a syntax error in a
    template every device renders), naming the first few devices and how many more."""
    groups: dict[tuple[Location, str, str], list[tuple[Diagnostic, str, str]]] = {}
    out: list[Diagnostic] = []
    for diagnostic in diagnostics:
        found = (_SHARED.fullmatch(diagnostic.message) or _OF_DEVICE.fullmatch(
            diagnostic.message)) if diagnostic.code.startswith("T") else None
        if found is None:
            out.append(diagnostic)
            continue
        at = found["at"] if "at" in found.groupdict() else ""
        key = (diagnostic.location, diagnostic.code, found["text"])
        groups.setdefault(key, []).append((diagnostic, found["device"], at))
    out = _collapse_skipped(out)
    # Said once already without a device (a missing template, at the group's line): the
    # devices' copies add nothing.
    plain = {(d.location, d.code, d.message) for d in out}
    for (location, code, text), members in groups.items():
        first = members[0][0]
        if (location, code, text) in plain:
            continue
        if len(members) == 1:
            out.append(first)
            continue
        places = list(dict.fromkeys(at for _, _, at in members))
        if len(places) == 1:  # one group names it for all of them: say where once
            named = _few([name for _, name, _ in members])
        else:
            named = _few([f"{name} (named at {at})" for _, name, at in members])
        where = f" (named at {places[0]})" if len(places) == 1 and places[0] else ""
        related = tuple(dict.fromkeys(loc for d, _, _ in members for loc in d.related))
        out.append(Diagnostic(first.location, first.code, first.severity,
                              f"devices {named}{where}: {text}", related[:_NAMED + 1]))
    return sorted(out, key=lambda d: d.sort_key)


def not_evaluated(problems: Iterable[Diagnostic]) -> dict[str, str]:
    """rule id -> why, for the rules one device's P310s (before `collapse`) say were not
    evaluated on it: the reports show those as skipped, not passed."""
    found = (_SKIPPED.fullmatch(d.message) for d in problems if d.code == NOT_EVALUATED)
    return {m["rule"]: f"its intended configuration cannot be rendered ({m['why']})"
            for m in found if m is not None}


_STOPPED_ELSEWHERE = re.compile(r"rule '(?P<rule>[^']*)' not evaluated on (?P<device>\S+): "
                               r"(?P<why>it was stopped by its budget on \d+ other devices)")


def _collapse_skipped(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One P310 per rule and reason, naming the first few devices; one P305 per rule for
    the devices it was not evaluated on after its budget stopped it on others."""
    # (location, code, rule, why) -> each device's diagnostic and name
    groups: dict[tuple[Location, str, str, str], list[tuple[Diagnostic, str]]] = {}
    out: list[Diagnostic] = []
    for diagnostic in diagnostics:
        pattern = _GROUPED.get(diagnostic.code)
        found = pattern.fullmatch(diagnostic.message) if pattern is not None else None
        if found is None:
            out.append(diagnostic)
        else:
            key = (diagnostic.location, diagnostic.code, found["rule"], found["why"])
            groups.setdefault(key, []).append((diagnostic, found["device"]))
    for (location, code, rule, why), members in groups.items():
        devices = [name for _, name in members]
        if code != NOT_EVALUATED:  # stopped elsewhere: said as the devices' own, or once
            out.append(members[0][0] if len(members) == 1 else Diagnostic(
                location, code, members[0][0].severity,
                f"rule '{rule}' not evaluated on {len(devices)} devices ({_few(devices)}): "
                f"{why}"))
            continue
        if len(devices) == 1:
            text = f"on {devices[0]}: its intended configuration cannot be rendered"
        else:
            text = (f"on {len(devices)} devices ({_few(devices)}): their intended "
                    "configurations cannot be rendered")
        out.append(Diagnostic(location, NOT_EVALUATED, Severity.WARNING,
                              f"rule '{rule}' not evaluated {text} ({why})"))
    return out


_GROUPED = {NOT_EVALUATED: _SKIPPED, "P305": _STOPPED_ELSEWHERE}


def _few(names: Sequence[str]) -> str:
    """The first few names, and how many more."""
    more = f" and {len(names) - _NAMED} more" if len(names) > _NAMED else ""
    return ", ".join(names[:_NAMED]) + more
