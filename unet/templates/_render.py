"""Render a device's templates into its intended configuration, errors as diagnostics.

A user mistake in a template (undefined variable, syntax error, missing include, bad filter
input, sandbox escape, endless recursion, runaway output) never raises: it becomes a T1xx
diagnostic at the template file and line, and the device's other templates still render.
"""

from __future__ import annotations

import gc
import json
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import field
from typing import Any

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from unet.config import CONTEXT, DEVICE_CONTROL, ConfigTree, Match, Node, parse
from unet.core import Diagnostic, Location, Severity, has_errors, printable, record
from unet.inventory import ResolvedDevice, did_you_mean
from unet.patterns import PatternTimeout
from unet.source import Snapshot
from unet.templates._bounds import RenderLimit, budget, check_deadline
from unet.templates._env import (
    CODES,
    MAX_OUTPUT,
    TEMPLATE_DIR,
    ControlCharacter,
    TemplateNotUtf8,
    TemplateRefused,
    lookup,
    make_environment,
    template_frame,
    undefined_reference,
)
from unet.templates._filters import FilterError, FilterUsage
from unet.templates._headers import Header, parse_header
from unet.templates._select import Applied, Selected, select_templates

__all__ = [
    "Feature",
    "FeatureSlice",
    "HeaderTimeout",
    "RenderResult",
    "RenderedTemplate",
    "TemplateSet",
    "feature_slice",
    "feature_slices",
    "load_templates",
    "render_device",
]


@record
class Feature:
    """The slice of the configuration a template owns: its match expressions, or (no header)
    exactly the lines it renders."""

    template: str  # the name under templates/
    expressions: tuple[str, ...] = ()
    matches: tuple[Match, ...] = field(default=(), compare=False, repr=False)
    locations: tuple[Location, ...] = field(default=(), compare=False, repr=False)

    @property
    def owns_rendered(self) -> bool:
        return not self.matches


_NOWHERE = Location("")


@record
class RenderedTemplate:
    """One template's output for one device; `text` is '' when it failed."""

    name: str
    feature: Feature
    text: str
    diagnostics: tuple[Diagnostic, ...] = ()
    source: Location = _NOWHERE  # where the device (or an APPLY rule) named it

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


@record
class RenderResult:
    """A device's intended configuration: per template output, the whole text and its tree."""

    device: str
    platform: str | None
    templates: tuple[RenderedTemplate, ...]
    text: str
    tree: ConfigTree | None = field(default=None, compare=False)
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


