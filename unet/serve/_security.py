"""What the server refuses and hides: methods, hosts, sizes, tokens, secrets.

Every rule is data (tuples of names and patterns), so a reviewer reads one table
instead of a chain of ifs.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "ALLOWED_METHODS",
    "LOOPBACK_HOSTS",
    "MASK",
    "MAX_HEADER_BYTES",
    "MAX_PATH",
    "MAX_QUERY",
    "SECRET_KEYS",
    "SECRET_LINES",
    "host_allowed",
    "is_loopback",
    "redact",
    "redact_text",
    "token_matches",
]

ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
MAX_QUERY = 4096  # characters of the query string
MAX_PATH = 2048
MAX_HEADER_BYTES = 16 * 1024  # all request headers together
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
    r"(\bcommunity\s+)" + _VALUE,  # snmp-server community X (IOS), community X (JunOS)
    r"(\b(?:key-string|authentication-key|pre-shared-key|md5)\s+(?:\d+\s+)?)" + _VALUE,
    r"(\b(?:tacacs-server|radius-server|server)\b.*?\bkey\s+(?:\d+\s+)?)" + _VALUE,
))


def token_matches(expected: str | None, header: str | None) -> bool:
    """`Authorization: Bearer <token>`, compared in constant time."""
    if not expected:
        return True
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _hostname(header: str) -> str:
    """The name part of a Host header (`[::1]:8080` -> `::1`, `a:80` -> `a`)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def host_allowed(header: str | None, allowed: Iterable[str]) -> bool:
    """DNS rebinding guard: a page on evil.example resolving to 127.0.0.1 still sends
    `Host: evil.example`, which a loopback server refuses."""
    if not header:
        return False
    name = _hostname(header)
    return name in LOOPBACK_HOSTS or name in {h.lower().strip("[]") for h in allowed}


def redact(value: Any) -> Any:
    """A copy of a JSON value with every secret-looking key's value masked."""
    if isinstance(value, Mapping):
        return {k: MASK if isinstance(k, str) and SECRET_KEYS.search(k) and v is not None
                else redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


def redact_text(text: str) -> str:
    """Config text with the secret part of each secret line masked."""
    return "\n".join(_redact_line(line) for line in text.split("\n"))


def _redact_line(line: str) -> str:
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
