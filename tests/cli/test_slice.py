"""`unet slice`: wiring and exit codes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from unet.cli import cli

CONFIG = "interface Gi1\n description a\n ip address 10.0.0.1 255.0.0.0\ninterface Gi10\n description b\n"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["slice", *args], input=stdin)


def test_slice_from_stdin():
    result = run("-", "-p", "ios", "--match", "interface Gi1||ip address .*", stdin=CONFIG)
    assert result.exit_code == 0
    assert result.stdout == "interface Gi1\n ip address 10.0.0.1 255.0.0.0\n"


def test_slice_files_json_and_context(tmp_path):
    one, two = tmp_path / "one.cfg", tmp_path / "two.cfg"
    one.write_text(CONFIG)
    two.write_text(CONFIG)
    result = run(str(one), str(two), "-p", "ios", "-m", "interface .*", "--format", "json")
    document = json.loads(result.stdout)
    assert [d["path"] for d in document] == [str(one), str(two)]
    assert document[0]["lines"][0] == {"line": 1, "depth": 0, "text": "interface Gi1"}
    text = run(str(one), str(two), "-p", "ios", "-m", "interface .*", "--context", "0").stdout
    assert text.count("==> ") == 2 and "description" not in text


def test_invalid_expression_exits_2_with_position():
    result = run("-", "-p", "ios", "-m", "interface||ip (", stdin=CONFIG)
    assert result.exit_code == 2
    # Once, at its column, where errors go (a summary used to repeat it on another line).
    assert result.stderr.startswith("<--match>:1:15: C200 error: missing ),")
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


def test_a_devices_stored_config_is_read_with_the_devices_platform(make_repo, tmp_path):
    """The repository knows whose config it is: no "platform unclear; assuming ios"."""
    root = make_repo({"devices/hq/r3.yaml": "name: r3\nlocation: hq\nplatform: eos\n",
                      "configs/r3.cfg": "hostname r3\n"})
    result = run(str(root / "configs" / "r3.cfg"), "-m", "hostname .*")
    assert result.exit_code == 0 and result.stdout == "hostname r3\n"
    assert "C104" not in result.stderr
    loose = tmp_path / "loose.cfg"  # no device's: still guessed, and said so
    loose.write_text("hostname r3\n")
    assert "C104" in run(str(loose), "-m", "hostname .*").stderr
