"""The secret table: which token of which line is masked, per dialect, and what never is."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unet.config import (
    MASK,
    SecretValues,
    get_dialect,
    mask_data,
    mask_secrets,
    secret_fields,
    secret_key,
    secret_tokens,
    secret_values,
)
from unet.config.dialects._secret_table import SECRET_TABLES, UNION

# «...» marks the secret: the input is the text without the marks, the expected output
# has each marked token replaced by MASK (a quoted token keeps its quotes).
MASKED: dict[str, list[str]] = {
    "ios": [
        "enable secret 5 «$1$abcd$XYZ»",
        "enable secret 9 «$9$abc»",
        "enable password «cisco has spaces»",
        "enable algorithm-type scrypt secret «$9$scrypt»",
        "username admin privilege 15 password 7 «0822455D0A16»",
        "username netadmin privilege 15 secret 9 «$9$fakeHash$Qm9v»",
        "username bob password 0 «pass with spaces»",
        "line vty 0 4\n password 7 «045802150C2E»\n login",
        "dot1x credentials C\n username u\n password 7 «DOT1XPW»",
        "router bgp 65000\n neighbor 10.0.0.2 password 7 «BGPKEY»",
        "key chain K\n key 1\n  key-string 7 «KS01»",
        "interface Gi1\n standby 1 authentication md5 key-string 7 «HSRPK»",
        "interface Gi1\n standby 1 authentication text «HSRPTXT»",
        "interface Gi1\n standby 1 authentication «HSRPPLAIN»",
        "interface Gi1\n vrrp 1 authentication text «VRRPTXT»",
        "tacacs-server host 10.0.0.5 key 7 «1234ABCD»",
        "tacacs-server key «TKEY»",
        "radius-server host 10.0.0.1 auth-port 1812 key «RHKEY»",
        "tacacs server ISE\n address ipv4 10.0.0.1\n key 7 «0822455D0A16544541»",
        "radius server R1\n address ipv4 10.0.0.2 auth-port 1812\n key «RADKEY»\n pac key 7 «PACKEY»",
        "aaa group server tacacs+ G\n server-private 10.0.0.9 key 7 «SPKEY»",
        "aaa server radius dynamic-author\n client 10.0.0.1 server-key 7 «DAKEY»",
        "key config-key password-encrypt «MASTERKEY»",
        "snmp-server community «PUBLIC» RO 10",
        "no snmp-server community «OLDCOMM» RO",
        "snmp-server host 10.0.0.1 version 2c «HOSTCOMM»",
        "snmp-server host 10.0.0.1 informs version 2c «INFCOMM» udp-port 162 config",
        "snmp-server host 10.0.0.1 vrf MGMT «V1COMM»",
        "snmp-server user U G v3 auth sha «AUTHKEY» priv aes 128 «PRIVKEY»",
        "snmp-server user U2 G v3 auth md5 «AUTH2» priv des «PRIV2»",
        "ntp authentication-key 1 md5 «NTPKEY» 7",
        "interface Gi1\n ip ospf authentication-key 7 «OSPFK»\n ip ospf message-digest-key 1 md5 7 «OSPFMD5»",
        "interface Tunnel1\n ipv6 ospf authentication ipsec spi 256 md5 «IPSECKEY»",
        "interface Gi1\n isis password «ISISPW» level-1",
        "router isis\n area-password «AREAPW»\n domain-password «DOMPW» authenticate snp validate",
        "crypto isakmp key «ISAKMPKEY» address 10.0.0.1",
        "crypto isakmp key 6 «ISAKMP6» address 10.0.0.2",
        "crypto keyring KR\n pre-shared-key address 10.0.0.1 key «KRKEY»",
        "crypto ikev2 keyring K2\n peer P\n  address 10.0.0.1\n  pre-shared-key «IKEV2KEY»\n  pre-shared-key local «LOCALPSK»",
        "crypto ikev2 profile P\n authentication local pre-share key «PRESHARE»",
        "crypto isakmp client configuration group G\n key «GROUPKEY»",
        "dot11 ssid S\n wpa-psk ascii 0 «WPAKEY»",
        "wlan W 1 W\n security wpa akm psk set-key ascii 0 «WLCKEY»",
        "interface Dialer1\n ppp chap password 7 «CHAPPW»\n ppp pap sent-username u password 0 «PAPPW»",
        "interface Tunnel0\n ip nhrp authentication «NHRPKEY»",
        "ip ftp password 7 «FTPPW»",
        "ip http client password «HTTPPW»",
        "boot system tftp://user:«URLPW»@10.0.0.1/image.bin",
        "archive\n path scp://backup:«SCPPW»@10.0.0.5/configs/",
    ],
    "nxos": [
        "username admin password 5 «$5$fakeHash$abcdef»  role network-admin",
        "snmp-server user admin network-admin auth md5 «0x1234abcd» priv «0x5678ef01» localizedkey",
        "snmp-server user u2 network-operator auth sha «AUTHX» priv aes-128 «PRIVX»",
        'tacacs-server host 10.0.0.1 key 7 «"TACKEY"»',
        'radius-server host 10.0.0.2 key 7 «"RADQ"» authentication accounting',
        "router bgp 65000\n  neighbor 10.0.0.1\n    remote-as 65001\n    password 3 «NXBGP»",
        "router bgp 65000\n  template peer-session S\n    password 3 «TPLPW»",
        "interface Ethernet1/1\n  hsrp 10\n    authentication text «NXHSRP»",
        "interface Ethernet1/1\n  ip ospf authentication-key 3 «NXOSPF»",
        "snmp-server community «NXCOMM» group network-operator",
        "ntp authentication-key 1 md5 «NXNTP» 7",
    ],
    "eos": [
        "username admin privilege 15 role network-admin secret sha512 «$6$salt$hash»",
        "enable password sha512 «$6$en$hash»",
        "aaa root secret sha512 «$6$root$hash»",
        "interface Ethernet1\n   isis authentication key 7 «EOSISIS»",
        "router isis X\n   authentication key 0 «EOSISIS2»",
        "router bgp 65000\n   neighbor PEERS password 7 «EOSBGP»",
        "ntp authentication-key 1 md5 7 «EOSNTP»",
        "snmp-server community «EOSCOMM» ro",
        "snmp-server user U G v3 auth sha «EAUTH» priv aes «EPRIV»",
        "tacacs-server host 10.0.0.1 vrf MGMT key 7 «EOSTAC»",
        "interface Vlan10\n   vrrp 1 peer authentication text «EVRRP»",
    ],
    "iosxr": [
        "username admin\n group root-lr\n secret 10 «$6$xr$hash»",
        "username oper\n password 7 «XRPW»",
        "tacacs-server host 10.0.0.1 port 49\n key 7 «XRTAC»",
        "aaa group server tacacs+ G\n server-private 10.0.0.2 port 49\n  key 7 «XRSP»",
        "router bgp 65000\n neighbor 10.0.0.2\n  password encrypted «XRBGP»",
        "router ospf 1\n area 0\n  interface Gi0/0/0/0\n   authentication-key encrypted «XROSPF»\n"
        "   message-digest-key 1 md5 encrypted «XRMD5»",
        "router isis X\n lsp-password hmac-md5 encrypted «XRLSP»\n interface Gi0\n  hello-password hmac-md5 encrypted «XRHELLO»",
        "key chain K\n key 1\n  key-string password 7 «XRKS»",
        "snmp-server community «XRCOMM» RO",
        "snmp-server user U G v3 auth sha encrypted «XRAUTH» priv aes 128 encrypted «XRPRIV»",
        "ntp authentication-key 1 md5 encrypted «XRNTP»",
    ],
    "junos": [
        '    encrypted-password «"$6$salt$hash"»; ## SECRET-DATA',
        'set system root-authentication encrypted-password «"$6$root$hash"»',
        'set security ike policy p pre-shared-key ascii-text «"$9$abc"»',
        'set security ike policy p pre-shared-key hexadecimal «"f00ba4"»',
        'set system tacplus-server 1.2.3.4 secret «"$9$tac"»',
        'set system radius-server 1.2.3.5 secret «"r4d1us"»',
        "set snmp community «public1» authorization read-only",
        "set groups G snmp community «GRPCOMM» clients 10.0.0.0/8",
        "snmp {\n    community «JCOMM» {\n        authorization read-only;\n    }\n}",
        'set snmp v3 snmp-community idx security-name S community-name «"JCN"»',
        'set protocols bgp group EBGP authentication-key «"$9$bgp"»',
        'set protocols bgp group EBGP neighbor 10.0.0.1 authentication-key «12345»',
        'set protocols isis interface ge-0/0/0.0 level 2 hello-authentication-key «"$9$isis"»',
        'set protocols ospf area 0 interface ge-0/0/0.0 authentication md5 1 key «"$9$ospf"»',
        'set protocols ospf area 0 interface ge-0/0/1.0 authentication simple-password «"$9$simple"»',
        'set system ntp authentication-key 1 type md5 value «"$9$ntp"»',
        "set system ntp authentication-key 2 value «secret2»",
        'set snmp v3 usm local-engine user U authentication-sha authentication-password «"authpw1"»',
        'set snmp v3 usm local-engine user U privacy-aes128 privacy-password «"privpw1"»',
        'authentication-key «"$9$x.y"»; ## SECRET-DATA',
        "set interfaces ge-0/0/0 unit 0 family inet address 10.0.0.1/24 vrrp-group 1 authentication-key «kkkkkk»",
        'authentication-key 1 type md5 value «"$9$bn"»; ## SECRET-DATA',
        '            privacy-key «"$9$pk"»; ## SECRET-DATA',
        '    foo «"bar baz"»; ## SECRET-DATA',
    ],
    "frr": [
        "password «zebra»",
        "enable password «zebra2»",
        "line vty\n password «VTYPW»",
        "router bgp 65000\n neighbor 10.0.0.2 password «FRRBGP»",
        "interface eth0\n ip ospf authentication-key «FRROSPF»\n ip ospf message-digest-key 1 md5 «FRRMD5»",
        "interface eth0\n isis password md5 «FRRISIS»",
        "router isis 1\n area-password clear «FRRAREA»",
        "interface eth0\n ip rip authentication string «FRRRIP»",
        "key chain K\n key 1\n  key-string «FRRKS»",
    ],
}

# Lines that must come back byte for byte, whichever table applies.
UNTOUCHED = [
    "send-community extended",
    " neighbor 10.0.0.1 send-community both",
    "authentication-order [ tacplus password ];",
    "set system authentication-order [ tacplus password ]",
    "password encryption aes",
    "service password-encryption",
    "no service password-encryption",
    "no password",
    "no password strength-check",
    "password strength-check",
    "username admin nopassword",
    "enable secret",
    "ntp server 10.0.0.1 key 1",
    "ntp server 192.0.2.3 use-vrf management key 12345 minpoll 10 maxpoll 10",
    "ntp trusted-key 1",
    "ntp authenticate",
    "key chain K\n key 1\n  cryptographic-algorithm hmac-sha-256",
    "interface Gi1\n ip ospf authentication message-digest\n ip ospf authentication key-chain KC",
    "interface Gi1\n standby 1 authentication md5 key-chain HSRP",
    "snmp-server host 10.0.0.1 version 3 priv SNMPUSER",
    "snmp-server host 10.0.0.1 use-vrf management",
    "snmp-server host 192.0.2.1 source-interface loopback 0",
    "snmp-server group G v3 priv read V",
    "snmp-server user U G v3",
    "snmp-server enable traps snmp authentication",
    "snmp-server community-map A context B",
    "ip community-list standard X permit 65000:1",
    "route-map RM permit 10\n set community 65000:100 additive",
    "set policy-options community X members 65000:1",
    "policy-options {\n    community BLOCK members 65000:666;\n}",
    "set system host-name authentication-key-chain",
    "hostname nxos_tacacs_server",
    "set system login password format sha512",
    "set system login password minimum-length 8",
    "set system ntp authentication-key 1 type md5",
    "set system services ssh no-password-authentication",
    "set system login user bootstrap authentication plain-text-password",
    "set security ike proposal p authentication-method pre-shared-keys",
    "set protocols bgp group X authentication-key-chain KC",
    "set snmp trap-group G targets 10.0.0.1",
    'set interfaces ge-0/0/0 description "the secret lab"',
    "crypto key generate rsa modulus 2048",
    "radius-server key-wrap enable",
    "interface Gi1\n description password reset desk",
    "banner motd ^C authorized access only ^C",
    "router bgp 65000\n neighbor 10.0.0.2\n  password inheritance-disable",
    "router isis X\n lsp-password keychain K",
    "tacacs-server directed-request",
    "aaa authentication login default group tacacs+ local",
    "aaa authentication enable default enable",
    "snmp-server community {{ vars.snmp_community_ro }} RO MGMT-ACCESS",
    "enable secret {{ secret }}",
    "snmp {\n    community {{ c }} {\n        authorization read-only;\n    }\n}",
    "ip as-path access-list 1 permit ^65000$",
]

_MARK = re.compile("«(.*?)»", re.DOTALL)


def _split(example: str) -> tuple[str, str, list[str]]:
    """(input, expected output, secrets) of a marked example."""
    secrets = _MARK.findall(example)

    def masked(match: re.Match[str]) -> str:
        return f'"{MASK}"' if match.group(1).startswith('"') else MASK

    return _MARK.sub(lambda m: m.group(1), example), _MARK.sub(masked, example), secrets


CASES = [(dialect, example) for dialect, examples in MASKED.items() for example in examples]


@pytest.mark.parametrize(("dialect", "example"), CASES)
def test_each_secret_is_masked_in_its_dialect(dialect: str, example: str) -> None:
    text, expected, secrets = _split(example)
    assert mask_secrets(text, dialect) == expected
    assert secret_tokens(text, dialect) == {s.strip('"') for s in secrets}
    # text of an unknown dialect gets every dialect's rows: at least as much is masked
    masked = mask_secrets(text)
    assert not [s for s in secrets if s.strip('"') in masked]
    assert mask_secrets(masked) == masked


@pytest.mark.parametrize("text", UNTOUCHED)
def test_innocent_text_is_never_changed(text: str) -> None:
    for dialect in (None, *sorted(SECRET_TABLES)):
        assert mask_secrets(text, dialect) == text, dialect


def test_every_row_of_the_table_is_exercised() -> None:
    """A row no example reaches is an untested row: add its line to MASKED (in a dialect
    whose table has the row)."""
    lines = {dialect: [line for example in examples for line in _split(example)[0].split("\n")]
             for dialect, examples in MASKED.items()}
    missing = [rule.pattern.pattern for rule in UNION
               if not any(rule.pattern.search(line) for dialect, rules in SECRET_TABLES.items()
                          if rule in rules for line in lines[dialect])]
    assert not missing


def test_the_union_holds_every_row_once() -> None:
    assert set(UNION) == {rule for rules in SECRET_TABLES.values() for rule in rules}
    assert len(UNION) == len(set(UNION))


def test_issue_examples_mask_the_secret_not_the_word_before_it() -> None:
    assert mask_secrets("username admin secret sha512 $6$abc$def", "eos") == \
        f"username admin secret sha512 {MASK}"
    assert mask_secrets("ntp authentication-key 1 md5 S3CRET") == \
        f"ntp authentication-key 1 md5 {MASK}"
    assert mask_secrets("pre-shared-key address 10.0.0.1 key S3CRET") == \
        f"pre-shared-key address 10.0.0.1 key {MASK}"


def test_dialect_names_aliases_and_rules_pick_the_same_table() -> None:
    text = "username admin password 5 $5$h role network-admin"
    assert mask_secrets(text, "nxos") == mask_secrets(text, "cisco_nxos") == \
        mask_secrets(text, get_dialect("nxos")) == f"username admin password 5 {MASK} role network-admin"
    assert mask_secrets("password zebra", "frr") == f"password {MASK}"  # no parser needed
    assert mask_secrets("snmp-server community C RO", "no-such-os") == f"snmp-server community {MASK} RO"


def test_line_endings_and_indentation_are_kept() -> None:
    text = "tacacs server T\r\n key 7 ABC\r\n\tsnmp-server community C RO\r\n"
    assert mask_secrets(text) == f"tacacs server T\r\n key 7 {MASK}\r\n\tsnmp-server community {MASK} RO\r\n"


def test_context_is_the_parent_section_only() -> None:
    text = "key chain K\n key 7 NOTSECRET\ntacacs server T\n address ipv4 10.0.0.1\n key SECRET1"
    assert mask_secrets(text, "ios") == \
        f"key chain K\n key 7 NOTSECRET\ntacacs server T\n address ipv4 10.0.0.1\n key {MASK}"
    many = "tacacs server T\n" + " address ipv4 10.0.0.1\n" * 2000 + " key SECRET2\n"
    assert mask_secrets(many, "ios").endswith(f" key {MASK}\n")


def test_long_hostile_lines_are_masked_in_one_pass() -> None:
    # every pattern is linear in the line: these would take minutes if one were not
    for line in ("username a" + " password" * 20000 + "  ", "snmp-server host X" + " traps" * 20000,
                 "a." * 50000 + "://", "x " + '"$1$' * 20000, "set " + "a " * 50000 + "secret",
                 "snmp-server user U" + " priv" * 20000):
        assert mask_secrets(mask_secrets(line)) == mask_secrets(line)


# ---- properties ------------------------------------------------------------------------

EXAMPLE_LINES = sorted({line for _, example in CASES for line in _split(example)[0].split("\n")}
                       | {line for text in UNTOUCHED for line in text.split("\n")})
LINES = st.one_of(st.sampled_from(EXAMPLE_LINES),
                  st.text(st.sampled_from(" \t\"$;{}#!-:/@abkeysqcrt0579"), max_size=40),
                  st.text(max_size=30))


def _changed_only_masks(original: str, masked: str) -> bool:
    """Whether `masked` is `original` with some pieces replaced by MASK and nothing else."""
    parts = masked.split(MASK)
    pattern = "(.+?)".join(re.escape(part) for part in parts)
    return re.fullmatch(pattern, original, re.DOTALL) is not None


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(LINES, max_size=12), st.sampled_from([None, *sorted(SECRET_TABLES)]))
def test_masking_is_idempotent_and_only_replaces_tokens(lines: list[str], dialect: str | None) -> None:
    text = "\n".join(lines)
    masked = mask_secrets(text, dialect)
    assert mask_secrets(masked, dialect) == masked
    assert masked.count("\n") == text.count("\n")
    for before, after in zip(text.split("\n"), masked.split("\n"), strict=True):
        assert _changed_only_masks(before, after), (before, after)
    assert not secret_tokens(masked, dialect) - {MASK}


# ---- data keys ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "password", "Password", "enable_secret", "snmp_community", "snmp_community_ro", "communities",
    "api-token", "apikey", "api_key", "apiKey", "APIKey", "privateKey", "private_key", "psk",
    "wpa2_psk", "pwd", "pass", "passphrase", "auth_pass", "auth_string", "authString",
    "community_string", "key", "keys", "auth_key", "bgp_md5_password", "password2", "secrets",
    "client_secret", "access_token", "credentials", "tacacs-key", "key_string", "SNMPCommunity",
])
def test_secret_key_names(name: str) -> None:
    assert secret_key(name)


@pytest.mark.parametrize("name", [
    "passive", "passive_interfaces", "compass", "keepalive", "keepalive_interval", "bypass",
    "monkey", "turnkey", "hotkey", "keychain", "key_chain", "key_id", "keyId", "password_length",
    "password_min_length", "password_encryption", "community_list", "private_key_file",
    "secretKeyRef", "token_ttl", "auth_type", "authentication", "name", "description",
    "keyboard", "passport", "ntp_servers", "ssh_key_type", "strict_host_keys", "public_key",
    "key_file", "ssh_config",
])
def test_innocent_key_names(name: str) -> None:
    assert not secret_key(name)


def test_mask_data_and_secret_values_agree() -> None:
    data = {"name": "r1", "vars": {
        "snmp_community": "c0mm", "privateKey": {"pem": "-----BEGIN", "id": 3},
        "bgp": [{"auth_key": "k3y", "keepalive": 10}], "enable_secret": None, "pin": True,
        "apiKey": 123456, "tokens": ["t0k3n", False]}}
    assert mask_data(data)["vars"] == {
        "snmp_community": MASK, "privateKey": MASK, "bgp": [{"auth_key": MASK, "keepalive": 10}],
        "enable_secret": None, "pin": True, "apiKey": MASK, "tokens": MASK}
    assert secret_values(data) == {"c0mm", "-----BEGIN", "3", "k3y", "123456", "t0k3n"}


def test_template_fields_in_secret_positions() -> None:
    template = ("snmp-server community {{ vars.snmp_ro }} RO\n"
                "ntp authentication-key 2 md5 {{ vars['ntp'] | default('x') }}\n"
                "hostname {{ name }}\n interface {{ port }}\n description {{ vars.desc }}\n"
                "snmp {\n{% if vars.ro %}\n    community {{ ro.community_name }} {\n")
    assert secret_fields(template) == {"snmp_ro", "ntp", "community_name"}
    data = {"vars": {"snmp_ro": "PUBLIC", "desc": "x"}}
    assert mask_data(data, keys={"snmp_ro"}) == {"vars": {"snmp_ro": MASK, "desc": "x"}}
    assert secret_values(data, keys={"snmp_ro"}) == {"PUBLIC"}


# ---- known values ------------------------------------------------------------------------

def test_known_values_are_masked_anywhere_longest_first() -> None:
    known = SecretValues(["s3cr3t", "s3cr3t-comm", "ab", "x" * 200, MASK, "public", "Secret"])
    # short ones, MASK and well-known words (masked in config lines, not everywhere) dropped
    assert known.values == {"s3cr3t", "s3cr3t-comm", "x" * 200}
    text = "community s3cr3t-comm; key 's3cr3t'; ab; " + "x" * 199 + "|" + "x" * 201
    assert known.mask(text) == f"community {MASK}; key '{MASK}'; ab; " + "x" * 199 + f"|{MASK}x"
    assert known.found("..s3cr3t..") and not known.found("s3cr3") and not SecretValues()
    assert SecretValues().mask("text") == "text"


def test_many_known_values_compile_to_one_pattern() -> None:
    values = [f"secret-{n:05d}-{'ab' * (n % 30)}" for n in range(1000)]
    known = SecretValues(values)
    text = " ".join(values[::7])
    assert set(known.mask(text).split()) == {MASK}
