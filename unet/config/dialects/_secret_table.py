"""Which token after which keyword is a secret, per dialect (data only).

Each row is a `SecretRule`: a keyword that must appear in the line (a cheap filter;
`a|b` for either), a regex whose capturing groups are the secrets, and optionally the
parent section the line must sit in. Patterns are written with a few placeholders:

    <N>   start of a Cisco-like line, optionally negated (`no ...` still names the secret)
    <J>   start of a JunOS statement: brace form, or `set|delete|... <path words>`
    <TY>  an optional password type (`7`, `5`, `sha512`, `encrypted`, `clear`)
    <T>   one token (a quoted string counts as one)
    <R>   the rest of the line (IOS passwords may contain spaces)
    <Q>   a JunOS value: a quoted string with escapes, or a bare word

To add a row: find the dialect's tuple below, add `_row(keyword, pattern)`, and add the
line it masks (and a line it must leave alone) to tests/config/test_secrets.py, whose
coverage test fails for any row no example exercises.
"""

from __future__ import annotations

import re

from unet.config.rules import SecretRule

__all__ = ["SECRET_TABLES", "UNION"]

_PLACEHOLDERS = {
    "<N>": r"^\s*(?:no\s+)?",
    "<J>": r"^\s*(?:(?:set|delete|deactivate|activate|protect|unprotect)\s+(?:[^\s\"]+\s+)*?)?",
    "<TY>": r"(?: (?:[0-9]{1,2}|sha512|encrypted|clear))?",
    "<T>": r"(\{\{.*?\}\}|\{%.*?%\}|\"[^\"\n]*\"|\S+)",
    "<R>": r"(\S(?:.*\S)?)",
    # (not a Cisco type word before the value: `secret 10 $6$...` under IOS-XR `username`)
    "<Q>": r"(?!(?:[0-9]{1,2}|level|encrypted|clear|hmac-md5|md5|sha\S*)\s+[^\s;])"
           r"(\{\{.*?\}\}|\"(?:[^\"\\\n]|\\.)*\"|[^\s;{}]+)",
}
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in _PLACEHOLDERS))

# `password <word>` lines where the word is a setting, not a secret.
_PASSWORD_SETTINGS = (r"(?!(?:encryption|strength-check|secure-mode|policy|prompt|expiry|history"
                      r"|minimum|maximum|format|change-type|lockout|inheritance-disable)\b)")


def _row(keyword: str, pattern: str, *, within: str | None = None) -> SecretRule:
    expanded = _PLACEHOLDER.sub(lambda m: _PLACEHOLDERS[m.group()], pattern)
    return SecretRule(keyword.lower(), re.compile(expanded, re.IGNORECASE),
                      re.compile(within, re.IGNORECASE) if within is not None else None)


# Any dialect: crypt hashes (`$1$`, `$5$`, `$6$`, `$8$`, `$9$` incl. JunOS `$9$`) wherever
# they stand, and the lines JunOS marks itself.
_ANYWHERE = (
    _row("$", r"(?<![^\s\"])(\"\$(?:1|5|6|8|9)\$[^\"\n]*\"|\$(?:1|5|6|8|9)\$[^\s;\"]+)"),
    _row("## secret-data", r"(?<=\s)(\"(?:[^\"\\\n]|\\.)*\"|[^\s;{}]+);?\s*## SECRET-DATA"),
    # scheme://user:PASS@host, the scheme at the start of a word (one try per word)
    _row("://", r"(?<![^\s\"'=])[a-z][a-z0-9+.-]*://[^\s:/@]+:([^\s@/]+)@"),
)

# Cisco-like syntax (IOS/IOS-XE, NX-OS, EOS, IOS-XR; FRR shares most of it).
_ENABLE = _row("enable", r"<N>enable(?: algorithm-type \S+)? (?:secret|password)(?: level \d+)?"
               r"<TY> <R>")
_USERNAME_REST = _row("username", r"<N>username \S+\s(?:.*?\s)?(?:secret|password)<TY> <R>")
_USERNAME_TOKEN = _row("username", r"<N>username \S+\s(?:.*?\s)?(?:secret|password)<TY> <T>")
_LINE_PASSWORD = _row("password", r"^\s*password<TY> <R>", within=r"^(?:line|dot1x credentials)\b")
_NEIGHBOR_PASSWORD = _row("password", r"<N>neighbor \S+ password<TY> <R>")
_NESTED_NEIGHBOR_PASSWORD = _row(
    "password", r"^\s*password<TY> " + _PASSWORD_SETTINGS + "<R>",
    within=r"^(?:neighbor|neighbor-group|session-group|template peer(?:-session)?)\b")