class TemplateSet:
    """The templates of one snapshot: one sandboxed environment, headers parsed once."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.env = make_environment(snapshot)
        self.loader = self.env.loader
        self.names = frozenset(p.removeprefix(TEMPLATE_DIR) for p in snapshot.files(TEMPLATE_DIR))
        self._headers: dict[str, Header] = {}

    def header(self, name: str) -> Header:
        if name not in self._headers:
            try:
                source, path, _ = self.loader.read(name)  # type: ignore[union-attr]
            except TemplateNotFound:
                self._headers[name] = Header()
            else:
                self._headers[name] = parse_header(source, path)
        return self._headers[name]

    def feature(self, name: str) -> Feature:
        header = self.header(name)
        return Feature(name, header.expressions, header.matches, header.locations)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Header problems of every template (`unet validate` reports them once)."""
        found = [d for name in sorted(self.names) for d in self.header(name).diagnostics]
        return sorted(found, key=lambda d: d.sort_key)

    def render(self, name: str, context: Mapping[str, Any], device: str,
               where: Callable[[tuple[Any, ...]], Location] | None = None,
               ) -> tuple[str, list[Diagnostic]]:
        """The text of one template for one device, or '' and the diagnostics; `where`
        locates a data value by its path (the device's YAML), for messages."""
        try:
            template = self.env.get_template(name)
            return self._bounded(template.generate(context), name, device)
        except Exception as exc:  # every failure of user content is reported, not raised
            problem = self._diagnose(exc, name, device, context, where)
            stopped = isinstance(exc, RenderLimit)
        if stopped:  # its traceback's cycles hold what the rendering built: free it now
            gc.collect()
        return "", [problem]

    def _diagnose(self, exc: BaseException, name: str, device: str,
                  context: Mapping[str, Any],
                  where: Callable[[tuple[Any, ...]], Location] | None) -> Diagnostic:
        location = _location(exc, TEMPLATE_DIR + name)
        if isinstance(exc, ControlCharacter):
            return self._printed_control(exc, location, device, context, where)
        if isinstance(exc, FilterUsage):
            return self._misused_filter(exc, location, device)
        unknown = _UNKNOWN_NAME.search(str(getattr(exc, "message", None) or exc))
        if unknown is not None and isinstance(exc, TemplateError):
            return self._unknown_name(unknown.group(1), unknown.group(2), location, device)
        if isinstance(exc, UndefinedError):
            message, col = _undefined(str(exc), self, location, context,
                                      getattr(exc, "within", None))
            location = Location(location.path, location.line, col)
            code = CODES["undefined"]
        else:
            code, message = _describe(exc, self)
        return Diagnostic(location, code, Severity.ERROR, f"device {device}: {message}")

    def _misused_filter(self, exc: FilterUsage, location: Location,
                        device: str) -> Diagnostic:
        """Arguments a filter does not take: at the filter's name, with how it is written."""
        line = self.loader.source_line(location.path, location.line)  # type: ignore[union-attr]
        at = re.search(r"\|\s*(" + re.escape(exc.name) + r")\b", line)
        return Diagnostic(Location(location.path, location.line, at.start(1) + 1 if at else 0),
                          CODES["filter"], Severity.ERROR, f"device {device}: {exc}")

    def _unknown_name(self, kind: str, name: str, location: Location,
                      device: str) -> Diagnostic:
        """A misspelt filter or test: one error (Jinja says it at compile time, or at run
        time inside an `if`), at the name, with the names there are."""
        known = self.env.filters if kind == "filter" else self.env.tests
        line = self.loader.source_line(location.path, location.line)  # type: ignore[union-attr]
        before = r"\|\s*" if kind == "filter" else r"\bis\s+(?:not\s+)?"
        at = re.search(before + r"(" + re.escape(name) + r")\b", line)
        col = at.start(1) + 1 if at else 0
        return Diagnostic(Location(location.path, location.line, col), CODES["syntax"],
                          Severity.ERROR, f"device {device}: unknown {kind} '{name}'"
                          f"{did_you_mean(name, known)}")

    def _printed_control(self, exc: ControlCharacter, location: Location, device: str,
                         context: Mapping[str, Any],
                         where: Callable[[tuple[Any, ...]], Location] | None) -> Diagnostic:
        """T116 at the line that prints the value, naming the data it came from."""
        line = self.loader.source_line(location.path, location.line)  # type: ignore[union-attr]
        col = line.index("{{") + 1 if line.count("{{") == 1 else 0
        char = exc.value[exc.position]
        path = _data_path(context.get("node", context), exc.value, char)
        if path is None:  # not the device's data: a macro's text, a string in the template
            found = self._in_text(char, location.path.removeprefix(TEMPLATE_DIR))
            if found is not None:
                return _text_control(found, char, device)
        origin = where(path) if where is not None and path is not None else None
        source = ""
        if path is not None:
            source = f" ({_reference(path)}" + (f", set at {origin}" if origin else "") + ")"
        return Diagnostic(Location(location.path, location.line, col), CODES["control"],
                          Severity.ERROR,
                          f"device {device}: the value printed here{source} has "
                          f"{_char_name(char)}: a device would act on it, not store it; "
                          "remove it from the data", related=(origin,) if origin else ())

    def _bounded(self, chunks: Iterable[str], name: str, device: str,
                 ) -> tuple[str, list[Diagnostic]]:
        out: list[str] = []
        size = 0
        for chunk in chunks:
            check_deadline()
            size += len(chunk)
            if size > MAX_OUTPUT:
                message = (f"device {device}: output of {name} is over {MAX_OUTPUT} characters "
                           "(an endless loop?); rendering stopped")
                return "", [Diagnostic(Location(TEMPLATE_DIR + name), CODES["limit"],
                                       Severity.ERROR, message)]
            out.append(chunk)
        text = "".join(out)
        found = DEVICE_CONTROL.search(text)  # a device would act on it
        if found is not None:
            return "", [self._literal_control(text, found.start(), name, device)]
        return text, []

    def _literal_control(self, text: str, position: int, name: str,
                         device: str) -> Diagnostic:
        """T116 for a character no `{{ … }}` printed: in the template's own text or in one
        it names, at the character; else the line of the output."""
        char = text[position]
        found = self._in_text(char, name)
        if found is not None:
            return _text_control(found, char, device)
        line = text.count("\n", 0, position) + 1
        return Diagnostic(Location(TEMPLATE_DIR + name), CODES["control"], Severity.ERROR,
                          f"device {device}: line {line} of the output of {name} has "
                          f"{_char_name(char)}: a device would act on it, not store it; "
                          "remove it from the template or the data it prints")

    def _in_text(self, char: str, name: str) -> Location | None:
        """Where `char` first is in template `name`, or in a template it names (an include,
        an import), among those already read."""
        read = self.loader.sources()  # type: ignore[union-attr]
        own = read.get(name)
        if own is None:
            return None
        named = [read[n] for n in sorted(read) if n != name and (f"'{n}'" in own[0]
                                                                or f'"{n}"' in own[0])]
        for source, path, _ in (own, *named):
            at = source.find(char)
            if at >= 0:
                line = source.count("\n", 0, at) + 1
                return Location(path, line, at - source.rfind("\n", 0, at))
        return None


