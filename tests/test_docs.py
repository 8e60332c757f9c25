"""The documentation site builds in strict mode and covers every command and code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from tests.conftest import ROOT
from unet.cli import cli

DOCS = ROOT / "docs"


def _docs_text() -> str:
    # Whitespace-normalised: a command name may wrap across lines.
    return " ".join(" ".join(p.read_text(encoding="utf-8").split())
                    for p in sorted(DOCS.glob("*.md")))


def _command_paths(group: click.Group, prefix: str = "") -> list[str]:
    ctx = click.Context(group)
    paths = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if command.hidden:
            continue
        paths.append(f"{prefix}{name}")
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, f"{prefix}{name} "))
    return paths


def test_site_builds_in_strict_mode(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="mkdocs not installed (test extra)")
    # No -q: it hides the warnings that strict mode turns into a failure.
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "getting-started" / "index.html").is_file()


def test_every_page_is_in_the_navigation() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())

    def pages(nav: object) -> list[str]:
        if isinstance(nav, str):
            return [nav]
        if isinstance(nav, dict):
            return [p for value in nav.values() for p in pages(value)]
        if isinstance(nav, list):
            return [p for item in nav for p in pages(item)]
        return []

    assert sorted(pages(config["nav"])) == sorted(p.name for p in DOCS.glob("*.md"))


@pytest.mark.parametrize("command", _command_paths(cli))
def test_every_command_is_documented(command: str) -> None:
    assert f"unet {command}" in _docs_text(), f"`unet {command}` appears nowhere in docs/"


def test_every_diagnostic_code_is_documented() -> None:
    codes = {code for path in (ROOT / "unet").rglob("*.py")
             for code in re.findall(r'"([A-Z][0-9]{3})"', path.read_text(encoding="utf-8"))}
    assert codes, "no diagnostic codes found in the sources"
    text = _docs_text()
    missing = sorted(code for code in codes if not re.search(rf"\b{code}\b", text))
    assert not missing, f"codes without documentation: {missing}"
