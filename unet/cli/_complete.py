"""Shell completion helpers: device names from the repository, and PowerShell.

Every TAB press runs `unet` once, so completion is as fast as startup: this module
imports only click and the standard library, and lists device names from file
names under `devices/` (the file stem is the device name) without reading YAML.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

import click
from click.shell_completion import CompletionItem, ZshComplete

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["PowerShellComplete", "complete_devices", "complete_groups", "complete_locations",
           "device_names"]

_SUFFIXES = (".yaml", ".yml")


def device_names(root: Path | str, folder: str = "devices") -> list[str]:
    """Sorted device names under `root/devices` (or the names of `folder`'s files: groups,
    locations), from file stems (hidden entries skipped)."""
    names: set[str] = set()
    stack = [os.path.join(root, folder)]
    while stack:
        try:
            entries = os.scandir(stack.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.name.endswith(_SUFFIXES):
                    names.add(entry.name.rsplit(".", 1)[0])
    return sorted(names)


def _repo_root(ctx: click.Context) -> Path | None:
    # The root command's callback does not run while completing, so read the parsed
    # --repo (or UNET_REPO) from the root context, else search upward as commands do.
    from pathlib import Path

    from unet.cli._app import MARKER, find_repo_root

    repo = ctx.find_root().params.get("repo")
    if repo:
        path = Path(repo)
        return path if (path / MARKER).is_file() else None
    return find_repo_root(Path.cwd())


def complete_devices(ctx: click.Context, param: click.Parameter,
                     incomplete: str) -> list[CompletionItem]:
    """`shell_complete` callback for DEVICE arguments.

    Offers the repository's device names not already on the command line; a word
    that looks like a path (or matches no device) completes as a file instead,
    because `check` takes changed files and `diff` two config files.
    """
    if "/" in incomplete or os.sep in incomplete or incomplete.startswith((".", "~")):
        return [CompletionItem(incomplete, type="file")]
    root = _repo_root(ctx)
    if root is None:
        return [CompletionItem(incomplete, type="file")]
    given = ctx.params.get(param.name or "") or ()
    if isinstance(given, str):  # a single-value argument (devices show NAME)
        given = ()
    matches = [CompletionItem(name) for name in device_names(root)
               if name.startswith(incomplete) and name not in given]
    return matches or [CompletionItem(incomplete, type="file")]


Completer = Callable[[click.Context, click.Parameter, str], list[CompletionItem]]


def _named(folder: str) -> Completer:
    """Completion from the file names of `folder` (group and location names, as devices)."""
    def complete(ctx: click.Context, param: click.Parameter,
                 incomplete: str) -> list[CompletionItem]:
        root = _repo_root(ctx)
        names = device_names(root, folder) if root is not None else []
        return [CompletionItem(n) for n in names if n.startswith(incomplete)]

    return complete


complete_groups = _named("groups")
complete_locations = _named("locations")


class PowerShellComplete(ZshComplete):
    """PowerShell (pwsh 7 and Windows PowerShell 5.1), which Click does not ship.

    The script asks unet with the zsh instruction (`zsh_complete`: type, value and
    help, one per line), which Click answers without this class being registered; so
    completing costs no more than for the other shells, and the root command needs no
    hook. The class exists for `unet completion powershell` (the script itself).
    """

    name = "powershell"
    source_template = r"""# unet completion for PowerShell; load it from your $PROFILE:
#   unet completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName %(prog_name)s -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $line = $commandAst.ToString()
    $end = $cursorPosition - $commandAst.Extent.StartOffset
    $line = $line.Substring(0, [Math]::Min($line.Length, $end))
    $words = @($commandAst.CommandElements |
        Where-Object { $_.Extent.StartOffset -lt $cursorPosition })
    $cword = $words.Count
    if ($wordToComplete) { $cword -= 1 }
    $env:COMP_WORDS = $line
    $env:COMP_CWORD = "$cword"
    $env:%(complete_var)s = "zsh_complete"
    $out = @(& %(prog_name)s 2>$null)
    Remove-Item Env:COMP_WORDS, Env:COMP_CWORD, Env:%(complete_var)s -ErrorAction SilentlyContinue
    for ($i = 0; $i + 2 -lt $out.Count; $i += 3) {
        $type = $out[$i]; $value = $out[$i + 1] -replace '\\:', ':'; $help = $out[$i + 2]
        # file/dir: return nothing, so PowerShell falls back to its own path completion
        if ($type -ne 'plain') { continue }
        if ($help -eq '_') { $help = $value }
        [System.Management.Automation.CompletionResult]::new(
            $value, $value, 'ParameterValue', $help)
    }
}
"""