_CONTROL_NAMES = {"\r": "CR (it sends the line early)", "\x03": "Ctrl-C (it aborts)",
                  "\x1a": "Ctrl-Z (it leaves configuration mode)",
                  "\x1b": "ESC (it starts a terminal sequence)",
                  "\x08": "a backspace (it rewrites the line)",
                  "\x85": "NEL (many readers end the line there)",
                  "\u2028": "a line separator (many readers end the line there)",
                  "\u2029": "a paragraph separator (many readers end the line there)"}



def _text_control(where: Location, char: str, device: str) -> Diagnostic:
    return Diagnostic(where, CODES["control"], Severity.ERROR,
                      f"device {device}: the template's text has {_char_name(char)}: a device "
                      "would act on it, not store it; remove it")


def _char_name(char: str) -> str:
    return f"{printable(char)}, {_CONTROL_NAMES.get(char, 'a control character')}"


# Jinja's words for a misspelt filter or test, at compile time and at run time.
_UNKNOWN_NAME = re.compile(r"^No (filter|test) named '([^']+)'")

# Values looked at to find which one of a device's data a printed value came from.
_MAX_SEARCH = 20_000


def _data_path(data: Any, value: str, char: str) -> tuple[Any, ...] | None:
    """The path of the string in `data` equal to `value` (else the first holding `char`),
    breadth first, looking at `_MAX_SEARCH` values at most."""
    queue: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    holding = None
    for seen, (path, item) in enumerate(queue):
        if seen >= _MAX_SEARCH:
            break
        if isinstance(item, str):
            if item == value:
                return path
            if holding is None and char in item:
                holding = path
        elif len(queue) > _MAX_SEARCH:
            continue  # enough queued to look at
        elif isinstance(item, Mapping):
            queue += (((*path, key), child) for key, child in item.items())
        elif isinstance(item, list | tuple):
            queue += (((*path, index), child) for index, child in enumerate(item))
    return holding


_NAME = re.compile(r"[A-Za-z_]\w*")


def _reference(path: tuple[Any, ...]) -> str:
    """`node.interfaces["Gi0/1"].description`: how a template would write the path."""
    parts = ["node"]
    for key in path:
        if isinstance(key, str) and _NAME.fullmatch(key):
            parts.append(f".{key}")
        else:
            parts.append(f"[{json.dumps(key)}]")
    return "".join(parts)


def _location(exc: BaseException, fallback: str) -> Location:
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return Location(exc.filename, exc.lineno or 0)
    frame = template_frame(exc)
    return Location(*frame) if frame else Location(fallback)


