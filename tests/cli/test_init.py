from __future__ import annotations

import json

from click.testing import CliRunner

from unet.cli import cli


def test_init_creates_a_valid_repository_with_editor_wiring(tmp_path) -> None:
    target = tmp_path / "net"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / ".git").is_dir()
    device = (target / "devices/site1/site1-rtr-01.yaml").read_text()
    assert device.startswith("# yaml-language-server: $schema=../../schema/device.schema.json\n")
    assert (target / "schema/device.schema.json").is_file()
    settings = json.loads((target / ".vscode/settings.json").read_text())
    assert settings["yaml.schemas"]["./schema/device.schema.json"] == ["devices/**/*.yaml"]
    validated = CliRunner().invoke(cli, ["--repo", str(target), "validate"])
    assert validated.exit_code == 0, validated.output


def test_init_refuses_an_existing_repository(make_repo) -> None:
    root = make_repo()
    before = (root / "unet.yaml").read_text()
    result = CliRunner().invoke(cli, ["init", str(root)])
    assert result.exit_code == 2
    assert "already a unet repository" in result.stderr
    assert (root / "unet.yaml").read_text() == before


def test_init_keeps_existing_files_and_skips_git_when_asked(tmp_path) -> None:
    (tmp_path / "defaults.yaml").write_text("vars: {mine: true}\n")
    result = CliRunner().invoke(cli, ["init", "--no-git", "--name", "lab", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / "defaults.yaml").read_text() == "vars: {mine: true}\n"
    assert "name: lab\n" in (tmp_path / "unet.yaml").read_text()
    assert not (tmp_path / ".git").exists()


def test_init_never_writes_through_a_dangling_symlink(tmp_path) -> None:
    target = tmp_path / "net"
    target.mkdir()
    elsewhere = tmp_path / "elsewhere.yaml"
    (target / "defaults.yaml").symlink_to(elsewhere)  # points at nothing yet
    result = CliRunner().invoke(cli, ["init", "--no-git", str(target)])
    assert result.exit_code == 0, result.output
    assert not elsewhere.exists() and (target / "defaults.yaml").is_symlink()
    assert "created" in result.stdout and "defaults.yaml" not in result.stdout


def test_init_inside_a_repository_warns_that_the_new_one_is_separate(make_repo) -> None:
    root = make_repo()
    result = CliRunner().invoke(cli, ["init", str(root / "lab" / "net")])
    assert result.exit_code == 0
    assert f"inside the unet repository at {root.resolve()}" in result.stderr
    assert (root / "lab" / "net" / "unet.yaml").exists()
