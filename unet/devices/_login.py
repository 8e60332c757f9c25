"""Opening a session with the device's credentials, and saying which were used when the
device refuses them (the username and where it and the password came from, never the
password)."""

from __future__ import annotations

from unet.devices._credentials import ENV_PASSWORD, lookup_password
from unet.devices._errors import DeviceError
from unet.devices._target import Target
from unet.devices._transport import Session, Transport

__all__ = ["open_session"]


def open_session(transport: Transport, target: Target) -> Session:
    secret = lookup_password(target.device, target.groups)
    try:
        return transport.open(target, secret.value)
    except DeviceError as exc:
        if exc.code != "D112":
            raise
        password = (f"the password from {ENV_PASSWORD}" if secret.source == "environment" else
                    f"the password from the {secret.source}" if secret.value is not None else
                    "no password (none is set: `unet auth set-password` or "
                    f"{ENV_PASSWORD}), so keys and the SSH agent only")
        key = f", key {target.key_file}" if target.key_file else ""
        used = (f"tried user {target.username!r} (from {target.username_from or 'settings'})"
                f"{key} and {password}")
        raise DeviceError("D112", f"{exc.reason}; {used}") from None
