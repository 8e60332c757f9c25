"""Facts collected from devices: `state/<device>.yaml`, written by `unet pull`.

Policies read them as `derived.*` (the original μNet's name for collected state). The
schema is documented in docs/devices.md; a file that cannot be read is a warning and
the device simply has no facts.
"""

from __future__ import annotations

from typing import Any

from unet.core import Diagnostic, Location, Severity, record
from unet.inventory._yaml import Document, parse_yaml
from unet.source import Snapshot, SnapshotReadError, stem

__all__ = ["LLDP_FIELDS", "STATE_DIR", "STATE_FIELDS", "DeviceState", "StateFiles"]

STATE_DIR = "state/"
MAX_STATE_BYTES = 4 * 1024 * 1024
# Top-level keys of a state file, in the order `unet pull` writes them.
STATE_FIELDS = ("device", "platform", "collected_at", "hostname", "os_version", "model",
                "serial", "uptime", "uptime_seconds", "lldp_neighbors")
# Keys of each `lldp_neighbors` entry.
LLDP_FIELDS = ("local_interface", "neighbor", "neighbor_interface", "neighbor_device",
               "chassis_id", "management_address")


@record
class DeviceState:
    """One device's facts, and where each value is written (for findings)."""

    data: dict[str, Any]
    document: Document

    @property
    def path(self) -> str:
        return self.document.path

    def location(self, parts: tuple[Any, ...]) -> Location:
        """The line of a value; for a missing one, the nearest key above it."""
        return self.document.location(tuple(parts))


class StateFiles:
    """Each device's state file, read and parsed on first use."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.paths = {stem(p): p for p in snapshot.files(STATE_DIR)
                      if p.endswith(".yaml") and "/" not in p[len(STATE_DIR):]}
        self.diagnostics: list[Diagnostic] = []
        self._loaded: dict[str, DeviceState | None] = {}

    def path(self, device: str) -> str | None:
        return self.paths.get(device)

    def get(self, device: str) -> DeviceState | None:
        if device not in self._loaded:
            self._loaded[device] = self._load(device)
        return self._loaded[device]

    def _load(self, device: str) -> DeviceState | None:
        path = self.paths.get(device)
        if path is None:
            return None
        try:
            raw = self.snapshot.read(path)
        except SnapshotReadError as exc:
            self._warn(path, f"cannot read: {exc.reason}")
            return None
        if len(raw) > MAX_STATE_BYTES:
            self._warn(path, "larger than 4 MiB; not read")
            return None
        document, problems = parse_yaml(raw, path)
        if document is None or problems:
            reason = problems[0].message if problems else "empty"
            self._warn(path, f"not a state file ({reason}); run `unet pull {device}`")
            return None
        if not isinstance(document.data, dict):
            self._warn(path, "not a state file (not a mapping)")
            return None
        return DeviceState(document.data, document)

    def _warn(self, path: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(Location(path), "U131", Severity.WARNING, message))
