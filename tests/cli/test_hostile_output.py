"""Control characters in a repository's files or a device's configuration reach the output
as visible escapes: they cannot recolour, erase or forge lines of a terminal or a CI log."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from unet.cli import cli

DEVICE = ("name: r1\nlocation: hq\ngroups: [ios]\nrole: core\nmanagement_ip: 10.0.0.1\n"
          "templates: [t.j2]\n"
          'vars:\n  motto: "\\e[2K\\rcheck: no problems\\e]0;owned\\a"\n')
FILES = {
    "devices/hq/r1.yaml": DEVICE,
    "templates/t.j2": "hostname r1\ninterface Gi1\n description uplink\n",
    "configs/r1.cfg": "hostname r1\ninterface Gi1\n description \x1b[8mhidden\x1b[0m\n",
    "policies/p.unet": 'RULE motto WHEN true THEN ASSERT node.vars.motto == "x" '
                       'MESSAGE "motto is {node.vars.motto}"\n',
}


def unet(root, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "unet", "--repo", str(root), *args],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("fmt", ["text", "concise", "github"])
def test_control_characters_from_data_are_escaped_in_every_human_format(make_repo, fmt) -> None:
    root = make_repo(FILES)
    result = unet(root, "check", "--format", fmt)
    assert result.returncode == 1, result.stdout + result.stderr
    shown = result.stdout + result.stderr
    assert "\x1b" not in shown and "\r" not in shown and "\x07" not in shown
    assert "motto is \\x1b[2K" in shown  # the value is still there to read


def test_a_policy_line_with_control_characters_is_framed_with_escapes(make_repo) -> None:
    root = make_repo({"policies/p.unet": "RULE r WHEN true THEN ASSERT node.name MATCHES "
                                         "/(\x1b[2K\r+/\n"})
    result = unet(root, "policy", "validate")
    assert result.returncode == 2
    assert "\x1b" not in result.stdout and "\r" not in result.stdout
    assert result.stdout.splitlines()[:3] == [
        "policies/p.unet:1:51: P202 error: invalid regex: unterminated character set",
        " 1 | RULE r WHEN true THEN ASSERT node.name MATCHES /(\\x1b[2K\\x0d+/",
        "   | " + " " * len("RULE r WHEN true THEN ASSERT node.name MATCHES /(\\x1b") + "^"]


def test_json_keeps_the_exact_value(make_repo) -> None:
    import json

    root = make_repo(FILES)
    result = unet(root, "check", "--format", "json")
    messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
    assert "motto is \x1b[2K\rcheck: no problems\x1b]0;owned\x07" in messages


def test_device_list_and_rule_list_show_escapes(make_repo) -> None:
    root = make_repo({**FILES, "devices/hq/r1.yaml": DEVICE.replace(
        "role: core", 'role: "core\\e[8m"'),
        "policies/p.unet": 'RULE t "title \\u001b[2J" WHEN true THEN ASSERT true\n'})
    listed = unet(root, "devices", "list")
    assert listed.returncode == 0, listed.stderr
    assert "core\\x1b[8m" in listed.stdout and "\x1b" not in listed.stdout
    rules = unet(root, "rules", "list")
    assert "title \\x1b[2J" in rules.stdout and "\x1b" not in rules.stdout


def test_diff_json_escapes_what_a_terminal_acts_on_and_keeps_the_value(make_repo) -> None:
    import json

    root = make_repo(FILES)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t",
                    "commit", "-qm", "one"], check=True)
    # A bidi override (a C1 CSI or a line separator is refused outright: T116).
    shown = " description Zürich \u202eevil"
    (root / "templates/t.j2").write_text(f"hostname r1\ninterface Gi1\n{shown}\n",
                                         encoding="utf-8")
    result = unet(root, "diff", "--rev", "HEAD", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "\u202e" not in result.stdout
    assert "Zürich" in result.stdout  # other text stays readable
    assert shown.strip() in json.dumps(json.loads(result.stdout), ensure_ascii=False)


def test_a_line_separator_in_a_value_is_refused_and_never_splits_a_command(tmp_path) -> None:
    import shutil

    from tests.conftest import EXAMPLES

    repo = tmp_path / "ex"
    shutil.copytree(EXAMPLES, repo)
    device = repo / "devices" / "hq" / "hq-acc-02.yaml"
    device.write_text(device.read_text().replace(
        "{description: hq-dist-01 Te1/0/2,", '{description: "up\\u2028hostname evil\\x85enable secret z",', 1))
    config = repo / "configs" / "hq-acc-02.cfg"
    config.write_text(config.read_text().replace(
        "ntp server 10.0.0.1\n", "ntp server 10.0.0.1\nntp server 10.0.0.8\u2028hostname evil\n", 1))
    validate = CliRunner().invoke(cli, ["--repo", str(repo), "validate"])
    assert validate.exit_code == 2 and "T116" in validate.stdout and "\\u2028" in validate.stdout
    diff = CliRunner().invoke(cli, ["--repo", str(repo), "diff", "hq-acc-02", "--remediation"])
    assert "no ntp server 10.0.0.8\\u2028hostname evil" in diff.stdout
    assert not any(line.strip() in ("hostname evil", "enable secret z")
                   for line in diff.stdout.split("\n"))


BIDI = "ab\u202ecd\x85ef\u2066gh"


def test_slice_text_escapes_a_bidi_override_and_json_keeps_the_value(tmp_path) -> None:
    import json

    config = tmp_path / "r1.cfg"
    config.write_text(f"hostname r1\ninterface Gi1\n description {BIDI}\n", encoding="utf-8")
    text = CliRunner().invoke(cli, ["slice", "-p", "ios", "-m", "interface .*", str(config)])
    assert text.exit_code == 0, text.output
    assert text.stdout == "interface Gi1\n description ab\\u202ecd\\x85ef\\u2066gh\n"
    raw = CliRunner().invoke(cli, ["slice", "-p", "ios", "-m", "interface .*", "--format",
                                   "json", str(config)])
    assert "\u202e" not in raw.stdout and "\x85" not in raw.stdout
    assert json.loads(raw.stdout)[0]["lines"][1]["text"] == f"description {BIDI}"


def test_devices_show_yaml_escapes_a_bidi_override_and_keeps_the_value(make_repo) -> None:
    import yaml

    root = make_repo({**FILES, "devices/hq/r1.yaml": DEVICE.replace(
        "role: core", 'role: core\ndescription: "ab\\u202ecd\\x85ef\\u2066gh"')})
    shown = CliRunner().invoke(cli, ["--repo", str(root), "devices", "show", "r1"])
    assert shown.exit_code == 0, shown.output
    assert not any(c in shown.stdout for c in "\u202e\x85\u2066")
    assert yaml.safe_load(shown.stdout)["description"] == BIDI


def test_markdown_report_escapes_a_bidi_override(make_repo) -> None:
    root = make_repo({**FILES, "devices/hq/r1.yaml": DEVICE.replace(
        "\\e[2K\\rcheck: no problems\\e]0;owned\\a", "ab\\u202ecd")})
    result = unet(root, "check", "--format", "markdown")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "\u202e" not in result.stdout and "motto is ab\\u202ecd" in result.stdout
