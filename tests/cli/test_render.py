from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import EXAMPLES
from unet.cli import cli


def run(repo: Path, *args: str):
    return CliRunner().invoke(cli, ["--repo", str(repo), "render", *args])


def test_render_one_device_prints_its_config():
    result = run(EXAMPLES, "hq-acc-02")
    assert result.exit_code == 0
    assert result.stdout.startswith("hostname hq-acc-02\n")
    assert "ntp server 10.0.0.2" in result.stdout and "interface GigabitEthernet1/0/1" in result.stdout


def test_template_option_and_several_devices():
    result = run(EXAMPLES, "hq-acc-01", "hq-acc-02", "--template", "ios/access-ports.j2")
    assert "==> hq-acc-01 <==" in result.stdout and "==> hq-acc-02 <==" in result.stdout
    assert "hostname" not in result.stdout and "spanning-tree mode" in result.stdout
    bad = run(EXAMPLES, "--template", "ios/bse.j2")
    assert bad.exit_code == 2 and "did you mean 'ios/base.j2'" in bad.stderr


def test_output_dir_writes_one_file_per_device(tmp_path: Path):
    result = run(EXAMPLES, "ber1-rtr-01", "dc1-fw-01", "--output", str(tmp_path / "out"))
    assert result.stdout.split() == [str(tmp_path / "out" / "ber1-rtr-01.cfg"),
                                     str(tmp_path / "out" / "dc1-fw-01.cfg")]
    assert "host-name dc1-fw-01" in (tmp_path / "out" / "dc1-fw-01.cfg").read_text()


def test_template_errors_exit_2_and_the_rest_renders(tmp_path: Path):
    repo = tmp_path / "ex"
    shutil.copytree(EXAMPLES, repo)
    ports = repo / "templates" / "ios" / "access-ports.j2"
    ports.write_text(ports.read_text().replace("vars.stp_mode", "vars.stp_mood"))
    result = run(repo, "hq-acc-01")
    assert result.exit_code == 2
    assert "T103 error: device hq-acc-01: undefined: vars.stp_mood" in result.stderr
    assert "(named at groups/campus-access.yaml:" in result.stderr  # as validate says it
    assert "hostname hq-acc-01" in result.stdout
    # In files, a part of a config is never written as if it were one.
    out = tmp_path / "out"
    written = run(repo, "hq-acc-01", "ber1-rtr-01", "--output", str(out))
    assert written.exit_code == 2 and written.stdout.split() == [str(out / "ber1-rtr-01.cfg")]
    assert f"render: {out / 'hq-acc-01.cfg'} not written: hq-acc-01's templates have errors" \
        in written.stderr
    assert not (out / "hq-acc-01.cfg").exists()


def test_a_data_error_is_reported_and_exits_2_though_the_rest_renders(tmp_path) -> None:
    import shutil

    from click.testing import CliRunner

    from tests.conftest import EXAMPLES
    from unet.cli import cli

    repo = tmp_path / "ex"
    shutil.copytree(EXAMPLES, repo)
    group = repo / "groups" / "campus-access.yaml"
    group.write_text(group.read_text().replace("templates:", "templats:"))
    result = CliRunner().invoke(cli, ["--repo", str(repo), "render", "hq-acc-01"])
    assert result.exit_code == 2
    assert "groups/campus-access.yaml:4:1: U202 error: unknown key 'templats'" in result.stderr
    assert "hostname hq-acc-01" in result.stdout


def test_a_where_that_matches_nothing_says_so() -> None:
    from click.testing import CliRunner

    from tests.conftest import EXAMPLES
    from unet.cli import cli

    result = CliRunner().invoke(cli, ["--repo", str(EXAMPLES), "render", "--where",
                                      'node.role == "cor"'])
    assert result.exit_code == 0 and result.stdout == ""
    assert 'render: no device matches --where node.role == "cor"' in result.stderr


def test_render_output_never_writes_outside_its_directory(tmp_path) -> None:
    import shutil

    from click.testing import CliRunner

    from tests.conftest import EXAMPLES
    from unet.cli import cli

    repo = tmp_path / "ex"
    shutil.copytree(EXAMPLES, repo)
    target = tmp_path / "elsewhere" / "pwned"  # where a hostile name points
    (tmp_path / "elsewhere").mkdir()
    device = repo / "devices" / "hq" / "hq-acc-01.yaml"
    device.write_text(device.read_text().replace("name: hq-acc-01", f"name: {target}"))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["--repo", str(repo), "render", "--output", str(out)])
    assert result.exit_code == 2 and "is not a device name" in result.stderr
    assert not target.with_suffix(".cfg").exists()
    assert sorted(p.parent for p in out.iterdir()) == [out] * len(list(out.iterdir()))
    assert (out / "hq-acc-01.cfg").is_file()  # named after its file


def test_a_symlink_in_the_output_directory_is_replaced_not_followed(tmp_path) -> None:
    # An untrusted pull request commits rendered/hq-acc-02.cfg -> ../.git/config; CI then
    # runs `unet render --output rendered` and `git`: the link must not be written through.
    repo = tmp_path / "ex"
    shutil.copytree(EXAMPLES, repo)
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    (repo / "rendered").mkdir()
    (repo / "rendered" / "hq-acc-02.cfg").symlink_to(victim)
    result = run(repo, "hq-acc-02", "--output", str(repo / "rendered"))
    assert result.exit_code == 0, result.output
    written = repo / "rendered" / "hq-acc-02.cfg"
    assert not written.is_symlink() and written.read_text().startswith("hostname hq-acc-02")
    assert victim.read_text() == "keep me\n"
    assert [p.name for p in (repo / "rendered").iterdir()] == ["hq-acc-02.cfg"]  # no temp


def test_output_never_replaces_the_stored_running_configs_or_goes_into_git(tmp_path) -> None:
    repo = tmp_path / "ex"
    shutil.copytree(EXAMPLES, repo)
    stored = (repo / "configs" / "hq-acc-02.cfg").read_bytes()
    for folder in ("configs", "configs/sub", ".git", ".git/hooks"):
        (repo / ".git").mkdir(exist_ok=True)
        result = run(repo, "hq-acc-02", "--output", str(repo / folder))
        assert result.exit_code == 2, (folder, result.output)
        assert ("where the running configurations are stored" in result.stderr
                or "inside a .git directory" in result.stderr)
    assert (repo / "configs" / "hq-acc-02.cfg").read_bytes() == stored
    assert not list((repo / ".git").rglob("*.cfg"))
    # A folder that only links there is the same folder.
    (repo / "out").symlink_to(repo / "configs")
    assert run(repo, "hq-acc-02", "--output", str(repo / "out")).exit_code == 2
    assert (repo / "configs" / "hq-acc-02.cfg").read_bytes() == stored
