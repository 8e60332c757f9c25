"""The Homebrew formula lists exactly the lock's runtime dependencies, and its test works."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

FORMULA = ROOT / "packaging" / "homebrew" / "unet.rb"
RESOURCE = re.compile(r'resource "([^"]+)" do\n\s*url "([^"]+)"\n\s*sha256 "([0-9a-f]{64})"')


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "brew_generate", ROOT / "packaging" / "homebrew" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _resources_by_block(text: str) -> dict[str, dict[str, tuple[str, str]]]:
    """{"all"|"macos"|"linux": {name: (url, sha256)}} from the formula text."""
    blocks: dict[str, dict[str, tuple[str, str]]] = {"all": {}, "macos": {}, "linux": {}}
    current = "all"
    for line_no, line in enumerate(text.splitlines()):
        if line.strip() in ("on_macos do", "on_linux do"):
            current = line.strip().split("_")[1].split()[0]
        elif line == "  end":
            current = "all"
        elif line.strip().startswith("resource "):
            chunk = "\n".join(text.splitlines()[line_no:line_no + 3])
            match = RESOURCE.search(chunk)
            assert match, f"unparsable resource: {chunk}"
            blocks[current][match.group(1)] = (match.group(2), match.group(3))
    return blocks


def test_formula_resources_are_the_locks_runtime_dependencies() -> None:
    generate = _generator()
    lock = generate.load_lock()
    expected = generate.expected_resources(lock)
    found = _resources_by_block(FORMULA.read_text())
    for block in ("all", "macos", "linux"):
        assert sorted(found[block]) == sorted(expected[block]), (
            f"{block}: regenerate with python packaging/homebrew/generate.py")
        for name, (url, sha256) in found[block].items():
            locked = lock[name]
            assert url == locked["sdist"]["url"], f"{name} is not at the locked version"
            assert f"-{locked['version']}.tar.gz" in url or f"-{locked['version']}.zip" in url
            assert "sha256:" + sha256 == locked["sdist"]["hash"], name
    # Every direct dependency of unet is somewhere (as a resource or a formula).
    everything = {n for b in found.values() for n in b} | set(generate.PROVIDED)
    for dep in lock["unet"]["dependencies"]:
        assert dep["name"] in everything


def test_formula_is_what_the_generator_writes() -> None:
    generate = _generator()
    assert FORMULA.read_text() == generate.render(
        generate.load_lock(), generate.current_sdist_sha256()), (
        "stale: python packaging/homebrew/generate.py")


def test_lock_covers_every_dependency_in_pyproject() -> None:
    # A dependency added to pyproject.toml without `uv lock` would be missing from the
    # formula, the .deb and the RPM.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    declared = {re.split(r"[<>=!~ \[;]", d, maxsplit=1)[0].lower().replace("_", "-")
                for d in pyproject["project"]["dependencies"]}
    lock = _generator().load_lock()
    locked = {d["name"] for d in lock["unet"]["dependencies"]}
    assert declared == locked, "uv.lock is stale: run `uv lock`, then packaging/homebrew/generate.py"


@pytest.mark.skipif(shutil.which("ruby") is None, reason="ruby not installed")
def test_formula_is_valid_ruby() -> None:
    subprocess.run(["ruby", "-c", str(FORMULA)], check=True, capture_output=True)


def test_formula_test_block_passes_against_this_unet(tmp_path: Path) -> None:
    """Replay the formula's `test do` (files it writes, unet commands, expected text)."""
    test_block = FORMULA.read_text().split("  test do\n", 1)[1]
    for path, body in re.findall(r'\(testpath/"([^"]+)"\)\.write <<~(?:\w+)\n(.*?)\n\s+[A-Z]+\n',
                                 test_block, re.DOTALL):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(textwrap.dedent(body) + "\n")
    for path, body in re.findall(r'\(testpath/"([^"]+)"\)\.write "([^"]*)"', test_block):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(body.replace("\\n", "\n"))
    unet = [sys.executable, "-m", "unet"]
    calls = re.findall(r'shell_output\("#\{bin\}/unet ([^"]*?)( 2>&1)?"(?:, (\d))?\)', test_block)
    assert any("check" in args for args, _, _ in calls), "the test must run a real check"
    outputs = []
    env = {**os.environ, "UNET_CACHE_DIR": str(tmp_path / "cache")}
    for args, merge, code in calls:
        result = subprocess.run([*unet, *args.split()], cwd=tmp_path, capture_output=True,
                                text=True, env=env, timeout=120)
        assert result.returncode == int(code or 0), (args, result.stdout, result.stderr)
        outputs.append(result.stdout + (result.stderr if merge else ""))
    # with_env(NAME: "value", ...) do ... shell_output(bin/"unet") ... end: a TAB press.
    for assignments in re.findall(r"with_env\((.*?)\) do\n", test_block, re.DOTALL):
        tab_env = {**env, **dict(re.findall(r'(\w+): "([^"]*)"', assignments))}
        result = subprocess.run(unet, cwd=tmp_path, capture_output=True, text=True,
                                env=tab_env, timeout=120)
        outputs.append(result.stdout)
    for expected in re.findall(r'assert_match "([^"#]+)"', test_block):
        assert any(expected in out for out in outputs), expected
