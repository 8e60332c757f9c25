"""`unet config convert`, and the config-file loading shared by `unet slice` and `unet diff`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from unet.cli._app import App

if TYPE_CHECKING:
    from unet.config import ConfigTree
    from unet.core import Diagnostic

pass_app = click.make_pass_decorator(App)

__all__ = ["config", "load_config", "read_config_text", "warn"]

def read_config_text(path: str) -> str:
    """A config file's text (`-` is stdin); missing, unreadable, empty or binary files are
    UnetError (exit 2) naming the file."""
    from pathlib import Path

    from unet.core import UnetError

    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise UnetError(f"{path}: no such file", [_error(path, "no such file")]) from None
    except IsADirectoryError:
        raise UnetError(f"{path}: is a directory, not a config file") from None
    except OSError as exc:
        message = f"{path}: cannot read: {exc.strerror}"
        raise UnetError(message, [_error(path, "cannot read")]) from None
    return _decode(path, data)


def _decode(path: str, data: bytes) -> str:
    from unet.config import ConfigTextError, decode_config
    from unet.core import UnetError

    try:
        text = decode_config(data)
    except ConfigTextError as exc:
        raise UnetError(f"{path}: {exc.reason}",
                        [_error(path, exc.reason, exc.line, exc.col)]) from None
    if not text.strip():
        raise UnetError(f"{path}: the file is empty", [_error(path, "empty file")])
    return text


def _error(path: str, message: str, line: int = 0, col: int = 0) -> Diagnostic:
    from unet.core import Diagnostic, Location, Severity

    return Diagnostic(Location(path, line, col), "C100", Severity.ERROR, message)


def load_config(
    app: App, path: str, platform: str | None, *, text: str | None = None
) -> ConfigTree:
    """Read and parse one config; platform detected when not given; warnings on stderr."""
    from unet.config import detect_dialect, parse
    from unet.core import UnetError, has_errors

    text = read_config_text(path) if text is None else text
    name = _platform(platform) if platform else _detect(app, path, text, detect_dialect)
    tree = parse(text, name, path=path)
    warn(app, tree.diagnostics)
    if has_errors(tree.diagnostics):  # e.g. nested too deep: never act on a cut tree
        raise UnetError(f"{path}: cannot be used as it is", [])
    return tree


def _platform(name: str) -> str:
    from unet.config import get_dialect
    from unet.core import UnetError

    try:
        return get_dialect(name).name
    except ValueError as exc:
        raise UnetError(str(exc)) from None


def _detect(app: App, path: str, text: str, detect: object) -> str:
    from unet.core import Diagnostic, Location, Severity

    found = detect(text)  # type: ignore[operator]
    if not found.certain and (known := _repository_platform(path)) is not None:
        return known
    if not found.certain:
        scores = ", ".join(f"{k}={v}" for k, v in sorted(found.scores.items()) if v)
        message = (f"platform unclear ({scores or 'no signature matched'}); assuming "
                   f"{found.name}; pass --platform to be sure")
        warn(app, [Diagnostic(Location(path, 1, 1), "C104", Severity.WARNING, message)])
    return str(found.name)


def _repository_platform(path: str) -> str | None:
    """The platform of the device whose stored running configuration `path` is."""
    from pathlib import Path

    from unet.cli._app import find_repo_root
    from unet.core import UnetError
    from unet.inventory import platform_of_config

    if path == "-":
        return None
    root = find_repo_root(Path(path).parent)
    if root is None:
        return None
    try:
        return platform_of_config(root, Path(path))
    except UnetError:  # a repository that cannot be read says nothing about this file
        return None


def warn(app: App, diagnostics: list[Diagnostic]) -> None:
    if app.verbosity < 0:
        return
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)


@click.group()
def config() -> None:
    """Work with device configuration files."""


@config.command()
@click.argument("file", type=str)
@click.option("--to", "form", type=click.Choice(["set", "brace"]), required=True,
              help="Target JunOS form.")
@pass_app
def convert(app: App, file: str, form: str) -> int:
    """Convert a JunOS configuration between brace and `set` forms (stdout)."""
    from unet.config import detect_dialect, emit
    from unet.core import UnetError

    text = read_config_text(file)
    # Another platform's config read as JunOS is a warning on every line, then nonsense.
    other = _repository_platform(file)
    if other is None:
        found = detect_dialect(text)
        other = found.name if found.certain and not found.scores.get("junos") else None
    if other is not None and other != "junos":
        raise UnetError(f"{file}: not a JunOS configuration (it is {other}); `unet config "
                        "convert` converts JunOS between its brace and `set` forms")
    tree = load_config(app, file, "junos", text=text)
    if not tree.children:
        raise UnetError(f"{file}: no JunOS configuration found")
    sys.stdout.write(emit(tree, form=form))
    return 0
