"""What the server refuses and hides: methods, hosts, sizes, tokens, secrets.

Every rule is data (tuples of names and patterns), so a reviewer reads one table
instead of a chain of ifs.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable
from typing import Any

from unet.config import MASK, SECRET_KEYS, SECRET_LINES, mask_data, mask_secrets

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
    return mask_data(value)


def redact_text(text: str) -> str:
    """Config text with the secret part of each secret line masked."""
    return mask_secrets(text)
