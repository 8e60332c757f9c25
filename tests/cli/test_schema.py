from __future__ import annotations

import json

from click.testing import CliRunner

from unet.cli import cli


def test_export_writes_every_schema_into_the_repository(make_repo) -> None:
    root = make_repo()
    result = CliRunner().invoke(cli, ["--repo", str(root), "schema", "export"])
    assert result.exit_code == 0
    written = sorted(p.name for p in (root / "schema").iterdir())
    assert written == [f"{k}.schema.json" for k in
                       sorted(["defaults", "device", "group", "links", "location", "settings"])]


def test_export_one_kind_to_stdout() -> None:
    result = CliRunner().invoke(cli, ["schema", "export", "--kind", "device"])
    schema = json.loads(result.stdout)
    assert schema["title"] == "Device"
    assert schema["properties"]["platform"]["anyOf"][0]["enum"][0] == "ios"


def test_export_replaces_a_symlink_instead_of_writing_through_it(make_repo, tmp_path) -> None:
    root = make_repo()
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    (root / "schema").mkdir()
    (root / "schema" / "device.schema.json").symlink_to(victim)
    result = CliRunner().invoke(cli, ["--repo", str(root), "schema", "export"])
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me\n"
    assert json.loads((root / "schema" / "device.schema.json").read_text())["title"]