def _describe(exc: BaseException, templates: TemplateSet) -> tuple[str, str]:
    """(code, message) for an exception raised while rendering."""
    if isinstance(exc, TemplateSyntaxError):
        return CODES["syntax"], f"template syntax error: {exc.message}"
    if isinstance(exc, TemplateRefused):
        return exc.code, str(exc.message)
    if isinstance(exc, RenderLimit):
        return exc.code, exc.message
    if isinstance(exc, TemplateNotUtf8):
        return CODES["encoding"], str(exc.message)
    if isinstance(exc, TemplateNotFound):
        hint = did_you_mean(str(exc.name), templates.names)
        return CODES["include"], f"{exc.message or exc.name}{hint}"
    if isinstance(exc, SecurityError):
        return CODES["sandbox"], f"blocked by the template sandbox: {exc}"
    if isinstance(exc, FilterError):
        return CODES["filter"], str(exc)
    if isinstance(exc, RecursionError):
        return CODES["limit"], ("recursion too deep (a macro or include that never stops "
                                "calling itself, or a value nested thousands deep?)")
    return CODES["runtime"], f"{type(exc).__name__}: {exc}"


def _undefined(message: str, templates: TemplateSet, where: Location,
               context: Mapping[str, Any], within: Any = None) -> tuple[str, int]:
    """"undefined: node.vars.ntp_servrs (did you mean …)" and the 1-based column, when the
    template line shows which reference failed; else Jinja's own words."""
    line = templates.loader.source_line(where.path, where.line)  # type: ignore[union-attr]
    if len(message) > 500:  # a 5,000,000-character key: no regex is built from it
        return f"undefined: {message[:200]}… ({len(message)} characters)", 0
    found = undefined_reference(message, line)
    if found is None:
        return f"undefined: {message}", 0
    reference, col = found
    parent, _, last = reference.rpartition(".")
    # What the name was looked up in, when known: a loop variable is not in the context.
    choices = within if isinstance(within, Mapping) else (
        lookup(context, parent) if parent else context)
    hint = did_you_mean(last, choices) if isinstance(choices, Mapping) and last else ""
    return f"undefined: {reference}{hint}", col + 1


_SETS: weakref.WeakKeyDictionary[Snapshot, TemplateSet] = weakref.WeakKeyDictionary()


def load_templates(snapshot: Snapshot) -> TemplateSet:
    """The template set of a snapshot (one per snapshot object, made on first use)."""
    found = _SETS.get(snapshot)
    if found is None:
        found = _SETS[snapshot] = TemplateSet(snapshot)
    return found


def _context(device: ResolvedDevice, data: Mapping[str, Any]) -> dict[str, Any]:
    """The device's data as top-level variables, and whole as `node` and `device`."""
    return {**data, "name": device.name, "node": data, "device": data}


def render_device(device: ResolvedDevice, snapshot: Snapshot, *, applied: Iterable[Applied] = (),
                  data: Mapping[str, Any] | None = None,
                  templates: TemplateSet | None = None) -> RenderResult:
    """Render every template of `device` (data lists, then `applied`) in order.

    `data` replaces the device's resolved data (after policy SET); `templates` reuses a
    TemplateSet across devices.
    """
    templates = templates or load_templates(snapshot)
    values = data if data is not None else device.data
    selected, problems = select_templates(device, templates.names, applied=applied, data=values)
    context = _context(device, values)
    with budget():  # one time budget for all of the device's templates
        rendered = [_render_one(templates, item, context, device) for item in selected]
    text = _join(r.text for r in rendered)
    platform = values.get("platform")
    tree = _parse(text, platform, device.name)
    diagnostics = [*problems, *(d for r in rendered for d in r.diagnostics)]
    if tree is not None:  # an unclosed brace, a skipped line: said of the template
        diagnostics += _shape_problems(tree.diagnostics, rendered, device.name)
    return RenderResult(device.name, platform if isinstance(platform, str) else None,
                        tuple(rendered), text, tree, tuple(diagnostics))


def _render_one(templates: TemplateSet, item: Selected, context: Mapping[str, Any],
                device: ResolvedDevice) -> RenderedTemplate:
    header = templates.header(item.name)
    text, problems = templates.render(item.name, context, device.name, device.where)
    if item.source.path:  # the device line that chose the template, for every command
        problems = [Diagnostic(p.location, p.code, p.severity,
                               f"{p.message} (named at {item.source})",
                               (*p.related, item.source)) for p in problems]
    return RenderedTemplate(item.name, templates.feature(item.name), text,
                            (*header.diagnostics, *problems), item.source)


def _join(texts: Iterable[str]) -> str:
    return "".join(t if t.endswith("\n") else t + "\n" for t in texts if t.strip())


