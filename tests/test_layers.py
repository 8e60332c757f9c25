"""The architecture of DESIGN.md §2, checked: layers import only downwards."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "unet"

# A layer may import itself and the layers listed after it.
ORDER = ["cli", "serve", "report", "devices", "index", "policy", "templates", "inventory", "config", "source",
         "patterns",
         "core", "paths"]


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "unet" and len(parts) > 1 else None


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layers_import_only_downwards(path: Path) -> None:
    relative = path.relative_to(PACKAGE)
    own = relative.parts[0].removesuffix(".py") if relative.parts else ""
    if own not in ORDER:
        return
    allowed = set(ORDER[ORDER.index(own):])
    for name in _imports(path):
        layer = _layer(name)
        if layer is not None and layer in ORDER:
            assert layer in allowed, f"{relative} imports {name} from a higher layer"
        if own != "cli":
            assert name.split(".")[0] != "click", f"{relative} imports click below cli/"


@pytest.mark.parametrize("package", ["unet.source", "unet.inventory", "unet.report", "unet.core",
                                     "unet.devices"])
def test_public_api_is_declared_and_sorted(package: str) -> None:
    module = importlib.import_module(package)
    exported = module.__all__
    # isort style, as ruff's RUF022 keeps it: CONSTANTS, then Classes, then functions.
    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)

    assert list(exported) == sorted(exported, key=kind)
    for name in exported:
        assert hasattr(module, name), f"{package}.__all__ names missing {name}"
