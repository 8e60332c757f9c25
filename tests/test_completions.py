"""Shell completion: the shipped scripts match the CLI, and TAB answers what users expect."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import get_completion_class
from click.testing import CliRunner

from tests.conftest import EXAMPLES, ROOT, MakeRepo
from unet.cli import COMMANDS, cli
from unet.cli._complete import device_names
from unet.cli.completion import SHELLS, completion_script

COMPLETIONS = ROOT / "completions"
REGENERATE = "regenerate with: for s in bash zsh fish powershell; do unet completion $s > ...; done"


@pytest.mark.parametrize("shell", list(SHELLS))
def test_shipped_completion_file_matches_the_cli(shell: str) -> None:
    shipped = (COMPLETIONS / SHELLS[shell]).read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["completion", shell])
    assert result.exit_code == 0, result.output
    assert result.output == shipped, f"completions/{SHELLS[shell]} is stale; {REGENERATE}"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_scripts_equal_clicks_own_source(shell: str) -> None:
    # Homebrew generates its files with _UNET_COMPLETE=<shell>_source; ours must agree.
    cls = get_completion_class(shell)
    assert cls is not None
    clicks = cls.source_template % cls(cli, {}, "unet", "_UNET_COMPLETE").source_vars()
    assert completion_script(shell) == clicks


def test_completions_folder_has_exactly_the_shipped_files() -> None:
    assert sorted(p.name for p in COMPLETIONS.iterdir()) == sorted(SHELLS.values())


def _complete(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
              line: str, shell: str = "bash") -> list[str]:
    """What TAB offers after `line` (a trailing space starts a new word), via the protocol."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    monkeypatch.setenv("COMP_WORDS", line)
    monkeypatch.setenv("COMP_CWORD", str(cword))
    monkeypatch.setenv("_UNET_COMPLETE", f"{shell}_complete")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(args=[], prog_name="unet", complete_var="_UNET_COMPLETE")
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    if shell == "bash":
        return [item for item in out.splitlines() if item]
    lines = out.splitlines()
    return [f"{lines[i]}:{lines[i + 1]}" for i in range(0, len(lines) - 2, 3)]


def test_tab_completes_every_command(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    offered = _complete(monkeypatch, capsys, "unet ")
    assert offered == [f"plain,{name}" for name in sorted(COMMANDS)]
    assert _complete(monkeypatch, capsys, "unet com") == ["plain,completion"]


def test_tab_completes_options_and_choices(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert "plain,--format" in _complete(monkeypatch, capsys, "unet check --f")
    assert _complete(monkeypatch, capsys, "unet check --format s") == ["plain,sarif"]
    assert _complete(monkeypatch, capsys, "unet completion p") == ["plain,powershell"]


def test_tab_completes_device_names_from_the_repository(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    line = f"unet --repo {EXAMPLES} check dc1-s"
    assert _complete(monkeypatch, capsys, line) == ["plain,dc1-spine-01", "plain,dc1-spine-02"]
    # Names already on the line are not offered again.
    line = f"unet --repo {EXAMPLES} render dc1-spine-01 dc1-s"
    assert _complete(monkeypatch, capsys, line) == ["plain,dc1-spine-02"]
    line = f"unet --repo {EXAMPLES} devices show ber1-"
    assert _complete(monkeypatch, capsys, line) == ["plain,ber1-rtr-01", "plain,ber1-sw-01"]


def test_tab_completes_groups_and_locations_from_the_repository(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    line = f"unet --repo {EXAMPLES} devices list --group dc-"
    assert _complete(monkeypatch, capsys, line) == [
        "plain,dc-fabric", "plain,dc-leaf", "plain,dc-spine"]
    line = f"unet --repo {EXAMPLES} devices list --location dc1-r"
    assert _complete(monkeypatch, capsys, line) == [
        "plain,dc1-r01", "plain,dc1-r02", "plain,dc1-room1"]


def test_device_completion_finds_the_repository_like_commands_do(
        make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"devices/dc/leaf1.yml": "name: leaf1\n", "devices/.hidden.yaml": "x"})
    (root / "devices" / "hq" / "sub").mkdir()
    monkeypatch.chdir(root / "devices" / "hq" / "sub")  # search upward for unet.yaml
    assert _complete(monkeypatch, capsys, "unet diff ") == [
        "plain,leaf1", "plain,r1", "plain,r2"]
    monkeypatch.setenv("UNET_REPO", str(root))
    monkeypatch.chdir(root.parent)
    assert _complete(monkeypatch, capsys, "unet check l") == ["plain,leaf1"]


def test_paths_and_unknown_words_complete_as_files(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    # check takes changed files, diff takes two config files: let the shell complete paths.
    assert _complete(monkeypatch, capsys, f"unet --repo {EXAMPLES} check devices/h") == [
        "file,devices/h"]
    assert _complete(monkeypatch, capsys, f"unet --repo {EXAMPLES} diff nomatch") == [
        "file,nomatch"]
    monkeypatch.chdir(tmp_path)  # outside any repository
    assert _complete(monkeypatch, capsys, "unet render r") == ["file,r"]


def test_zsh_and_powershell_get_help_texts(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    offered = _complete(monkeypatch, capsys, "unet che", shell="zsh")
    assert offered == ["plain:check"]
    # The PowerShell script speaks the zsh protocol (no extra class to register at startup).
    script = (COMPLETIONS / "unet.ps1").read_text()
    assert "Register-ArgumentCompleter -Native -CommandName unet" in script
    assert '$env:_UNET_COMPLETE = "zsh_complete"' in script


def test_device_names_reads_file_names_only(tmp_path: Path) -> None:
    (tmp_path / "devices" / "a" / "b").mkdir(parents=True)
    (tmp_path / "devices" / "a" / "b" / "x1.yaml").write_text(": not yaml at all [")
    (tmp_path / "devices" / "y2.yml").write_text("")
    (tmp_path / "devices" / "notes.txt").write_text("")
    assert device_names(tmp_path) == ["x1", "y2"]
    assert device_names(tmp_path / "missing") == []


def _venv_bin() -> Path:
    return Path(sys.executable).parent


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_bash_script_completes_in_a_real_bash() -> None:
    unet = _venv_bin() / "unet"
    if not unet.exists():
        pytest.skip("unet is not installed in this environment")
    script = (
        f"source {COMPLETIONS / 'unet.bash'}\n"
        f"COMP_WORDS=(unet --repo {EXAMPLES} devices show hq-core-); COMP_CWORD=5\n"
        "_unet_completion unet\n"  # bash passes the command name as $1
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{unet.parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], env=env,
                            capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.split() == ["hq-core-01", "hq-core-02"]


def test_completing_imports_no_heavy_module() -> None:
    # Completion runs unet on every TAB: neither the script command nor device-name
    # completion may load rich, jinja2, lark, git, ... (the same list as `unet --help`).
    from tests.cli.test_main import HEAVY

    code = (
        "import json, os, sys\n"
        "from unet.cli import cli\n"
        "cli.main(['completion', 'powershell'], standalone_mode=False)\n"
        f"os.environ.update(COMP_WORDS='unet --repo {EXAMPLES} check hq-', COMP_CWORD='4',\n"
        "                  _UNET_COMPLETE='bash_complete')\n"
        "try:\n"
        "    cli.main([], prog_name='unet', complete_var='_UNET_COMPLETE')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    assert "plain,hq-core-01" in result.stdout
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []
