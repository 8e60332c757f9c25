"""The deployment record: one JSON-lines file per `unet deploy` run, written as the run
goes (a run that dies half-way still leaves what it did), every device text masked
with the dialect's secret table.

    state/deployments/20261202T130501.413207Z-4f2a.jsonl

Each line is one event: `run` (options, devices), then per device `plan`,
`preflight`, `apply` (each line sent and the device's answer), `verify`, `rollback`
and `result`, and a final `summary`. docs/deploy.md describes the fields.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from unet.config import mask_secrets
from unet.devices._errors import DeviceError

__all__ = ["RECORD_DIR", "Record", "masked"]

RECORD_DIR = "state/deployments"
RECORD_VERSION = 1


def masked(text: str, platform: str | None) -> str:
    """`text` with every secret the dialect's table knows replaced by the mask."""
    return mask_secrets(text, platform) if text else text


class Record:
    """Appends events to the run's file; thread-safe (devices deploy in parallel)."""

    def __init__(self, root: Path, *, now: datetime | None = None) -> None:
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S.%fZ")  # sorts by run
        self.path = root / RECORD_DIR / f"{stamp}-{secrets.token_hex(2)}.jsonl"
        self.relative = self.path.relative_to(root).as_posix()
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("x", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise DeviceError("D240", f"cannot write the deployment record {self.relative}: "
                                      f"{exc.strerror or exc}") from None

    def write(self, event: str, **fields: Any) -> None:
        line = json.dumps({"event": event, "version": RECORD_VERSION,
                           "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                           **fields}, sort_keys=False, default=str)
        with self._lock:
            self._file.write(line + "\n")
            self._file.flush()
            os.fsync(self._file.fileno())

    def close(self) -> None:
        with self._lock:
            self._file.close()
