"""The root command: lazy loading, global options, exit codes and the crash handler."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from unet import __version__
from unet.cli import COMMANDS, cli, main

HEAVY = ("rich.console", "jinja2", "lark", "git", "deepdiff", "keyring", "sqlite_utils", "pydantic")


@pytest.mark.parametrize("argv", [["--help"], ["--version"]])
def test_help_and_version_import_no_heavy_library(argv: list[str]) -> None:
    code = (
        "import sys, json\n"
        "from unet.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "unet", "--version"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.strip() == f"unet {__version__}"


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for name in COMMANDS:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage: " in result.output


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def test_unknown_command_suggests_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["valdiate"], capsys)
    assert code == 2
    assert "No such command 'valdiate'. Did you mean 'validate'?" in err


def test_bad_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["validate", "--format", "xml"], capsys)
    assert code == 2 and "Invalid value for '--format'" in err


def test_outside_a_repository(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["validate"], capsys)
    assert code == 2
    assert out == ""
    assert "not inside a unet repository" in err and "unet init" in err


def test_repo_option_must_point_at_a_repository(tmp_path, capsys) -> None:
    code, _, err = run(["--repo", str(tmp_path), "validate"], capsys)
    assert code == 2 and "is not a unet repository" in err


def test_a_missing_repository_says_so_and_where_it_was_named(tmp_path, monkeypatch,
                                                             capsys) -> None:
    missing = tmp_path / "nope"
    code, _, err = run(["--repo", str(missing), "validate"], capsys)
    assert code == 2 and f"{missing} does not exist (from --repo)" in err
    monkeypatch.setenv("UNET_REPO", str(tmp_path))
    code, _, err = run(["validate"], capsys)
    assert code == 2 and "is not a unet repository" in err and "fix UNET_REPO" in err


def test_repository_is_found_from_a_subdirectory(make_repo, monkeypatch, capsys) -> None:
    monkeypatch.chdir(make_repo() / "devices" / "hq")
    code, _, err = run(["validate"], capsys)
    assert code == 0 and "no problems" in err


def test_internal_error_exits_3_with_a_report_line(make_repo, monkeypatch, capsys) -> None:
    import unet.inventory._load as load

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(load, "resolve_devices", explode)
    code, _, err = run(["--repo", str(make_repo()), "validate"], capsys)
    assert code == 3
    assert "internal error: RuntimeError: boom" in err
    assert "please report it" in err and "crash-" in err


def test_no_color_environment_disables_colour(make_repo, monkeypatch, capsys) -> None:
    root = make_repo({"devices/hq/r2.yaml": "name: r2\nlocation: nowhere\n"})
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = run(["--repo", str(root), "--color", "always", "validate"], capsys)
    assert "\x1b[" not in out


def test_color_always_colours_and_shows_a_code_frame(make_repo, capsys) -> None:
    root = make_repo({"devices/hq/r2.yaml": "name: r2\nlocation: nowhere\n"})
    _, out, _ = run(["--repo", str(root), "--color", "always", "validate"], capsys)
    assert "\x1b[" in out
    assert " 2 | location: nowhere" in out


def test_quiet_drops_the_summary(make_repo, capsys) -> None:
    code, out, err = run(["--repo", str(make_repo()), "-q", "validate"], capsys)
    assert (code, out, err) == (0, "", "")


def test_a_closed_pipe_exits_141_quietly(make_repo) -> None:
    """`unet devices list | head -1`: not 1, which would say something was found."""
    import os

    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line is written
    try:
        result = subprocess.run([sys.executable, "-m", "unet", "--repo", str(make_repo()),
                                 "devices", "list"], stdout=write, stderr=subprocess.PIPE,
                                check=False)
    finally:
        os.close(write)
    assert result.returncode == 141
    assert result.stderr == b""
