"""Compiled template code kept on disk by template path and blob id, next to the index.

Compiling a template (Jinja2's lexer, parser and code generator) is most of a cold render;
a CI job that restores its cache directory compiles only the templates that changed. The
key covers everything the generated code depends on: the template's path and content,
unet, Jinja2 and Python versions, and the environment's options, filters and tests. A
file that is unreadable, damaged or for another key is ignored and written again; a
cache that cannot be written is simply not used.

The files hold Python code: the cache directory is trusted as much as an installed
environment (a restored virtualenv holds code too).
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from types import CodeType
from typing import Any

from unet import __version__
from unet.paths import cache_dir

__all__ = ["KEEP", "load_code", "store_code"]

KEEP = 2000  # files kept; beyond this the oldest go (each is a few kilobytes)
_DIGEST = 16
_fingerprints: dict[int, str] = {}


def _fingerprint(environment: Any) -> str:
    """What of the environment the generated code depends on (computed once per env)."""
    found = _fingerprints.get(id(environment))
    if found is None:
        import jinja2

        parts = (
            __version__, jinja2.__version__, sys.implementation.cache_tag, marshal.version,
            type(environment).__module__, type(environment).__qualname__,
            environment.block_start_string, environment.block_end_string,
            environment.variable_start_string, environment.variable_end_string,
            environment.comment_start_string, environment.comment_end_string,
            environment.line_statement_prefix, environment.line_comment_prefix,
            environment.trim_blocks, environment.lstrip_blocks, environment.newline_sequence,
            environment.keep_trailing_newline, environment.optimized,
            environment.is_async, repr(environment.autoescape),
            sorted(environment.filters), sorted(environment.tests),
            sorted(getattr(environment, "intercepted_binops", ())),
            sorted(getattr(environment, "intercepted_unops", ())),
            sorted(environment.extensions),
        )
        found = _fingerprints[id(environment)] = repr(parts)
    return found


def _key(environment: Any, path: str, blob: str) -> bytes:
    return f"{_fingerprint(environment)}\0{path}\0{blob}".encode("utf-8", "surrogatepass")


def _file(key: bytes) -> Path:
    return cache_dir() / "templates" / f"{hashlib.sha256(key).hexdigest()[:32]}.code"


def _seal(key: bytes, payload: bytes) -> bytes:
    return hashlib.blake2b(key + b"\0" + payload, digest_size=_DIGEST).digest() + payload


def load_code(environment: Any, path: str, blob: str) -> CodeType | None:
    """The stored code of this template content, or None."""
    key = _key(environment, path, blob)
    try:
        body = _file(key).read_bytes()
    except OSError:
        return None
    payload = body[_DIGEST:]
    if _seal(key, payload) != body:
        return None
    try:
        code = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def store_code(environment: Any, path: str, blob: str, code: CodeType) -> None:
    """Keep `code` for the next run (atomically; any failure leaves no trace)."""
    key = _key(environment, path, blob)
    target = _file(key)
    with contextlib.suppress(OSError, ValueError):
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(_seal(key, marshal.dumps(code)))
            os.replace(name, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(name)
            raise
        _trim(target.parent)


def _trim(directory: Path) -> None:
    """Drop the oldest files beyond KEEP."""
    entries = [e for e in os.scandir(directory) if e.name.endswith(".code")]
    if len(entries) <= KEEP:
        return
    entries.sort(key=lambda e: e.stat().st_mtime)
    for entry in entries[:len(entries) - KEEP]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
