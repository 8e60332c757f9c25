"""What `unet pull` writes: configs and state files, cleaned, scrubbed and written
atomically (a temporary file renamed over the old one), and only when they changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from unet.config import get_dialect, mask_secrets
from unet.devices._errors import DeviceError
from unet.inventory import STATE_FIELDS
from unet.paths import write_replacing

__all__ = ["clean_config", "read_text", "same_facts", "state_text", "write_atomic"]

# Facts that change on every pull without anything having changed.
_VOLATILE = ("collected_at", "uptime", "uptime_seconds")


def clean_config(text: str, platform: str, *, scrub: bool) -> str:
    """The configuration as stored: one line ending, no trailing blanks, no noise lines
    (the dialect's noise rules: banners of `show running-config`, timestamps), secrets
    masked when `scrub`."""
    rules = get_dialect(platform)
    noise = set(rules.noise_lines)
    prefixes = rules.noise_prefixes
    lines = [raw.rstrip() for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    # Volatile lines anywhere at the top level; the output's frame (`Building
    # configuration...`, `end`) only around the configuration, not inside a banner.
    kept = [line for line in lines
            if not (prefixes and line[:1] not in ("", " ") and line.startswith(prefixes))]

    def framing(line: str) -> bool:
        return not line.strip("!").strip() or line in noise

    while kept and framing(kept[0]):
        kept.pop(0)
    while kept and framing(kept[-1]):
        kept.pop()
    body = "\n".join(kept) + "\n" if kept else ""
    return mask_secrets(body, platform) if scrub and body else body


def read_text(path: Path) -> str | None:
    """A stored file's text, or None when there is none (or it cannot be read)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` so that readers see the old file or the new one, whole."""
    try:
        write_replacing(path, text, durable=True)
    except OSError as exc:
        raise DeviceError("D130", f"cannot write {path.parent.name}/{path.name}: "
                                  f"{exc.strerror or exc}") from None


def state_text(facts: dict[str, Any]) -> str:
    """A state file: the schema's keys in order, a header saying where it comes from."""
    ordered = {key: facts.get(key) for key in STATE_FIELDS}
    body = yaml.safe_dump(ordered, sort_keys=False, default_flow_style=False,
                          allow_unicode=True, width=100)
    return ("# Facts collected from the device by `unet pull` (docs/devices.md); policies "
            "read them as derived.*\n" + body)


def same_facts(old_text: str | None, new: dict[str, Any]) -> bool:
    """Whether the stored facts equal `new` apart from what changes on every pull."""
    if old_text is None:
        return False
    try:
        old = yaml.safe_load(old_text)
    except yaml.YAMLError:
        return False
    if not isinstance(old, dict):
        return False

    def stable(data: dict[str, Any]) -> dict[str, Any]:
        return {k: data.get(k) for k in STATE_FIELDS if k not in _VOLATILE}

    return stable(old) == stable(new)

