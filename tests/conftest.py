from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import MINIMAL
from tests.lab.fixture import lab  # noqa: F401  (the router lab, for device tests)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

MakeRepo = Callable[..., Path]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never touch the real user cache from tests (crash logs, index).
    monkeypatch.setenv("UNET_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("UNET_REPO", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """Write a small repository: MINIMAL, updated with `files` (None deletes a file)."""

    def make(files: dict[str, str | bytes | None] | None = None, *, base: bool = True) -> Path:
        root = tmp_path / "net"
        content: dict[str, str | bytes | None] = {**(MINIMAL if base else {}), **(files or {})}
        for relative, text in content.items():
            if text is None:
                continue
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8")
        return root

    return make
