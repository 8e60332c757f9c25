"""The server's bearer token: from UNET_SERVE_TOKEN, else the system keyring.

keyring is imported only here and only when a token is looked up or stored.
"""

from __future__ import annotations

import os

from unet.core import UnetError

__all__ = ["ENV_VAR", "clear_token", "load_token", "store_token", "token_source"]

ENV_VAR = "UNET_SERVE_TOKEN"
_SERVICE = "unet"
_USER = "serve-token"
_NO_KEYRING = ("no usable system keyring ({reason}); set the token in the "
               f"{ENV_VAR} environment variable instead")


def _keyring_get() -> str | None:
    try:
        import keyring

        value: str | None = keyring.get_password(_SERVICE, _USER)
        return value
    except Exception:  # no backend, locked, or a broken one: there is no token there
        return None


def token_source() -> str | None:
    """'environment', 'keyring' or None: where the token would come from."""
    if os.environ.get(ENV_VAR):
        return "environment"
    return "keyring" if _keyring_get() else None


def load_token() -> str | None:
    return os.environ.get(ENV_VAR) or _keyring_get() or None


def store_token(token: str) -> None:
    token = token.strip()
    if len(token) < 16:
        raise UnetError("a token must be at least 16 characters; "
                        "`python -c 'import secrets; print(secrets.token_urlsafe(32))'` makes one")
    try:
        import keyring

        keyring.set_password(_SERVICE, _USER, token)
    except Exception as exc:
        raise UnetError(_NO_KEYRING.format(reason=f"{type(exc).__name__}: {exc}")) from None


def clear_token() -> bool:
    """Remove the stored token; False when there was none."""
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        try:
            keyring.delete_password(_SERVICE, _USER)
        except PasswordDeleteError:
            return False
        return True
    except Exception as exc:
        raise UnetError(_NO_KEYRING.format(reason=f"{type(exc).__name__}: {exc}")) from None
