"""The config engine: read device configurations as trees, slice, diff and remediate them.

Usable as a library on its own; it imports only the standard library and `unet.core`.

    >>> from unet.config import parse, diff, remediate, emit
    >>> running = parse("hostname a\\n", "ios")
    >>> intended = parse("hostname b\\n", "ios")
    >>> emit(remediate(diff(running, intended)))
    'hostname b\\n'
"""

from __future__ import annotations

import contextlib

from unet.config._api import (
    Detection,
    detect_dialect,
    detect_profile,
    diff,
    emit,
    parse,
    slice,
    trim,
)
from unet.config._diff import Change, ConfigDiff, SectionDiff
from unet.config._match import Match, MatchError
from unet.config._plan import Command, Remediation, Summary
from unet.config._remediate import apply, predict, protect_rules, remediate, rollback
from unet.config._secrets import (
    MASK,
    SecretValues,
    mask_data,
    mask_secrets,
    secret_fields,
    secret_key,
    secret_tokens,
    secret_values,
)
from unet.config._text import DEVICE_CONTROL, ConfigTextError, decode_config
from unet.config._tree import CONTEXT, ConfigTree, Node
from unet.config.dialects import DIALECTS, get_dialect
from unet.config.rules import DialectRules, ProtectRule

__all__ = [
    "CONTEXT",
    "DEVICE_CONTROL",
    "DIALECTS",
    "MASK",
    "Change",
    "Command",
    "ConfigDiff",
    "ConfigTextError",
    "ConfigTree",
    "Detection",
    "DialectRules",
    "Match",
    "MatchError",
    "Node",
    "ProtectRule",
    "Remediation",
    "SecretValues",
    "SectionDiff",
    "Summary",
    "apply",
    "decode_config",
    "detect_dialect",
    "detect_profile",
    "diff",
    "emit",
    "get_dialect",
    "mask_data",
    "mask_secrets",
    "parse",
    "predict",
    "protect_rules",
    "remediate",
    "rollback",
    "secret_fields",
    "secret_key",
    "secret_tokens",
    "secret_values",
    "slice",
    "trim",
]

# Show the public path in reprs and docs, as httpx does.
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) or callable(_obj):
        with contextlib.suppress(AttributeError, TypeError):
            _obj.__module__ = __name__
