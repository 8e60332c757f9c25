"""Where and how to connect: a device's `connection:` data (inherited like any other
data) with the platform's defaults filled in."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from unet.core import record
from unet.devices._errors import DeviceError
from unet.devices._platforms import PLATFORMS, Platform, get_platform
from unet.inventory import ResolvedDevice

__all__ = ["DEFAULT_PORT", "DEFAULT_TIMEOUT", "ENV_USERNAME", "Target", "target_for"]

DEFAULT_PORT = 22
DEFAULT_TIMEOUT = 30.0
ENV_USERNAME = "UNET_DEVICE_USERNAME"


@record
class Target:
    """Everything needed to open a session, except the secret."""

    device: str
    platform: Platform
    host: str
    port: int
    username: str
    device_type: str
    timeout: float
    ssh_config: str | None = None
    jump_host: str | None = None
    key_file: str | None = None
    strict_host_keys: bool = False
    groups: tuple[str, ...] = ()  # applied groups, for credential lookup
    username_from: str = ""  # where the username was set, for messages

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def target_for(device: ResolvedDevice, platforms: Mapping[str, Platform] = PLATFORMS,
               ) -> Target:
    """The device's connection target; a DeviceError (D101–D103) when the data is unusable."""
    data = device.data
    platform_name = data.get("platform")
    if not platform_name:
        raise DeviceError("D102", "no platform (set `platform:` on the device or a group)")
    platform = platforms.get(str(platform_name))
    if platform is None:
        try:
            platform = get_platform(str(platform_name))
        except ValueError as exc:
            raise DeviceError("D102", str(exc)) from None
    settings: dict[str, Any] = data.get("connection") or {}
    host = settings.get("host") or data.get("management_ip")
    if not host:
        raise DeviceError("D101", "no address: set management_ip or connection.host")
    username, username_from = (
        (settings["username"], "connection.username") if settings.get("username") else
        (os.environ[ENV_USERNAME], ENV_USERNAME) if os.environ.get(ENV_USERNAME) else
        (_login_name(), "your login name"))
    return Target(
        device=device.name, platform=platform, host=str(host),
        port=int(settings.get("port") or DEFAULT_PORT), username=username,
        device_type=str(settings.get("device_type") or platform.device_type),
        timeout=float(settings.get("timeout") or DEFAULT_TIMEOUT),
        ssh_config=_existing(settings.get("ssh_config"), "connection.ssh_config"),
        jump_host=settings.get("jump_host"),
        key_file=_existing(settings.get("key_file"), "connection.key_file"),
        strict_host_keys=bool(settings.get("strict_host_keys")),
        groups=device.applied_groups, username_from=username_from)


def _existing(value: Any, what: str) -> str | None:
    if not value:
        return None
    path = Path(str(value)).expanduser()
    if not path.is_file():
        raise DeviceError("D103", f"{what}: {value} is not a readable file")
    return str(path)


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        raise DeviceError("D101", f"no username: set connection.username or {ENV_USERNAME}"
                          ) from None
