"""Template headers: the slice of the configuration a template owns.

At the top of a template, before any output, Jinja comments declare match expressions:

    {# unet: match "interface .*" #}
    {# unet: match "ntp server .*" "snmp-server .*" #}     several in one header
    {# template-match: router ospf .* #}                   the original μNet form

Each expression is checked with `unet.config.Match.parse`; a bad one becomes a T108
diagnostic at the file, line and column of the offending character.
"""

from __future__ import annotations

import re

from unet.config import Match, MatchError
from unet.core import Diagnostic, Location, Severity, record

__all__ = ["HEADER_CODE", "Header", "parse_header"]

HEADER_CODE = "T108"

_COMMENT = re.compile(r"\{#-?(.*?)-?#\}", re.DOTALL)
_UNET = re.compile(r"\s*unet\s*:", re.IGNORECASE)
_MUNET = re.compile(r"\s*template-match\s*:", re.IGNORECASE)
_TOKEN = re.compile(r"\s+|,|\"([^\"]*)\"|'([^']*)'|([A-Za-z][\w-]*)|(.)", re.DOTALL)
_LATE = re.compile(r"\{#-?\s*(unet|template-match)\s*:", re.IGNORECASE)


@record
class Header:
    """The expressions of one template's header, where each was written, and problems."""

    expressions: tuple[str, ...] = ()
    locations: tuple[Location, ...] = ()
    matches: tuple[Match, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


class _Builder:
    def __init__(self, text: str, path: str) -> None:
        self.text, self.path = text, path
        self.found: list[tuple[str, Location, Match]] = []
        self.diagnostics: list[Diagnostic] = []

    def location(self, offset: int) -> Location:
        line = self.text.count("\n", 0, offset) + 1
        col = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return Location(self.path, line, col)

    def problem(self, offset: int, message: str, severity: Severity = Severity.ERROR) -> None:
        self.diagnostics.append(Diagnostic(self.location(offset), HEADER_CODE, severity, message))

    def expression(self, expr: str, offset: int) -> None:
        """Validate one expression starting at `offset` in the file."""
        try:
            match = Match.parse(expr)
        except MatchError as exc:
            self.problem(offset + exc.position,
                         f"bad match expression {expr!r}: {exc.reason} (level {exc.level})")
            return
        self.found.append((expr, self.location(offset), match))

    def header(self) -> Header:
        return Header(
            expressions=tuple(e for e, _, _ in self.found),
            locations=tuple(loc for _, loc, _ in self.found),
            matches=tuple(m for _, _, m in self.found),
            diagnostics=tuple(self.diagnostics),
        )


def parse_header(text: str, path: str) -> Header:
    """The header of a template's source; `path` is repo-relative (`templates/ios/base.j2`)."""
    builder = _Builder(text, path)
    position = 0
    while True:
        start = len(text) - len(text[position:].lstrip())
        comment = _COMMENT.match(text, start)
        if not comment:
            break
        _comment(builder, comment.group(1), comment.start(1))
        position = comment.end()
    for late in _LATE.finditer(text, position):
        builder.problem(late.start(), "header ignored: it must come before any other template "
                        "text", Severity.WARNING)
    return builder.header()


def _comment(builder: _Builder, body: str, offset: int) -> None:
    unet = _UNET.match(body)
    if unet:
        _directives(builder, body, unet.end(), offset)
        return
    munet = _MUNET.match(body)
    if munet:
        rest = body[munet.end():]
        lead = len(rest) - len(rest.lstrip())
        builder.expression(rest.strip(), offset + munet.end() + lead)


def _directives(builder: _Builder, body: str, start: int, offset: int) -> None:
    """`match "a" "b" match 'c'`: each string after `match` is an expression."""
    state = "start"  # "match": right after the word; "strings": after one or more strings
    count = 0
    for token in _TOKEN.finditer(body, start):
        double, single, word, other = token.groups()
        where = offset + token.start()
        if word is not None and state == "match":
            builder.problem(where, f"expected a quoted expression, found {word!r} "
                            "(quote each expression)")
            return
        if word is not None:
            if word.lower() != "match":
                builder.problem(where, f"unknown header directive {word!r} (expected 'match')")
                return
            state = "match"
        elif double is not None or single is not None:
            if state == "start":
                builder.problem(where, "a quoted expression must follow 'match'")
                return
            builder.expression(double if double is not None else single, where + 1)
            count, state = count + 1, "strings"
        elif other is not None:
            builder.problem(where, f"unexpected {other!r} in header (quote each expression)")
            return
    if not count:
        builder.problem(offset + start, 'empty header: write match "EXPRESSION"')
