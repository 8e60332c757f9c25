"""`unet pull`: options, the result table and exit codes (0 all pulled, 1 a device
failed, 2 bad input)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.lab import Lab, write_repository
from unet.cli import cli


def invoke(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--repo", str(root), "pull", *args])


@pytest.mark.parametrize(("args", "message"), [
    (("nosuch",), "no device named 'nosuch'"),
    (("--where", "node.role = 'x'"), "invalid --where condition"),
    (("--shard", "3/2"), "expected K/N with 1 <= K <= N"),
])
def test_bad_input_exits_2_before_any_connection(make_repo, args, message) -> None:
    result = invoke(make_repo(), *args)
    assert result.exit_code == 2 and message in result.output


def test_nothing_selected_is_not_an_error(make_repo) -> None:
    result = invoke(make_repo(), "--where", 'node.role == "nope"')
    assert result.exit_code == 0 and "no devices selected" in result.stderr


def test_settings_reading_outside_the_repository_stop_the_pull(make_repo) -> None:
    root = make_repo({"unet.yaml": "running_configs: ../elsewhere/{name}\n"})
    result = invoke(root)
    assert result.exit_code == 2 and "C310" in result.stderr
    assert not (root / "configs").exists() and not (root / "state").exists()


def test_results_as_json_and_the_exit_code_of_a_partial_failure(
        lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_repository(lab, tmp_path / "net")
    first, second = lab.routers[0].name, lab.routers[1].name
    path = root / f"devices/{second}.yaml"
    data = yaml.safe_load(path.read_text())
    data["connection"] = {"port": 2222}
    path.write_text(yaml.safe_dump(data))
    for key, value in lab.env().items():
        monkeypatch.setenv(key, value)
    with lab.inside():
        result = invoke(root, first, second, "--format", "json", "-j", "2")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["summary"] == {"devices": 2, "changed": 1, "unchanged": 0, "failed": 1}
    assert [(d["device"], d["result"], d["code"]) for d in report["devices"]] == [
        (first, "changed", None), (second, "failed", "D110")]
    assert report["devices"][0]["written"] == [f"configs/{first}.cfg", f"state/{first}.yaml"]
    assert "1 changed, 0 unchanged, 1 failed" in result.stderr
    # A device whose data cannot be used is an input error: exit 2, the rest still pulled.
    data["connection"] = {"device_type": "nonsense"}
    path.write_text(yaml.safe_dump(data))
    with lab.inside():
        text = invoke(root, first, second)
    assert text.exit_code == 2
    assert text.stdout.splitlines()[0].split() == ["DEVICE", "RESULT", "REASON", "SECONDS"]
    assert f"{first}  unchanged" in text.stdout
