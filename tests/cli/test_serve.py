"""`unet serve` and `unet auth`: wiring and exit codes (the API is tested in tests/serve)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from unet.cli import cli


def test_serve_refuses_a_public_bind_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UNET_SERVE_TOKEN", raising=False)
    monkeypatch.setattr("unet.serve._token._keyring_get", lambda: None)
    result = CliRunner().invoke(cli, ["--repo", str(EXAMPLES), "serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "without a token" in result.output and "--insecure-no-auth" in result.output


def test_serve_help() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "--cors-origin" in result.output


def test_auth_status_names_the_source_not_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNET_SERVE_TOKEN", "a-very-secret-token-value")
    result = CliRunner().invoke(cli, ["auth", "status"])
    assert result.exit_code == 0 and "UNET_SERVE_TOKEN" in result.output
    assert "a-very-secret" not in result.output


def test_set_token_stores_it_in_the_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    stored: dict[tuple[str, str], str] = {}
    monkeypatch.setattr("keyring.set_password", lambda s, u, p: stored.__setitem__((s, u), p))
    result = CliRunner().invoke(cli, ["auth", "set-token", "--stdin"],
                                input="0123456789abcdef-token\n")
    assert result.exit_code == 0, result.output
    assert list(stored.values()) == ["0123456789abcdef-token"]
    short = CliRunner().invoke(cli, ["auth", "set-token", "--stdin"], input="short\n")
    assert short.exit_code == 2 and "at least 16" in short.output
