"""What can go wrong with a device, as one-line reasons with a code.

netmiko, paramiko and socket errors are translated here, at the boundary, so nothing
above the transport ever sees a foreign exception or a multi-line netmiko message.
"""

from __future__ import annotations

import errno
import re
import socket

__all__ = ["INPUT_CODES", "DeviceError", "translate"]

# Problems in the repository's data or the options: the user fixes them (exit 2).
INPUT_CODES = frozenset({"D101", "D102", "D103"})


class DeviceError(Exception):
    """One device could not be used; `reason` is one line naming what happened."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason

    @property
    def input_error(self) -> bool:
        return self.code in INPUT_CODES


def _chain(exc: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found and len(found) < 8:
        found.append(current)
        # paramiko's NoValidConnectionsError keeps the socket errors per address.
        errors = getattr(current, "errors", None)
        if isinstance(errors, dict):
            found.extend(e for e in errors.values() if isinstance(e, BaseException))
        current = current.__cause__ or current.__context__
    return found


def _socket_reason(exc: BaseException, where: str) -> DeviceError | None:
    if isinstance(exc, ConnectionRefusedError):
        return DeviceError("D110", f"connection refused by {where} (nothing listens on that "
                                   "port; check connection.port)")
    if isinstance(exc, socket.gaierror):
        return DeviceError("D111", f"cannot resolve {where.rsplit(':', 1)[0]} "
                                   "(check connection.host or management_ip)")
    if isinstance(exc, TimeoutError | socket.timeout):
        return DeviceError("D111", f"no answer from {where} (timed out connecting: "
                                   "unreachable, filtered, or connection.timeout too short)")
    if isinstance(exc, OSError) and exc.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH,
                                                   errno.EHOSTDOWN):
        return DeviceError("D111", f"{where} is unreachable ({exc.strerror or exc})")
    return None


def translate(exc: BaseException, *, host: str, port: int, stage: str,
              driver: str = "") -> DeviceError:
    """A DeviceError for anything the transport raised while `stage` (connecting,
    `show version`, ...); `driver` is the netmiko device_type in use."""
    if isinstance(exc, DeviceError):
        return exc
    where = f"{host}:{port}"
    for link in _chain(exc):
        found = _socket_reason(link, where)
        if found is not None:
            return found
    name = type(exc).__name__
    text = " ".join(str(exc).split())
    if "No authentication methods available" in text:
        return DeviceError("D112", f"authentication failed for {where} (no key file or SSH "
                                   "agent to try)")
    if "Authentication" in name or "Authentication failed" in text:
        return DeviceError("D112", f"authentication failed for {where} (wrong username or "
                                   "password, or the key was refused)")
    if "BadHostKey" in name or "not found in known_hosts" in text or "known_hosts" in text:
        return DeviceError("D113", f"host key of {where} is unknown or changed (check "
                                   "known_hosts, or connection.strict_host_keys)")
    timed_out = name == "ReadTimeout" or "Pattern not detected" in text
    if timed_out and stage == "connecting":  # logged in, but the driver's setup got lost
        expected = re.search(r"Pattern not detected: '([^']{1,40})'", text)
        waited = f" (it waited for {expected.group(1)!r})" if expected else ""
        return DeviceError("D122", f"logged in to {where}, but the device does not answer as "
                                   f"the {driver or 'netmiko'} driver expects{waited}; check its "
                                   "platform and connection.device_type")
    if timed_out or "timed-out reading" in text:
        return DeviceError("D116", f"the device stopped answering while {stage} "
                                   "(no prompt within connection.timeout)")
    if stage != "connecting" and (isinstance(exc, EOFError | OSError | ConnectionError)
                                  or "Socket is closed" in text or "session not active" in text):
        return DeviceError("D115", f"the connection was dropped while {stage}")
    if stage == "connecting":
        if "Error reading SSH protocol banner" in text or "protocol banner" in text:
            return DeviceError("D114", f"{where} does not speak SSH (no SSH banner)")
        if "TCP connection to device failed" in text:
            return DeviceError("D111", f"cannot connect to {where}")
        return DeviceError("D114", f"SSH to {where} failed: {_first_line(text, name)}")
    return DeviceError("D115", f"the session failed while {stage}: {_first_line(text, name)}")


def _first_line(text: str, name: str) -> str:
    line = text.strip().split(". ", 1)[0][:160]
    return line or name
