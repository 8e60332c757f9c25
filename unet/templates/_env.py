"""The Jinja2 environment: sandboxed, strict, reading templates through a Snapshot.

Choices (documented in docs/templates.md):

- `ImmutableSandboxedEnvironment`: the sandbox blocks `__class__`/`__mro__`-style escapes and,
  being immutable, also `list.append`/`dict.update` on the device's data, which is shared.
- `StrictUndefined`: a misspelt variable is an error, never an empty string.
- `trim_blocks` + `lstrip_blocks`: `{% for %}`/`{% if %}` lines leave no blank lines or stray
  indentation, so templates read like the configuration they produce.
- `keep_trailing_newline`, `autoescape=False`: configuration text is not HTML.

Compiled code is cached per process by template path and blob id, so a template is compiled
once however many devices, snapshots or revisions use the same content.
"""

from __future__ import annotations

import operator
import posixpath
import re
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

from jinja2 import (
    BaseLoader,
    Environment,
    StrictUndefined,
    Template,
    TemplateNotFound,
    nodes,
    pass_context,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import missing

from unet.config import DEVICE_CONTROL
from unet.core import printable
from unet.source import Snapshot, SnapshotReadError, blob_id
from unet.templates._bounds import (
    BoundedNamespace,
    RenderLimit,
    bound_filter,
    bounded_filters,
    bounded_iter,
    bounded_lipsum,
    bounded_range,
    check_call,
    check_concat,
    check_deadline,
    check_format,
    check_format_args,
    check_literal,
    check_printed,
    check_product,
    check_result,
    check_substitution,
    check_sum,
)
from unet.templates._filters import FILTERS, interface_canonical, interface_short

__all__ = [
    "CODES",
    "MAX_OUTPUT",
    "TEMPLATE_DIR",
    "ControlCharacter",
    "TemplateEnvironment",
    "TemplateNotUtf8",
    "TemplateRefused",
    "lookup",
    "make_environment",
    "template_frame",
    "template_path",
    "undefined_reference",
]

TEMPLATE_DIR = "templates/"
# Bounds on one template's work: output characters, and `*`/`**` results in expressions.
MAX_OUTPUT = 5_000_000
_MAX_POWER = 10**100

_CODE_CACHE: dict[tuple[str, str], Any] = {}


class ControlCharacter(Exception):
    """A printed value holds a character a device would act on (T116); raised where it is
    printed, so the template frame in the traceback is the line that prints it."""

    def __init__(self, value: str, position: int) -> None:
        super().__init__(f"a printed value has {printable(value[position])}")
        self.value = value
        self.position = position


@pass_context  # a context function is never called at compile time, on constants
def refuse_control(context: Any, value: Any) -> Any:
    """Jinja's `finalize`, applied to the value of every `{{ … }}`."""
    check_printed(value)
    if isinstance(value, str):
        found = DEVICE_CONTROL.search(value)
        if found is not None:
            raise ControlCharacter(value, found.start())
    return value


class TemplateNotUtf8(TemplateNotFound):
    """A template file that is not UTF-8 text (reported, not rendered)."""


class TemplateRefused(TemplateNotFound):
    """A template the snapshot refuses to read (a symlink into .git/, out of the
    repository...): reported with the snapshot's code, never rendered."""

    def __init__(self, name: str, message: str, code: str) -> None:
        super().__init__(name, message)
        self.code = code


def template_path(name: str) -> str:
    """The repo path of a template name, refusing anything that leaves `templates/`."""
    if "\\" in name or name.startswith("/") or not name:
        raise TemplateNotFound(name, f"{name!r} is not a path under templates/")
    if ".." in name.split("/"):
        raise TemplateNotFound(name, f"{name!r} points outside templates/")
    return TEMPLATE_DIR + posixpath.normpath(name)


class SnapshotLoader(BaseLoader):
    """Templates under `templates/` of a snapshot; includes resolve from there too."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        # A snapshot does not change: read each template once.
        self._read: dict[str, tuple[str, str, str]] = {}

    def read(self, name: str) -> tuple[str, str, str]:
        """(source, repo path, blob id) of a template name."""
        found = self._read.get(name)
        if found is None:
            found = self._read[name] = self._read_file(name)
        return found

    def sources(self) -> Mapping[str, tuple[str, str, str]]:
        """Every template read so far: name -> (source, repo path, blob id)."""
        return self._read

    def source_line(self, path: str, line: int) -> str:
        """One line of a template already read (for error messages), or ''."""
        found = self._read.get(path.removeprefix(TEMPLATE_DIR))
        lines = found[0].splitlines() if found else []
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def _read_file(self, name: str) -> tuple[str, str, str]:
        path = template_path(name)
        try:
            data = self.snapshot.read(path)
        except SnapshotReadError as exc:
            if exc.code is not None:
                raise TemplateRefused(name, f"template {name!r} {exc.reason}", exc.code) from None
            raise TemplateNotFound(name, f"template {name!r} not found under templates/") from None
        try:
            return data.decode("utf-8"), path, blob_id(data)
        except UnicodeDecodeError:
            raise TemplateNotUtf8(name, f"template {name!r} is not UTF-8 text") from None

    def get_source(self, environment: Environment, template: str,
                   ) -> tuple[str, str, Callable[[], bool]]:
        source, path, _ = self.read(template)
        return source, path, lambda: True

    def load(self, environment: Environment, name: str,
             globals: MutableMapping[str, Any] | None = None) -> Template:
        source, path, blob = self.read(name)
        key = (path, blob)
        code = _CODE_CACHE.get(key)
        if code is None:
            code = _CODE_CACHE[key] = environment.compile(source, name, path)
        return environment.template_class.from_code(environment, code, globals or {},
                                                    lambda: True)

    def list_templates(self) -> list[str]:
        return [p.removeprefix(TEMPLATE_DIR) for p in self.snapshot.files(TEMPLATE_DIR)]


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's compiler, with `a ~ b` measured before it is joined (the sandbox has no hook
    for `~` as it has for `*`)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"{join}(environment.check_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")))")

    # A list, tuple or dict literal is measured once built: `[x, x]` nested in a loop is
    # small in memory, yet comparing or hashing it walks every shared part again.
    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self.write("environment.check_literal(")
        super().visit_List(node, frame)
        self.write(")")

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self.write("environment.check_literal(")
        super().visit_Dict(node, frame)
        self.write(")")

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx != "load":  # `{% for a, b in … %}`: a target, not a value
            super().visit_Tuple(node, frame)
            return
        self.write("environment.check_literal(")
        super().visit_Tuple(node, frame)
        self.write(")")

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        # Every loop checks the deadline as it goes: `{% for a in s %}{% for b in s %}` over
        # a long string makes no call the other checks would see.
        node.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_iter"), [node.iter], [],
                               None, None, lineno=node.lineno)
        super().visit_For(node, frame)


class TemplateEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with `*`, `**`, `%`, `+` and `~`, every call and every filter bounded so
    one expression cannot exhaust memory."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    # Called by the compiled code as `environment.check_concat(…)`, `….bounded_iter(…)`.
    check_concat = staticmethod(check_concat)
    check_literal = staticmethod(check_literal)
    bounded_iter = staticmethod(bounded_iter)

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "+":
            check_sum(left, right)
            return check_result(operator.add(left, right), "adding with +")
        if operator_ == "%":
            check_format(left)
            check_substitution(left, right, "%")
            return check_result(operator.mod(left, right), "%")
        if operator_ == "**":
            if isinstance(right, int) and abs(right) > 1000 and abs(left) > 1:
                raise RenderLimit("T112", f"an exponent of {right} (over 1000) is too large")
            result = operator.pow(left, right)
            if isinstance(result, int) and abs(result) > _MAX_POWER:
                raise RenderLimit("T112", "a power over 10^100 is too large")
            return result
        check_product(left, right)
        return check_result(operator.mul(left, right), "repeating a sequence")

    def call(__self, __context: Any, __obj: Any, *args: Any,
             **kwargs: Any) -> Any:
        check_call(__obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        return check_result(result, f"the result of {getattr(__obj, '__name__', 'a call')}")

    def getattr(self, obj: Any, attribute: str) -> Any:
        check_deadline()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        check_deadline()  # also every item a filter looks up by `attribute=`
        return super().getitem(obj, argument)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        text = getattr(value, "__self__", None)
        check_format(text)
        wrapped = super().wrap_str_format(value)
        if wrapped is None or not isinstance(text, str):
            return wrapped

        def checked(*args: Any, **kwargs: Any) -> str:
            check_format_args(text, args, kwargs)
            check_substitution(text, [*args, *kwargs.values()], "str.format")
            return wrapped(*args, **kwargs)
        return checked


class LookupFailed(UndefinedError):
    """A misspelt name or key, with the object it was looked up in (`i.descripton` in a
    loop: the interface's keys are the suggestions, not the template's variables)."""

    def __init__(self, message: str | None, within: Any) -> None:
        super().__init__(message)
        self.within = within


class _Undefined(StrictUndefined):
    __slots__ = ()

    def __init__(self, hint: str | None = None, obj: Any = missing, name: str | None = None,
                 exc: type[UndefinedError] = UndefinedError) -> None:
        def failed(message: str | None) -> UndefinedError:
            return LookupFailed(message, obj if obj is not missing else None)

        # The sandbox's own (SecurityError for `__class__`) is kept.
        super().__init__(hint, obj, name,
                         failed if exc is UndefinedError else exc)  # type: ignore[arg-type]


def _platform_filter(function: Callable[..., str]) -> Callable[..., str]:
    """Default the platform of an interface filter to the device's own."""
    @pass_context
    def wrapped(context: Any, name: Any, platform: str | None = None) -> str:
        return function(name, platform or context.get("platform"))

    wrapped.__doc__ = function.__doc__
    return wrapped


def make_environment(snapshot: Snapshot) -> TemplateEnvironment:
    env = TemplateEnvironment(
        loader=SnapshotLoader(snapshot),
        undefined=_Undefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        # No constant folding at compile time: nothing of an untrusted template is
        # evaluated before it renders, and compiling is a third faster.
        optimized=False,
        finalize=refuse_control,
    )
    env.filters.update(FILTERS)
    env.filters.update(bounded_filters())
    env.globals["range"] = bounded_range
    env.globals["namespace"] = BoundedNamespace
    env.globals["lipsum"] = bounded_lipsum
    env.filters["interface_canonical"] = _platform_filter(interface_canonical)
    env.filters["interface_short"] = _platform_filter(interface_short)
    # unet's own filters all read their value as text
    env.filters = {name: bound_filter(name, f, text=name in FILTERS)
                   for name, f in env.filters.items()}
    return env


# --- Jinja's exceptions → diagnostics, at the one layer that calls Jinja ----------------------

CODES = {
    "not_found": "T101",
    "syntax": "T102",
    "undefined": "T103",
    "include": "T104",
    "filter": "T105",
    "sandbox": "T106",
    "limit": "T107",
    "runtime": "T109",
    "encoding": "T110",
    "control": "T116",
}

_UNDEFINED_NAME = re.compile(
    r"has no attribute '(?P<attr>[^']+)'|^'(?P<var>[^']+)' is undefined|has no element (?P<el>.+)$"
)
_REFERENCE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[^\[\]]*\])*")


def template_frame(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template file and line in a (Jinja-rewritten) traceback."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(TEMPLATE_DIR):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def undefined_reference(message: str, line: str) -> tuple[str, int] | None:
    """("node.vars.ntp_servrs", 0-based column) for an UndefinedError, from the source line."""
    found = _UNDEFINED_NAME.search(message)
    if not found:
        return None
    name = (found.group("attr") or found.group("var") or found.group("el") or "").strip()
    tail = re.compile(rf"(?:^|\.){re.escape(name)}\b|\[['\"]?{re.escape(name)}['\"]?\]")
    for reference in _REFERENCE.finditer(line):
        hit = tail.search(reference.group())
        if hit and (found.group("var") is None or hit.start() == 0):
            return reference.group()[: hit.end()], reference.start()
    return None


def lookup(context: Mapping[str, Any], reference: str) -> Any:
    """The value of a dotted reference in the render context, or None."""
    value: Any = context
    for part in reference.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value
