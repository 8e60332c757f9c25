"""The object every command receives: where the repository is, how to print, how loud.

Kept free of heavy imports (no dataclasses, pathlib or rich at import time): every
command module imports it, and `unet --help` imports every command module.
"""

from __future__ import annotations

import os
import sys
from typing import IO, TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

__all__ = ["App", "ColorMode", "find_repo_root"]

ColorMode = Literal["auto", "always", "never"]
MARKER = "unet.yaml"


def find_repo_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` that holds `unet.yaml`."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / MARKER).is_file():
            return candidate
    return None


class App:
    """Global options, resolved once, shared by every command (`click.make_pass_decorator`)."""

    def __init__(self, repo_option: str | None = None, color: ColorMode = "auto",
                 verbosity: int = 0) -> None:
        self.repo_option = repo_option
        self.color = color
        self.verbosity = verbosity
        self._consoles: dict[str, Any] = {}

    @property
    def repo_root(self) -> Path:
        """The repository root, or a UnetError that says how to point unet at one."""
        from pathlib import Path

        from unet.core import UnetError

        if self.repo_option:
            root = Path(self.repo_option)
            # --repo or UNET_REPO: name the one that was used
            given = "--repo" if _from_option() else "UNET_REPO"
            if not root.is_dir():
                what = "does not exist" if not root.exists() else "is not a directory"
                raise UnetError(f"{root} {what} (from {given})")
            if not (root / MARKER).is_file():
                raise UnetError(f"{root} is not a unet repository (no {MARKER}); "
                                f"create one with `unet init` or fix {given}")
            return root.resolve()
        found = find_repo_root(Path.cwd())
        if found is None:
            raise UnetError(
                f"not inside a unet repository: no {MARKER} in {Path.cwd()} or any parent; "
                "run `unet init`, cd into your network repository, or pass --repo PATH")
        return found

    def console(self, name: Literal["stdout", "stderr"] = "stdout") -> Console:
        """A rich console for one stream, made on first use (rich is heavy to import)."""
        if name not in self._consoles:
            from rich.console import Console

            stream = sys.stdout if name == "stdout" else sys.stderr
            self._consoles[name] = Console(
                file=stream,
                force_terminal=True if self.color == "always" else None,
                no_color=self.color == "never" or "NO_COLOR" in os.environ,
                highlight=False,
                soft_wrap=True,
            )
        console: Console = self._consoles[name]
        return console

    def styled(self, stream: IO[str] | None = None) -> bool:
        """Whether `stream` (default stdout) gets colour and decorations."""
        if self.color == "never" or "NO_COLOR" in os.environ:
            return False
        return self.color == "always" or (stream or sys.stdout).isatty()

    def log(self, message: str, *, level: int = 0) -> None:
        """A progress or summary line on stderr, shown when verbosity >= level."""
        if self.verbosity >= level:
            from unet.core import printable  # a device or file may have put controls in it

            print(printable(message), file=sys.stderr)


def _from_option() -> bool:
    """Whether the repository came from `--repo` rather than `UNET_REPO`."""
    import click

    context = click.get_current_context(silent=True)
    root = context.find_root() if context is not None else None
    if root is None:
        return True
    source = root.get_parameter_source("repo")
    return source is not click.core.ParameterSource.ENVIRONMENT
