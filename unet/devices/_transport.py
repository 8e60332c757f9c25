"""Sessions with devices: a two-method transport, and its netmiko implementation.

A `Session` runs exec commands (`send`) and, for changes, configuration lines one at a
time with each line's response (`configure`), checked against the platform's error
patterns. Everything netmiko, paramiko or the network raises becomes a `DeviceError`
here (netmiko is imported only when a session is opened).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from unet.core import record
from unet.devices._errors import DeviceError, translate
from unet.devices._platforms import Platform
from unet.devices._target import Target

__all__ = ["ConfigResponse", "NetmikoTransport", "Session", "Transport", "rejection"]


@record
class ConfigResponse:
    """What the device answered to one configuration line; `error` is the refusal, if any."""

    line: str
    response: str
    error: str | None = None


class Session(Protocol):
    def send(self, command: str) -> str:
        """The output of an exec-mode command (prompt and echo removed)."""

    def configure(self, lines: Sequence[str], *, stop_on_error: bool = True,
                  enter: str | None = None,
                  on_response: Callable[[ConfigResponse], None] | None = None,
                  ) -> list[ConfigResponse]:
        """Send configuration lines one by one in configuration mode (entered with
        `enter`, default the platform's) and return each response; stops after the first
        refused line unless told otherwise. The session is back in exec mode after.
        `on_response` sees each response as it arrives (what was answered before a
        dropped connection is known to the caller)."""

    def close(self) -> None: ...


class Transport(Protocol):
    def open(self, target: Target, password: str | None) -> Session:
        """A logged-in session; a DeviceError when the device cannot be reached or used."""


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def rejection(platform: Platform, output: str) -> str | None:
    """The line of `output` that is the device refusing a command (its error text)."""
    pattern = _PATTERNS.get(platform.error_patterns)
    if pattern is None:
        pattern = _PATTERNS[platform.error_patterns] = re.compile(
            "|".join(f"(?:{p})" for p in platform.error_patterns), re.MULTILINE)
    # Devices print a refusal at the start of a line, before anything else (IOS after a
    # caret line); text that merely mentions "% Invalid" further on is not one.
    head = [line.strip() for line in output.splitlines()[:8] if line.strip()][:3]
    return next((line for line in head if pattern.match(line)), None)


class NetmikoSession:
    def __init__(self, connection: Any, target: Target, closers: list[Any]) -> None:
        self._conn = connection
        self._target = target
        self._closers = closers

    @contextmanager
    def _boundary(self, stage: str) -> Iterator[None]:
        try:
            yield
        except DeviceError:
            raise
        except Exception as exc:
            raise translate(exc, host=self._target.host, port=self._target.port,
                            stage=stage) from None

    def send(self, command: str) -> str:
        with self._boundary(f"running `{command}`"):
            output: str = self._conn.send_command(command, read_timeout=self._target.timeout,
                                                  strip_prompt=True, strip_command=True)
        return output

    def configure(self, lines: Sequence[str], *, stop_on_error: bool = True,
                  enter: str | None = None,
                  on_response: Callable[[ConfigResponse], None] | None = None,
                  ) -> list[ConfigResponse]:
        platform = self._target.platform
        responses: list[ConfigResponse] = []
        with self._boundary("entering configuration mode"):
            self._conn.config_mode(config_command=enter or platform.enter_config,
                                   pattern=platform.config_prompt)
        failing = False
        try:
            for line in lines:
                with self._boundary(f"sending `{line}`"):
                    answer: str = self._conn.send_command(
                        line, expect_string=platform.config_prompt, strip_prompt=True,
                        strip_command=True, read_timeout=self._target.timeout)
                error = rejection(platform, answer)
                responses.append(ConfigResponse(line, answer, error))
                if on_response is not None:
                    on_response(responses[-1])
                if error and stop_on_error:
                    break
        except BaseException:
            failing = True
            raise
        finally:
            try:
                with self._boundary("leaving configuration mode"):
                    self._conn.exit_config_mode(exit_config=platform.exit_config,
                                                pattern=platform.prompt)
            except DeviceError:
                if not failing:  # else what went wrong first (a dropped line) is the news
                    raise
        return responses

    def close(self) -> None:
        for closer in (self._conn, *self._closers):
            with contextlib.suppress(Exception):  # already gone: nothing to release
                (closer.disconnect if hasattr(closer, "disconnect") else closer.close)()


class NetmikoTransport:
    """SSH through netmiko, with the platform row's driver and the target's settings."""

    def open(self, target: Target, password: str | None) -> Session:
        closers: list[Any] = []
        try:
            from netmiko import ConnectHandler

            params = self._params(target, password, closers)
            connection = ConnectHandler(**params)
        except DeviceError:
            _close_all(closers)
            raise
        except Exception as exc:
            _close_all(closers)
            raise translate(exc, host=target.host, port=target.port, stage="connecting",
                            driver=target.device_type) from None
        return NetmikoSession(connection, target, closers)

    def _params(self, target: Target, password: str | None, closers: list[Any],
                ) -> dict[str, Any]:
        from netmiko.ssh_dispatcher import CLASS_MAPPER

        if target.device_type not in CLASS_MAPPER:
            raise DeviceError("D103", f"connection.device_type {target.device_type!r} is not a "
                                      "netmiko driver")
        # Without a password: the key named, else the user's default key, and the agent
        # (netmiko looks for keys only when it is given a key file).
        key_file = target.key_file or (None if password else _default_key())
        params: dict[str, Any] = {
            "device_type": target.device_type, "host": target.host, "port": target.port,
            "username": target.username, "password": password or None,
            "use_keys": key_file is not None, "allow_agent": not password,
            "key_file": key_file,
            "conn_timeout": target.timeout, "auth_timeout": target.timeout,
            "banner_timeout": target.timeout, "read_timeout_override": target.timeout,
            "ssh_strict": target.strict_host_keys, "system_host_keys": target.strict_host_keys,
            "ssh_config_file": target.ssh_config, "fast_cli": True,
        }
        if target.jump_host:
            params["sock"] = _through_jump_host(target, password, closers)
        return params


def _default_key() -> str | None:
    from pathlib import Path

    for name in ("id_ed25519", "id_ecdsa", "id_rsa"):
        candidate = Path.home() / ".ssh" / name
        if candidate.is_file():
            return str(candidate)
    return None


def _through_jump_host(target: Target, password: str | None, closers: list[Any]) -> Any:
    """A channel to the device opened through the jump host (its own SSH session)."""
    import paramiko  # type: ignore[import-untyped]

    user, _, rest = (target.jump_host or "").rpartition("@")
    host, _, port = rest.partition(":")
    client = paramiko.SSHClient()
    closers.append(client)
    if target.strict_host_keys:
        client.load_system_host_keys()
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
    else:
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    try:
        client.connect(host, port=int(port or 22), username=user or target.username,
                       password=password, timeout=target.timeout,
                       auth_timeout=target.timeout, banner_timeout=target.timeout,
                       allow_agent=True, look_for_keys=True, key_filename=target.key_file)
        transport = client.get_transport()
        assert transport is not None
        return transport.open_channel("direct-tcpip", (target.host, target.port), ("", 0),
                                      timeout=target.timeout)
    except Exception as exc:
        error = translate(exc, host=host, port=int(port or 22), stage="connecting")
        raise DeviceError(error.code, f"through jump host {target.jump_host}: {error.reason}"
                          ) from None


def _close_all(closers: list[Any]) -> None:
    for closer in closers:
        with contextlib.suppress(Exception):  # already closed
            closer.close()
