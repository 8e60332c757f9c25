"""Compiled template code kept on disk: a run with a restored cache compiles only what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from unet.source import MemorySnapshot
from unet.templates import _codecache
from unet.templates._env import _CODE_CACHE, TemplateEnvironment, make_environment

SOURCE = "{% for x in items %}line {{ x * 2 }}\n{% endfor %}"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("UNET_CACHE_DIR", str(tmp_path))
    _CODE_CACHE.clear()  # as in a new process
    return tmp_path / "templates"


def _render(source: str = SOURCE) -> str:
    env = make_environment(MemorySnapshot({"templates/t.j2": source}))
    return env.get_template("t.j2").render(items=[1, 2])


def _no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(TemplateEnvironment, "compile", refuse)


def test_a_new_process_uses_the_stored_code(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _render() == "line 2\nline 4\n"
    assert len(list(cache.glob("*.code"))) == 1
    _CODE_CACHE.clear()
    _no_compiling(monkeypatch)
    assert _render() == "line 2\nline 4\n"


def test_changed_content_is_compiled_again(cache: Path) -> None:
    _render()
    _CODE_CACHE.clear()
    assert _render(SOURCE + "end\n") == "line 2\nline 4\nend\n"
    assert len(list(cache.glob("*.code"))) == 2


def test_a_damaged_file_is_ignored_and_replaced(cache: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _render()
    (stored,) = cache.glob("*.code")
    stored.write_bytes(stored.read_bytes()[:-5] + b"xxxxx")
    _CODE_CACHE.clear()
    assert _render() == "line 2\nline 4\n"
    _CODE_CACHE.clear()
    _no_compiling(monkeypatch)  # the damaged file was written again
    assert _render() == "line 2\nline 4\n"


def test_an_unwritable_cache_still_renders(cache: Path) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("not a directory")
    assert _render() == "line 2\nline 4\n"


def test_old_files_beyond_the_limit_are_dropped(cache: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_codecache, "KEEP", 2)
    for n in range(4):
        _render(SOURCE + f"{n}\n")
    assert len(list(cache.glob("*.code"))) == 2
