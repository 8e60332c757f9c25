"""Running (backup) configurations: `configs/<device>.<ext>`, parsed in the device's dialect."""

from __future__ import annotations

from collections.abc import Iterable

from unet.config import ConfigTree, parse
from unet.core import Diagnostic, Location, Severity
from unet.source import Snapshot, SnapshotReadError, stem

__all__ = ["CONFIG_DIR", "RunningConfigs", "running_config_paths"]

CONFIG_DIR = "configs/"
PREFERRED_SUFFIX = ".cfg"  # what `unet pull` writes
MAX_CONFIG_BYTES = 32 * 1024 * 1024
_KEEP = 64  # parsed trees kept for reuse; a fleet's worth would hold millions of lines


class RunningConfigs:
    """Finds and parses each device's running configuration once, on first use."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.paths, found = running_config_paths(snapshot.files(CONFIG_DIR))
        self.diagnostics: list[Diagnostic] = list(found)
        self._trees: dict[str, ConfigTree | None] = {}
        self._reported: set[str] = set()

    def path(self, device: str) -> str | None:
        return self.paths.get(device)

    def problems(self, device: str) -> list[Diagnostic]:
        """What reading this device's running config reported so far (C300 aside)."""
        path = self.paths.get(device)
        return [d for d in self.diagnostics if d.location.path == path and d.code != "C300"]

    def tree(self, device: str, platform: str | None) -> ConfigTree | None:
        """The parsed configuration, or None when the device has none (or it is unreadable).

        Recently parsed trees are reused; older ones are parsed again if asked for.
        """
        if device in self._trees:
            self._trees[device] = self._trees.pop(device)  # most recently used last
            return self._trees[device]
        tree = self._trees[device] = self._load(device, platform)
        if len(self._trees) > _KEEP:
            del self._trees[next(iter(self._trees))]
        return tree

    def _load(self, device: str, platform: str | None) -> ConfigTree | None:
        path = self.paths.get(device)
        if path is None or platform is None:
            return None
        try:
            data = self.snapshot.read(path)
        except SnapshotReadError as exc:  # a refused symlink (exc.code) is an error
            self._warn(path, exc.code or "C301", f"cannot read: {exc.reason}",
                       Severity.ERROR if exc.code else Severity.WARNING)
            return None
        if len(data) > MAX_CONFIG_BYTES or b"\0" in data[:8192]:
            self._warn(path, "C301", "not a text configuration (binary or larger than 32 MiB)")
            return None
        text = data.decode("utf-8", errors="replace")
        if not text.strip():
            self._warn(path, "C302", "running configuration is empty")
            return None
        tree = parse(text, platform, path=path)
        if device not in self._reported:  # parsed again later: warn once
            self._reported.add(device)
            self.diagnostics.extend(tree.diagnostics)
        return tree

    def _warn(self, path: str, code: str, message: str,
              severity: Severity = Severity.WARNING) -> None:
        self.diagnostics.append(Diagnostic(Location(path), code, severity, message))


def running_config_paths(paths: Iterable[str]) -> tuple[dict[str, str], list[Diagnostic]]:
    """Which file is each device's running config, and a C300 for every other file that
    could be taken for one: the one function the reader and the index both use.

    A device's running config is `configs/<name>.<anything>` at the top of configs/
    (`.cfg` preferred, else the first by name); sub-folders (`configs/old/`) and hidden
    files are never read, so archives can live there.
    """
    candidates: dict[str, list[str]] = {}
    for path in sorted(paths):
        rest = path[len(CONFIG_DIR):]
        if not path.startswith(CONFIG_DIR) or "/" in rest or rest.startswith("."):
            continue
        candidates.setdefault(stem(path), []).append(path)
    chosen: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for name, found in candidates.items():
        preferred = f"{CONFIG_DIR}{name}{PREFERRED_SUFFIX}"
        chosen[name] = preferred if preferred in found else found[0]
        problems += [Diagnostic(Location(path), "C300", Severity.WARNING,
                                f"another file for device '{name}' in configs/; its running "
                                f"config is {chosen[name]} (remove this one, or move it into a "
                                "sub-folder such as configs/old/)")
                     for path in found if path != chosen[name]]
    return chosen, problems