_KEY_STRING = _row("key-string", r"\bkey-string(?: (?:password|clear|encrypted))?(?: [0-9])? <R>")
_SERVER_KEY = _row("-server", r"<N>(?:tacacs|radius)-server\s(?:.*?\s)?key(?: [0-9])? <T>")
_SERVER_PRIVATE = _row("server-private", r"<N>server-private \S+\s(?:.*?\s)?key(?: [0-9])? <T>")
_BLOCK_KEY = _row("key", r"^\s*(?:pac )?key(?: [0-9])? <T>", within=(
    r"^(?:tacacs server|radius server|tacacs-server host|radius-server host|server-private"
    r"|crypto isakmp client configuration group)\b"))
_CLIENT_KEY = _row("server-key", r"\bserver-key(?: [0-9])? <T>")
_CONFIG_KEY = _row("config-key", r"<N>key config-key password-encrypt <T>")
_SNMP_COMMUNITY = _row("snmp-server", r"<N>snmp-server community <T>")
_SNMP_HOST = _row("snmp-server", (
    r"<N>snmp-server host \S+(?: (?:informs?|traps?|vrf \S+|clear|encrypted))*"
    r"(?: version (?:1|2c))? (?!(?:version|informs?|traps?|vrf|use-vrf|source-interface"
    r"|filter-vrf|udp-port)\b)<T>"))
_SNMP_USER_AUTH = _row("snmp-server", (
    r"<N>snmp-server user \S+\s(?:.*?\s)?auth (?:md5|sha\S*)(?: (?:encrypted|clear|[0-9]))? <T>"))
_SNMP_USER_PRIV = _row("snmp-server", (
    r"<N>snmp-server user \S+\s(?:.*?\s)?priv(?: (?:des\S*|3des|aes(?:-?\d+)?(?: \d+)?))?"
    r"(?: (?:encrypted|clear))? (?!localizedkey\b)<T>"))
_NTP_KEY = _row("ntp", (r"<N>ntp authentication-key \d+ (?:md5|sha\d*|cmac-aes-128|hmac-sha\S*)"
                        r"(?: (?:encrypted|clear|[0-9]))? <T>"))
_IGP_INTERFACE_KEY = _row("authentication-key",
                          r"<N>ip(?:v6)? (?:ospf|rip) authentication-key(?: [0-9])? <T>")
_XR_AUTHENTICATION_KEY = _row("authentication-key",
                              r"^\s*authentication-key(?: (?:[0-9]|encrypted|clear))? <T>")
_MD5_KEY = _row("message-digest-key",
                r"\bmessage-digest-key \d+ md5(?: (?:[0-9]|encrypted|clear))? <T>")
_IPSEC_SPI = _row("ipsec spi", r"\bipsec spi \d+ (?:md5|sha1)(?: [0-9])? <T>")
_ISIS_PASSWORD = _row("password", (
    r"<N>(?:isis password|area-password|domain-password|lsp-password|hello-password)"
    r"(?: (?:hmac-md5|md5|clear|text|encrypted))*(?: [0-9])? (?!(?:keychain|key-chain)\b)<T>"))
_ISIS_AUTHENTICATION_KEY = _row("authentication key",
                                r"<N>(?:isis )?authentication key(?: [0-9])? <T>")
_HSRP_TEXT = _row("authentication", (
    r"<N>(?:standby(?: \d+)?|vrrp \d+(?: peer)?) authentication(?: text)?"
    r" (?!(?:md5|ietf-md5|key-chain)\b)<T>"))
_HSRP_BLOCK_TEXT = _row("authentication",
                        r"^\s*authentication(?: text)? (?!(?:md5|key-chain)\b)<T>",
                        within=r"^(?:hsrp|vrrp(?:v3)?)\b")
_ISAKMP_KEY = _row("isakmp", r"<N>crypto isakmp key(?: [0-9])? <T>")
_PSK_ADDRESS = _row("pre-shared-key",
                    r"<N>(?:ikev[12] )?pre-shared-key\s(?:.*?\s)?key(?: [0-9])? <T>")
_PSK = _row("pre-shared-key", (
    r"<N>(?:ikev[12] )?pre-shared-key(?: (?:local|remote))?(?: [0-9])?"
    r" (?!(?:address|hostname|ipv6|local|remote|ascii-text|hexadecimal)\b)<T>"))
