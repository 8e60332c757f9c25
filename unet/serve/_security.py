"""What the server refuses and hides: methods, hosts, sizes, tokens, secrets.

Every rule is data (tuples of names and patterns), so a reviewer reads one table
instead of a chain of ifs.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Callable, Collection, Iterable
from typing import Any

from unet.config import MASK, SecretValues, mask_data, mask_secrets

__all__ = [
    "ALLOWED_METHODS",
    "IDENTIFIERS",
    "LOOPBACK_HOSTS",
    "MASK",
    "MAX_HEADER_BYTES",
    "MAX_PATH",
    "MAX_QUERY",
    "BodyMask",
    "host_allowed",
    "is_loopback",
    "redact",
    "redact_strings",
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


def redact(value: Any, keys: Collection[str] = ()) -> Any:
    """A copy of a JSON value with every secret-looking key's value masked (and the
    values of `keys`)."""
    return mask_data(value, keys=keys)


def redact_text(text: str, dialect: Any = None) -> str:
    """Config text with the secret part of each secret line masked (`dialect` None: the
    rows of every dialect)."""
    return mask_secrets(text, dialect if isinstance(dialect, str) else None)


# Fields that name things of the repository (files, rules, devices, links to follow):
# a secret that happens to be a word of a name must not break the links and filters
# that use it. Only their text (and `_source`) is kept: a diff's `path` is a list of
# config lines, and those are masked like any other text.
IDENTIFIERS = frozenset({
    "id", "name", "rule", "rules", "device", "devices", "url", "next", "previous", "path",
    "policy_path", "fingerprint", "endpoints", "templates", "template", "feature", "_source",
    "openapi", "commit",
})


def redact_strings(value: Any, secrets: SecretValues | None = None, *, dialect: Any = None,
                   lines: bool = True, keep: frozenset[str] = frozenset()) -> Any:
    """A copy of a JSON value with every string (keys too) masked: by the config-line
    table (`lines`) and by the known `secrets`; the values of `keep` fields stay."""
    if isinstance(value, str):
        text = redact_text(value, dialect) if lines else value
        return secrets.mask(text) if secrets else text
    if isinstance(value, list | tuple):
        return [redact_strings(v, secrets, dialect=dialect, lines=lines, keep=keep)
                for v in value]
    if isinstance(value, dict):
        return {redact_strings(k, secrets, dialect=dialect, lines=lines):
                v if k in keep and isinstance(v, str | dict)
                else redact_strings(v, secrets, dialect=dialect, lines=lines, keep=keep)
                for k, v in value.items()}
    return value


class BodyMask:
    """Masks every known secret value in response bodies: the last step before any byte
    leaves the server, so a new endpoint cannot forget it.

    JSON is masked value by value and encoded again, so a secret holding `"` or `\\`
    can never break the document; any other body as text.
    """

    __slots__ = ("_escaped", "secrets")

    def __init__(self, secrets: SecretValues) -> None:
        self.secrets = secrets
        # How the secrets look inside JSON strings (quotes, backslashes and control
        # characters escaped; non-ASCII either way): the cheap test before decoding.
        self._escaped = SecretValues(
            form for value in secrets.values
            for form in (json.dumps(value, ensure_ascii=False)[1:-1], json.dumps(value)[1:-1]))

    def __call__(self, body: bytes, content_type: str,
                 encode: Callable[[Any], bytes] | None = None) -> bytes:
        if not self.secrets or not body:
            return body
        text = body.decode("utf-8", errors="replace")
        if content_type.startswith("application/json"):
            if not self._escaped.found(text):
                return body
            try:
                value = json.loads(text)
            except ValueError:
                return self.secrets.mask(text).encode()
            masked = redact_strings(value, self.secrets, lines=False, keep=IDENTIFIERS)
            return encode(masked) if encode is not None else json.dumps(masked).encode()
        masked_text = self.secrets.mask(text)
        return body if masked_text == text else masked_text.encode()
