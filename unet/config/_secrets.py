"""Secrets in configuration text and data: one table, used wherever text leaves unet.

`unet serve` masks with it, `unet pull` scrubs backups with it before they are
written, and deployment records are masked with it. The table is data: which
token after which keyword is the secret.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["MASK", "SECRET_KEYS", "SECRET_LINES", "mask_data", "mask_secrets", "secret_key"]

MASK = "********"

# A key whose name looks like a secret has its value replaced, whatever the value is.
SECRET_KEYS = re.compile(
    r"password|passwd|secret|community|token|(?:^|[^a-z])key(?:[^a-z]|$)", re.IGNORECASE)

# Config lines: (what to look for, group holding the secret). Quoted JunOS values count
# as one token.
_VALUE = r'("[^"]*"|[^\s;{]+)'
SECRET_LINES: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"^(.*?\s)" + _VALUE + r"(;?\s*## SECRET-DATA)",  # JunOS marks secrets itself
    r"(\bencrypted-password\s+)" + _VALUE,
    r"(\b(?:password|secret)\s+(?:\d+\s+)?)" + _VALUE,
    # snmp-server community X (IOS), community X (JunOS); not BGP communities (`set community
    # 65000:1`, `match community LIST`, `send-community both`), which are routing data.
    r"((?<![-\w])(?<!set )(?<!match )community\s+)" + _VALUE,
    r"(\b(?:key-string|authentication-key|pre-shared-key|md5)\s+(?:\d+\s+)?)" + _VALUE,
    r"(\b(?:tacacs-server|radius-server|server)\b.*?\bkey\s+(?:\d+\s+)?)" + _VALUE,
))


def secret_key(name: str) -> bool:
    """Whether a data key's name says its value is a secret (`password`, `snmp_community`)."""
    return SECRET_KEYS.search(name) is not None


def mask_data(value: Any) -> Any:
    """A copy of a JSON-like value with every secret-looking key's value masked."""
    if isinstance(value, Mapping):
        return {k: MASK if isinstance(k, str) and secret_key(k) and v is not None
                else mask_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_data(v) for v in value]
    return value


def mask_secrets(text: str, dialect: object = None) -> str:
    """Config text with the secret part of each secret line replaced by `MASK`.

    `dialect` (a name or a `DialectRules`) picks the dialect's own rows; `None` applies
    the rows of every dialect, for text whose dialect is not known.
    """
    del dialect  # every row applies to every dialect for now
    return "\n".join(_mask_line(line) for line in text.split("\n"))


def _mask_line(line: str) -> str:
    for pattern in SECRET_LINES:
        line = pattern.sub(_mask, line)
    return line


def _mask(match: re.Match[str]) -> str:
    groups = match.groups()
    secret = match.group(2)
    masked = MASK if not secret.startswith('"') else f'"{MASK}"'
    if secret.strip('"') in (MASK, ""):
        masked = secret
    tail = "".join(g or "" for g in groups[2:])
    return groups[0] + masked + tail