_PRE_SHARE_KEY = _row("pre-share", r"\bpre-share key(?: [0-9])? <T>")
_WPA_PSK = _row("wpa-psk", r"\bwpa-psk (?:ascii|hex)(?: [0-9])? <T>")
_SET_KEY = _row("set-key", r"\bset-key (?:ascii|hex)(?: [0-9])? <T>")
_PPP = _row("password", r"\b(?:ppp (?:chap|pap) |sent-username \S+ )password(?: [0-9])? <T>")
_NHRP = _row("nhrp", r"<N>ip nhrp authentication <T>")
_CLIENT_PASSWORD = _row("password", r"<N>ip (?:ftp|http client) password(?: [0-9])? <T>")
_RIP_STRING = _row("authentication string", r"<N>ip rip authentication string <T>")
_XR_USERNAME_BLOCK = _row("secret|password", r"^\s*(?:secret|password)<TY> <R>",
                          within=r"^username\b")
_EOS_ROOT = _row("aaa root", r"<N>aaa root secret<TY> <T>")
_FRR_PASSWORD = _row("password", r"^password " + _PASSWORD_SETTINGS + "<R>")

_CISCO = (
    _ENABLE, _LINE_PASSWORD, _NEIGHBOR_PASSWORD, _NESTED_NEIGHBOR_PASSWORD, _KEY_STRING,
    _SERVER_KEY, _SERVER_PRIVATE, _BLOCK_KEY, _CLIENT_KEY, _CONFIG_KEY, _SNMP_COMMUNITY,
    _SNMP_HOST, _SNMP_USER_AUTH, _SNMP_USER_PRIV, _NTP_KEY, _IGP_INTERFACE_KEY, _MD5_KEY,
    _IPSEC_SPI, _ISIS_PASSWORD, _HSRP_TEXT, _HSRP_BLOCK_TEXT, _ISAKMP_KEY, _PSK_ADDRESS, _PSK,
    _PRE_SHARE_KEY, _WPA_PSK, _SET_KEY, _PPP, _NHRP, _CLIENT_PASSWORD,
)

IOS = (*_ANYWHERE, *_CISCO, _USERNAME_REST)
# NX-OS, EOS and IOS-XR put more after the hash (`role network-admin`): only the token
NXOS = (*_ANYWHERE, *_CISCO, _USERNAME_TOKEN)
EOS = (*_ANYWHERE, *_CISCO, _USERNAME_TOKEN, _ISIS_AUTHENTICATION_KEY, _EOS_ROOT)
IOSXR = (*_ANYWHERE, *_CISCO, _USERNAME_TOKEN, _XR_USERNAME_BLOCK, _XR_AUTHENTICATION_KEY)
FRR = (*_ANYWHERE, _ENABLE, _FRR_PASSWORD, _LINE_PASSWORD, _NEIGHBOR_PASSWORD, _KEY_STRING,
       _IGP_INTERFACE_KEY, _MD5_KEY, _ISIS_PASSWORD, _RIP_STRING)

JUNOS = (
    *_ANYWHERE,
    _row("encrypted-password", r"<J>encrypted-password <Q>"),
    # `authentication-key 1 type md5` (NTP) names a key id, not a key
    _row("authentication-key",
         r"<J>(?:hello-)?authentication-key (?![0-9]+\s+(?:type|value)\b)<Q>"),
    _row("authentication-key", r"<J>authentication-key \d+(?: type \S+)? value <Q>"),
    _row("-password", r"<J>(?:simple|authentication|privacy)-password <Q>"),
    _row("privacy-key", r"<J>privacy-key <Q>"),
    _row("key", r"<J>md5 \d+ key <Q>"),
    _row("pre-shared-key", r"<J>pre-shared-key (?:ascii-text|hexadecimal) <Q>"),
    _row("secret", r"<J>secret <Q>"),
    _row("community", r"<J>snmp\s+community <Q>"),
    _row("community", r"^\s*community <Q>", within=r"^snmp\b"),
    _row("community-name", r"<J>community-name <Q>"),
)

# Keyed by dialect name; an alias (iosxe, cisco_nxos) is looked up through its dialect.
SECRET_TABLES: dict[str, tuple[SecretRule, ...]] = {
    "eos": EOS,
    "frr": FRR,
    "ios": IOS,
    "iosxr": IOSXR,
    "junos": JUNOS,
    "nxos": NXOS,
}

# For text whose dialect is unknown: every row of every dialect, each once.
UNION: tuple[SecretRule, ...] = tuple(dict.fromkeys(
    rule for name in sorted(SECRET_TABLES) for rule in SECRET_TABLES[name]))
