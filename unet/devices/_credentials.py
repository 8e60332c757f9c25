"""Device passwords: `UNET_DEVICE_PASSWORD` (wins when set), else the system keyring
(per device, per group, or one for all), else none (SSH keys and the agent are tried).

Never read from or written to the repository. keyring is imported only here, and only
when a password is looked up or stored.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import NamedTuple

from unet.core import UnetError

__all__ = ["ENV_PASSWORD", "KEYRING_SERVICE", "Secret", "clear_password", "lookup_password",
           "set_password"]

ENV_PASSWORD = "UNET_DEVICE_PASSWORD"
KEYRING_SERVICE = "unet-devices"
_DEFAULT = "default"


class Secret(NamedTuple):
    """A password and where it came from (for messages; the value is never shown)."""

    value: str | None
    source: str  # "environment", "keyring device:r1", "keyring group:core", "none"


def _entry(device: str | None = None, group: str | None = None) -> str:
    if device:
        return f"device:{device}"
    if group:
        return f"group:{group}"
    return _DEFAULT


def _keyring_get(entry: str) -> str | None:
    try:
        import keyring

        value: str | None = keyring.get_password(KEYRING_SERVICE, entry)
        return value
    except Exception:  # no usable backend (CI, containers): nothing stored there
        return None


def lookup_password(device: str, groups: Sequence[str] = ()) -> Secret:
    """The password for a device: the environment, then the keyring entries for the
    device, its groups (the most specific, i.e. the last applied, first) and the default."""
    env = os.environ.get(ENV_PASSWORD)
    if env:
        return Secret(env, "environment")
    for entry in (_entry(device=device), *(_entry(group=g) for g in reversed(groups)),
                  _DEFAULT):
        value = _keyring_get(entry)
        if value:
            return Secret(value, f"keyring {entry}")
    return Secret(None, "none")


def _no_keyring(exc: Exception) -> UnetError:
    return UnetError(f"no usable system keyring ({type(exc).__name__}: {exc}); set "
                     f"{ENV_PASSWORD} in the environment instead, or use SSH keys")


def set_password(password: str, *, device: str | None = None, group: str | None = None,
                 ) -> str:
    """Store a password in the keyring; returns the entry it was stored under."""
    if not password:
        raise UnetError("an empty password was not stored")
    entry = _entry(device, group)
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, entry, password)
    except Exception as exc:
        raise _no_keyring(exc) from None
    return entry


def clear_password(*, device: str | None = None, group: str | None = None) -> bool:
    """Remove a stored password; False when there was none."""
    entry = _entry(device, group)
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        try:
            keyring.delete_password(KEYRING_SERVICE, entry)
        except PasswordDeleteError:
            return False
        return True
    except Exception as exc:
        raise _no_keyring(exc) from None
