"""Running (backup) configurations: `configs/<device>.<ext>`, parsed in the device's dialect."""

from __future__ import annotations

from unet.config import ConfigTextError, ConfigTree, decode_config, parse
from unet.core import Diagnostic, Location, Severity
from unet.source import Snapshot, SnapshotReadError, stem

__all__ = ["CONFIG_DIR", "RunningConfigs"]

CONFIG_DIR = "configs/"
MAX_CONFIG_BYTES = 32 * 1024 * 1024
_KEEP = 64  # parsed trees kept for reuse; a fleet's worth would hold millions of lines


class RunningConfigs:
    """Finds and parses each device's running configuration once, on first use."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.diagnostics: list[Diagnostic] = []
        self.paths: dict[str, str] = {}
        for path in snapshot.files(CONFIG_DIR):
            name = stem(path)
            if name.startswith(".") or "/" in path[len(CONFIG_DIR):]:
                continue
            if name in self.paths:
                self._warn(path, "C300", f"two running configs for '{name}'; using "
                           f"{self.paths[name]}")
                continue
            self.paths[name] = path
        self._trees: dict[str, ConfigTree | None] = {}
        self._reported: set[str] = set()

    def path(self, device: str) -> str | None:
        return self.paths.get(device)

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
        except SnapshotReadError as exc:
            self._warn(path, "C301", f"cannot read: {exc.reason}")
            return None
        if len(data) > MAX_CONFIG_BYTES:
            self._warn(path, "C301", "not a text configuration (larger than 32 MiB)")
            return None
        try:
            text = decode_config(data)
        except ConfigTextError as exc:
            self._warn(path, "C301", f"not a text configuration ({exc.reason})")
            return None
        if not text.strip():
            self._warn(path, "C302", "running configuration is empty")
            return None
        tree = parse(text, platform, path=path)
        if device not in self._reported:  # parsed again later: warn once
            self._reported.add(device)
            self.diagnostics.extend(tree.diagnostics)
        return tree

    def _warn(self, path: str, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(Location(path), code, Severity.WARNING, message))