def _shape_problems(parsed: Iterable[Diagnostic], rendered: Iterable[RenderedTemplate],
                    device: str) -> list[Diagnostic]:
    """What the parser said of the intended text, at the template whose output has that line
    (an unbalanced brace, a line nested too deep): a device would be sent the same text."""
    ranges: list[tuple[int, int, str]] = []  # each output's first line in the text, lines
    line = 1
    for item in rendered:
        if item.text.strip():
            count = item.text.count("\n") + (0 if item.text.endswith("\n") else 1)
            ranges.append((line, count, item.name))
            line += count
    found = []
    for diagnostic in parsed:
        at = diagnostic.location.line or 1
        first, count, name = next((r for r in reversed(ranges) if r[0] <= at), (1, 1, "?"))
        line = min(at - first + 1, count)  # "at end of file" is the output's last line
        found.append(Diagnostic(
            Location(TEMPLATE_DIR + name), diagnostic.code, diagnostic.severity,
            f"device {device}: intended config line {at} (line {line} of what {name} "
            f"renders): {diagnostic.message}"))
    return found


def _parse(text: str, platform: Any, device: str) -> ConfigTree | None:
    if not isinstance(platform, str):
        return None
    try:
        return parse(text, platform, path=f"<intended {device}>")
    except ValueError:  # an unknown dialect: the inventory reports it
        return None


# --- slices: what each feature owns, on the intended side and on any other tree -------------


@record
class FeatureSlice:
    """One feature of a device: its intended slice and, when given, the running one."""

    feature: Feature
    intended: ConfigTree
    running: ConfigTree | None = None
    claims: ConfigTree | None = None  # what it owns of the device's whole intended tree


def feature_slice(tree: ConfigTree, feature: Feature, rendered: Node | None = None) -> ConfigTree:
    """The part of `tree` a feature owns: the lines its matches select (in `tree` order), or,
    without a header, the lines that are also in `rendered` (the template's own output)."""
    out = ConfigTree(tree.dialect, tree.path)
    if feature.matches:
        _select(tree, feature.matches, 0, out)
    elif rendered is not None:
        _owned(tree, rendered, out)
    return out


def _select(node: Node, matches: tuple[Match, ...], depth: int, out: Node) -> None:
    for child in node.children:
        live = tuple(m for m in matches if m.line(depth, child.text))
        if not live:
            continue
        if any(depth >= len(m.levels) - 1 for m in live):
            out.adopt(child.copy())
            continue
        section = Node(child.text, child.line)
        section.tag = child.tag if child.tag is not None else CONTEXT
        _select(child, live, depth + 1, section)
        if section.children:
            out.adopt(section)


def _owned(node: Node, rendered: Node, out: Node) -> None:
    for child in node.children:
        mine = rendered.get(child.text)
        if mine is None:
            continue
        section = out.adopt(Node(child.text, child.line))
        if mine.children:
            _owned(child, mine, section)


class HeaderTimeout(Exception):
    """A template header's regex ran past its time budget; `diagnostic` (T114) says where."""

    def __init__(self, feature: Feature, exc: PatternTimeout, device: str) -> None:
        super().__init__(str(exc))
        pairs = zip(feature.expressions, feature.locations, strict=False)
        where = next((loc for expr, loc in pairs if exc.source in expr),
                     Location(TEMPLATE_DIR + feature.template))
        self.diagnostic = Diagnostic(where, "T114", Severity.ERROR,
                                     f"device {device}: match header: {exc}")


def feature_slices(result: RenderResult, running: ConfigTree | None = None,
                   ) -> Iterator[FeatureSlice]:
    """Per template that rendered cleanly, its intended slice (and `running`'s same slice).

    Nothing is yielded without a parsed intended tree (unknown platform). A header regex
    that runs past its time budget raises HeaderTimeout.
    """
    if result.tree is None:
        return
    for item in result.templates:
        if not item.ok:
            continue
        own = parse(item.text, result.tree.dialect) if item.feature.owns_rendered else None
        try:
            intended = own if own is not None else feature_slice(result.tree, item.feature)
            other = feature_slice(running, item.feature, own) if running is not None else None
            claims = (feature_slice(result.tree, item.feature, own) if own is not None
                      else intended)
        except PatternTimeout as exc:
            raise HeaderTimeout(item.feature, exc, result.device) from None
        yield FeatureSlice(item.feature, intended, other, claims)
