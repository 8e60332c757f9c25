from __future__ import annotations

import pytest

from unet.core import UnetError
from unet.serve import check_bind, redact, redact_text
from unet.serve._security import host_allowed, token_matches


def test_secret_keys_are_masked_at_any_depth() -> None:
    data = {"name": "r1", "vars": {"snmp_community": "c", "Password": "p", "api-token": "t",
                                  "bgp": [{"auth_key": "k", "keepalive": 10}],
                                  "enable_secret": None, "keychain": "ok"}}
    assert redact(data) == {"name": "r1", "vars": {
        "snmp_community": "********", "Password": "********", "api-token": "********",
        "bgp": [{"auth_key": "********", "keepalive": 10}], "enable_secret": None,
        "keychain": "ok"}}


@pytest.mark.parametrize(("line", "expected"), [
    ("enable secret 9 $9$abc", "enable secret 9 ********"),
    ("username admin privilege 15 password 7 0822455D0A16",
     "username admin privilege 15 password 7 ********"),
    ("snmp-server community PUBLIC RO 10", "snmp-server community ******** RO 10"),
    ("  key-string 7 045802150C2E", "  key-string 7 ********"),
    ("tacacs-server host 10.0.0.5 key 7 1234ABCD", "tacacs-server host 10.0.0.5 key 7 ********"),
    ('    encrypted-password "$6$salt$hash"; ## SECRET-DATA', '    encrypted-password "********"; ## SECRET-DATA'),
    ('authentication-key "$9$x.y"; ## SECRET-DATA', 'authentication-key "********"; ## SECRET-DATA'),
    ("service password-encryption", "service password-encryption"),
    ("hostname r1", "hostname r1"),
])
def test_secret_config_lines_are_masked(line: str, expected: str) -> None:
    assert redact_text(line) == expected


def test_token_comparison() -> None:
    assert token_matches(None, None)
    assert token_matches("abc", "Bearer abc") and token_matches("abc", "bearer abc")
    assert not token_matches("abc", "Bearer abd") and not token_matches("abc", "Basic abc")
    assert not token_matches("abc", None)


def test_host_check() -> None:
    assert host_allowed("localhost:8080", ()) and host_allowed("[::1]:80", ())
    assert not host_allowed("evil.example", ()) and not host_allowed(None, ())
    assert host_allowed("unet.lan:8080", ("unet.lan",))


def test_non_loopback_bind_needs_a_token() -> None:
    check_bind("127.0.0.1", None, insecure=False)
    check_bind("::1", None, insecure=False)
    check_bind("0.0.0.0", "token", insecure=False)
    check_bind("0.0.0.0", None, insecure=True)
    with pytest.raises(UnetError, match="without a token"):
        check_bind("0.0.0.0", None, insecure=False)
