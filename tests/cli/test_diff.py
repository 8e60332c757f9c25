"""`unet diff` and `unet config convert`: wiring and exit codes (logic is tested in tests/config)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from unet.cli import cli

RUNNING = "hostname r1\ninterface Gi1\n description old\n"
INTENDED = "hostname r1\ninterface Gi1\n description new\n ip access-group A in\nip access-list extended A\n 10 permit ip any any\n"


@pytest.fixture
def pair(tmp_path):
    a, b = tmp_path / "a.cfg", tmp_path / "b.cfg"
    a.write_text(RUNNING)
    b.write_text(INTENDED)
    return str(a), str(b)


def run(*args: str):
    return CliRunner().invoke(cli, ["diff", *args])


def test_text_diff_exits_1_when_configs_differ_and_0_with_exit_zero(pair):
    result = run(*pair, "--platform", "ios")
    assert result.exit_code == 1
    assert "~   description new  (was: description old)" in result.stdout
    assert run(*pair, "--platform", "ios", "--exit-zero").exit_code == 0
    assert run(*pair, "--platform", "ios", "--exit-code").exit_code == 1  # still accepted
    assert run(pair[0], pair[0], "--platform", "ios").exit_code == 0


def test_remediation_rollback_predict(pair):
    result = run(*pair, "-p", "ios", "--remediation")
    assert result.stdout.startswith("ip access-list extended A\n 10 permit ip any any\ninterface Gi1\n")
    assert "no ip access-list extended A" in run(*pair, "-p", "ios", "--rollback").stdout
    assert run(*pair, "-p", "ios", "--predict").stdout.count("description new") == 1


def test_json_and_unified_formats(pair):
    document = json.loads(run(*pair, "-p", "ios", "--format", "json").stdout)
    assert document["version"] == 1 and document["summary"]["replaced"] == 1
    assert {c["kind"] for c in document["changes"]} == {"replaced", "missing"}
    assert "+ ip access-group A in" in run(*pair, "-p", "ios", "--format", "unified").stdout


def test_doubtful_platform_warns(pair):
    result = run(*pair, "--exit-zero")
    assert result.exit_code == 0
    assert "C104 warning" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), (b"", "empty"), (b"\x00\x01\x02garbage", "binary")],
)
def test_bad_input_exits_2_naming_the_file(tmp_path, content, message):
    bad = tmp_path / "bad.cfg"
    if content is not None:
        bad.write_bytes(content)
    good = tmp_path / "good.cfg"
    good.write_text(RUNNING)
    result = run(str(bad), str(good))
    assert result.exit_code == 2
    assert message in result.stderr and "bad.cfg" in result.stderr


def test_unknown_platform_exits_2(pair):
    result = run(*pair, "--platform", "nxso")
    assert result.exit_code == 2 and "did you mean 'nxos'" in result.stderr


def test_config_convert(tmp_path):
    path = tmp_path / "j.conf"
    path.write_text("system {\n  host-name r1;\n}\n")
    result = CliRunner().invoke(cli, ["config", "convert", str(path), "--to", "set"])
    assert result.exit_code == 0 and result.stdout == "set system host-name r1\n"
    back = tmp_path / "s.conf"
    back.write_text(result.stdout)
    result = CliRunner().invoke(cli, ["config", "convert", str(back), "--to", "brace"])
    assert result.stdout == "system {\n    host-name r1;\n}\n"


def test_config_convert_refuses_another_platforms_config(tmp_path):
    """An IOS file read as JunOS gave a warning for every line, then printed nonsense."""
    path = tmp_path / "r1.cfg"
    path.write_text("hostname r1\n!\ninterface GigabitEthernet0/1\n ip address 10.0.0.1 "
                    "255.255.255.0\n!\nline vty 0 4\n transport input ssh\n")
    result = CliRunner().invoke(cli, ["config", "convert", str(path), "--to", "set"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"error: {path}: not a JunOS configuration (it is ios); `unet "
                             "config convert` converts JunOS between its brace and `set` forms\n")


def test_utf16_file_from_windows_is_compared(tmp_path, pair):
    exported = tmp_path / "exported.cfg"
    exported.write_bytes(RUNNING.encode("utf-16"))  # with a byte-order mark
    result = run(str(exported), pair[0], "-p", "ios")
    assert result.exit_code == 0 and "no differences" in result.stderr


def test_protected_lines_are_held_unless_allowed(tmp_path):
    a, b = tmp_path / "r.cfg", tmp_path / "i.cfg"
    a.write_text("hostname r1\nusername ops secret 9 $9$x\nip route 0.0.0.0 0.0.0.0 10.0.0.1\n")
    b.write_text("hostname r1\n")
    held = run(str(a), str(b), "-p", "ios", "--remediation").stdout
    assert held == ("! [held back: local user: the way in when AAA servers are unreachable] "
                    "no username ops\n! [held back: the default route] "
                    "no ip route 0.0.0.0 0.0.0.0 10.0.0.1\n! 0 commands, 0 removals, 2 held back\n")
    allowed = run(str(a), str(b), "-p", "ios", "--remediation", "--allow-protected").stdout
    assert "! [remove]\nno username ops\n" in allowed and "2 removals, 0 held back" in allowed


def test_json_has_the_plan_deploy_reads(pair):
    document = json.loads(run(*pair, "-p", "ios", "--remediation", "--format", "json").stdout)
    assert document["remediation"][0] == "ip access-list extended A"
    plan = document["plan"]
    assert plan["summary"] == {"commands": 5, "removals": 0, "held": 0}
    assert plan["commands"][1] == {"text": "10 permit ip any any", "parents": ["ip access-list extended A"],
                                   "kind": "add", "risk": None, "held": False, "reason": None,
                                   "was": None, "note": None}
