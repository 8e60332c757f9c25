"""Secrets in configuration text and data: one table, used wherever text leaves unet.

`unet serve` masks with it, `unet pull` scrubs backups with it before they are
written, and deployment records are masked with it. Three rules:

- config lines: a per-dialect table says which token after which keyword is the
  secret (`unet/config/dialects/_secret_table.py`); only that token is replaced;
- data keys: a key whose name says it holds a secret (`password`, `snmp_community`,
  `apiKey`, `psk`) has its value replaced, whatever the value is;
- known values: `SecretValues` masks every occurrence of secrets found by the two
  rules above, wherever else they turn up (a message quoting a value, a diff line
  cut from its context).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

from unet.config.rules import DialectRules, SecretRule
from unet.core import record

__all__ = [
    "MASK",
    "SecretValues",
    "mask_data",
    "mask_secrets",
    "secret_fields",
    "secret_key",
    "secret_tokens",
    "secret_values",
]

MASK = "********"

# ---- data keys ---------------------------------------------------------------------------

# A key is a secret when one of its words is a secret word and no later word says the
# value is about the secret rather than the secret itself (`key_id`, `password_length`).
_SECRET_WORDS = frozenset({
    "password", "passwords", "passwd", "pwd", "pass", "passphrase", "passkey", "passcode",
    "secret", "secrets", "token", "tokens", "community", "communities", "psk", "key", "keys",
    "apikey", "authkey", "privkey", "privatekey", "secretkey", "accesskey", "credential",
    "credentials", "creds",
})
_META_WORDS = frozenset({
    "id", "ids", "index", "name", "names", "list", "lists", "chain", "chains", "file", "files",
    "path", "paths", "type", "types", "length", "len", "size", "policy", "encryption",
    "min", "max", "minimum", "maximum", "ttl", "ref", "url", "format", "algorithm", "count",
    "expiry", "expires", "lifetime", "strength", "enabled", "required", "through",
})
# `host_keys`, `public_key`: keys that are public by nature.
_PUBLIC = frozenset({"host", "public", "known"})
# `auth_string`, `md5_hash`: a generic noun after a word that says what it authenticates.
_QUALIFIED = frozenset({"string", "value", "hash", "text", "data"})
_AUTH_WORDS = frozenset({"auth", "authentication", "priv", "privacy", "md5", "sha", "hmac",
                         "wpa", "enable", "shared"})
_WORD_BREAK = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _words(name: str) -> list[str]:
    """`snmpCommunity_ro2` -> ["snmp", "community", "ro"]: snake, kebab and camel case."""
    words = (w.lower().rstrip("0123456789") for w in _WORD_BREAK.split(name))
    return [w for w in words if w]


@functools.lru_cache(maxsize=16384)  # a repository has few distinct key names, used often
def secret_key(name: str) -> bool:
    """Whether a data key's name says its value is a secret (`password`, `snmp_community`,
    `apiKey`, `auth_string`), and not something about one (`key_id`, `password_length`)."""
    words = _words(name)
    for index, word in enumerate(words):
        secret = word in _SECRET_WORDS or (
            word in _QUALIFIED and any(w in _AUTH_WORDS or w in _SECRET_WORDS
                                       for w in words[:index]))
        if secret and index and words[index - 1] in _PUBLIC:
            continue
        if secret and not any(w in _META_WORDS for w in words[index + 1:]):
            return True
    return False


def _secret(key: object, keys: Collection[str]) -> bool:
    return isinstance(key, str) and (key in keys or secret_key(key))


def mask_data(value: Any, *, keys: Collection[str] = ()) -> Any:
    """A copy of a JSON-like value with every secret-looking key's value masked; `keys`
    names more keys that hold secrets (`secret_fields` of the templates)."""
    if isinstance(value, dict | Mapping):
        return {k: MASK if v is not None and _secret(k, keys) else mask_data(v, keys=keys)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_data(v, keys=keys) for v in value]
    return value


def secret_values(value: Any, *, keys: Collection[str] = (), inside: bool = False) -> set[str]:
    """Every scalar `mask_data` would hide, as text (to find it again elsewhere)."""
    found: set[str] = set()
    _collect(value, keys, inside, found)
    return found


def _collect(value: Any, keys: Collection[str], inside: bool, found: set[str]) -> None:
    if isinstance(value, dict | Mapping):
        for k, v in value.items():
            if isinstance(v, str | int | float) and not inside and not _secret(k, keys):
                continue  # the common case: a plain value under a plain key
            _collect(v, keys, inside or _secret(k, keys), found)
    elif isinstance(value, list | tuple):
        for v in value:
            _collect(v, keys, inside, found)
    elif inside and value is not None and not isinstance(value, bool):
        found.add(str(value))


# ---- config lines ------------------------------------------------------------------------

@record
class _Table:
    keywords: tuple[str, ...]  # of every row, lowercase
    scan: tuple[str, ...]  # the keywords that contain no other (`key`, not `key-string`)
    rules: tuple[SecretRule, ...]
    chosen: dict[frozenset[str], list[SecretRule]]  # keywords on a line -> its rows

    def rows(self, keywords: frozenset[str]) -> list[SecretRule]:
        rows = self.chosen.get(keywords)
        if rows is None:
            rows = self.chosen[keywords] = [
                r for r in self.rules if any(k in keywords for k in r.keyword.split("|"))]
        return rows


_TABLES: dict[str, _Table] = {}
_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|[\s\"]")


def _table(dialect: object) -> _Table:
    from unet.config.dialects._secret_table import SECRET_TABLES, UNION

    name = _dialect_name(dialect)
    table = _TABLES.get(name)
    if table is None:
        table = _TABLES[name] = _compile(SECRET_TABLES.get(name, UNION))
    return table


def _compile(rules: Sequence[SecretRule]) -> _Table:
    keywords = tuple(sorted({k for rule in rules for k in rule.keyword.split("|")}))
    scan = tuple(k for k in keywords if not any(o != k and o in k for o in keywords))
    return _Table(keywords, scan, tuple(rules), {})


def _dialect_name(dialect: object) -> str:
    """The table's key: a dialect's own name (aliases resolved); "" for the union."""
    if isinstance(dialect, DialectRules):
        return dialect.name
    if not isinstance(dialect, str) or not dialect.strip():
        return ""
    from unet.config.dialects import get_dialect

    try:
        return get_dialect(dialect).name
    except ValueError:
        return dialect.strip().lower()  # a table without a parser yet (frr), or unknown


def mask_secrets(text: str, dialect: object = None) -> str:
    """Config text with each secret token replaced by `MASK` (quoted ones stay quoted).

    `dialect` (a name or a `DialectRules`) picks the dialect's own rows; `None` or an
    unknown name applies the rows of every dialect, for text whose dialect is not known.
    Everything but the secret tokens is kept byte for byte.
    """
    lines = text.split("\n")
    for index, spans in _secret_spans(text, lines, _table(dialect)):
        lines[index] = _replace(lines[index], spans)
    return "\n".join(lines)


def secret_tokens(text: str, dialect: object = None) -> set[str]:
    """The secrets `mask_secrets` would hide, without their quotes."""
    lines = text.split("\n")
    found = set()
    for index, spans in _secret_spans(text, lines, _table(dialect)):
        for start, end in spans:
            token = lines[index][start:end]
            token = token[1:-1] if _quoted(token) else token
            if token and token != MASK:
                found.add(token)
    return found


# `{{ vars.a.b }}`, `{{ vars["a"] | default("x") }}`: a plain data reference, and its name
_EXPRESSION = re.compile(r"\{\{-?\s*([A-Za-z_][\w.]*(?:\[[\"'][^\"'\]]+[\"']\])*)"
                         r"\s*(?:\|[^}]*)?-?\}\}")
_LAST_NAME = re.compile(r"(?:\.|\[[\"'])([^.\[\]\"']+)[\"']?\]?$")


def secret_fields(template: str, dialect: object = None) -> set[str]:
    """The data fields a template puts where a secret goes: `snmp-server community
    {{ vars.snmp_ro }} RO` gives {"snmp_ro"}. Their values are secrets wherever they
    turn up, whatever the field is called."""
    lines = template.split("\n")
    found = set()
    for index, spans in _secret_spans(template, lines, _table(dialect), code=True):
        for start, end in spans:
            for expression in _EXPRESSION.findall(lines[index][start:end]):
                last = _LAST_NAME.search(expression)
                found.add(last.group(1) if last else expression)
    return found


def _secret_spans(text: str, lines: Sequence[str], table: _Table, *, code: bool = False,
                  ) -> Iterator[tuple[int, list[tuple[int, int]]]]:
    """(line index, secret spans) of every line holding a secret (with `code`, only the
    spans that are template code, which are otherwise left alone).

    Only lines holding a row's keyword are looked at; the parent of a line is found by
    walking back, and remembered.
    """
    lowered = text.lower()  # may change lengths, never the number of lines
    hits = []
    for keyword in table.scan:  # str.find is much faster than one regex of them all
        position = lowered.find(keyword)
        while position >= 0:
            hits.append(position)
            end = lowered.find("\n", position)  # one hit per line is enough
            position = lowered.find(keyword, end) if end >= 0 else -1
    hits.sort()
    candidates: list[int] = []
    index = last = 0
    for position in hits:
        index += lowered.count("\n", last, position)
        last = position
        if not candidates or candidates[-1] != index:
            candidates.append(index)
    parents: dict[int, int | None] = {}
    for index in candidates:
        low = lines[index].lower()
        words = frozenset(k for k in table.keywords if k in low)
        spans = _line_spans(lines, index, table.rows(words), parents, code=code)
        if spans:
            yield index, spans


def _parent(lines: Sequence[str], index: int, memo: dict[int, int | None]) -> int | None:
    """The index of the section line `lines[index]` sits in (by indentation), or None."""
    if index in memo:
        return memo[index]
    line = lines[index]
    indent = len(line) - len(line.lstrip())
    found: int | None = None
    position = index - 1
    while position >= 0 and indent > 0:
        other = lines[position]
        stripped = other.lstrip()
        if stripped and stripped[0] not in "!#}" and not stripped.startswith(("{%", "{#")):
            other_indent = len(other) - len(stripped)
            if other_indent < indent:
                found = position
                break
            if other_indent == indent and position in memo:  # a sibling: the same parent
                found = memo[position]
                break
        position -= 1
    memo[index] = found
    return found


def _line_spans(lines: Sequence[str], index: int, rules: Iterable[SecretRule],
                parents: dict[int, int | None], *, code: bool = False) -> list[tuple[int, int]]:
    line = lines[index]
    spans = []
    for rule in rules:
        if rule.within is not None:
            parent = _parent(lines, index, parents)
            if parent is None or rule.within.search(lines[parent].lstrip()) is None:
                continue
        for match in rule.pattern.finditer(line):
            for group in range(1, rule.pattern.groups + 1):
                start, end = match.span(group)
                token = line[start:end]
                if code:
                    if "{{" in token:
                        spans.append((start, end))
                elif end > start and _TEMPLATE_CODE.sub("", token.replace(MASK, "")):
                    spans.append((start, end))  # not template code, not masked already
    return _merged(spans)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _quoted(token: str) -> bool:
    return len(token) >= 2 and token[0] == token[-1] == '"'


def _replace(line: str, spans: Iterable[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in spans:
        out += [line[last:start], f'"{MASK}"' if _quoted(line[start:end]) else MASK]
        last = end
    out.append(line[last:])
    return "".join(out)


# ---- known values ------------------------------------------------------------------------

class SecretValues:
    """Masks every occurrence of known secret values in any text.

    Values shorter than `MIN_LENGTH` are left out: masking every `7` or `ab` would
    destroy the text around them and hide nothing worth hiding. So are the well-known
    defaults (`public`, `cisco`) and config words (`secret`): everyone knows them, and
    masking them everywhere would hide what a finding about them says
    (`NOT HAS "snmp-server community public.*"`) and every `enable secret`.
    """

    MIN_LENGTH = 4
    WELL_KNOWN = frozenset({
        "public", "private", "secret", "password", "cisco", "admin", "zebra", "default",
        "community", "changeme", "enable", "none", "null", "true", "false", "test", "key",
    })
    _PREFIX = 48  # the regex matches at most this many characters; the rest is compared

    __slots__ = ("_by_prefix", "_pattern", "values")

    def __init__(self, values: Iterable[str] = ()) -> None:
        self.values = frozenset(v for v in values if len(v) >= self.MIN_LENGTH and v.strip()
                                and MASK not in v and v.lower() not in self.WELL_KNOWN)
        by_prefix: dict[str, list[str]] = {}
        for value in sorted(self.values, key=len, reverse=True):
            by_prefix.setdefault(value[:self._PREFIX], []).append(value)
        self._by_prefix = by_prefix
        self._pattern = re.compile(_trie_pattern(by_prefix)) if by_prefix else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def __or__(self, other: SecretValues) -> SecretValues:
        return SecretValues(self.values | other.values)

    def found(self, text: str) -> bool:
        return next(self._occurrences(text), None) is not None

    def mask(self, text: str) -> str:
        out, last = [], 0
        for start, end in self._occurrences(text):
            out += [text[last:start], MASK]
            last = end
        if not out:
            return text
        out.append(text[last:])
        return "".join(out)

    def _occurrences(self, text: str) -> Iterator[tuple[int, int]]:
        if self._pattern is None:
            return
        position = 0
        while (match := self._pattern.search(text, position)) is not None:
            start = match.start()
            value = next((v for v in self._by_prefix[match.group()]
                          if text.startswith(v, start)), None)
            if value is None:
                position = start + 1  # a long value's prefix only
                continue
            yield start, start + len(value)
            position = start + len(value)


def _trie_pattern(keys: Iterable[str]) -> str:
    """One regex matching any of `keys`, longest first, in one pass (a trie, not a list of
    alternatives the engine would try one by one at every position)."""
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = []
    for char in sorted(k for k in node if k):
        child, run = node[char], re.escape(char)
        while len(child) == 1 and "" not in child:  # a chain without branches: one literal
            (char, child), = child.items()
            run += re.escape(char)
        branches.append(run + _node_pattern(child))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body
