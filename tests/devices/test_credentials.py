"""Where a device password comes from: the environment wins, then the keyring entries of
the device, its groups (most specific first) and the default. There is no keyring daemon
here, so an in-memory keyring backend stands in for the system's (keyring's own API)."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from unet.devices import KEYRING_SERVICE, clear_password, lookup_password, set_password


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    monkeypatch.delenv("UNET_DEVICE_PASSWORD", raising=False)
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_the_most_specific_keyring_entry_wins(memory_keyring: MemoryKeyring) -> None:
    assert lookup_password("r1", ("all", "core")).source == "none"
    set_password("default-pw")
    assert lookup_password("r1", ("all", "core")) == ("default-pw", "keyring default")
    set_password("all-pw", group="all")
    set_password("core-pw", group="core")
    assert lookup_password("r1", ("all", "core")) == ("core-pw", "keyring group:core")
    set_password("r1-pw", device="r1")
    assert lookup_password("r1", ("all", "core")).value == "r1-pw"
    assert lookup_password("r2", ("all",)).value == "all-pw"
    assert memory_keyring.store[(KEYRING_SERVICE, "device:r1")] == "r1-pw"
    assert clear_password(device="r1") and not clear_password(device="r1")


def test_the_environment_wins_over_the_keyring(memory_keyring: MemoryKeyring,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    set_password("r1-pw", device="r1")
    monkeypatch.setenv("UNET_DEVICE_PASSWORD", "from-env")
    assert lookup_password("r1") == ("from-env", "environment")


def test_no_keyring_backend_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from keyring.backends.fail import Keyring as Fail

    from unet.core import UnetError

    previous = keyring.get_keyring()
    keyring.set_keyring(Fail())
    try:
        assert lookup_password("r1").source == "none"
        with pytest.raises(UnetError, match="UNET_DEVICE_PASSWORD"):
            set_password("x")
    finally:
        keyring.set_keyring(previous)
