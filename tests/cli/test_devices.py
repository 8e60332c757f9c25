from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from unet.cli import cli


def invoke(root, *args: str):
    return CliRunner().invoke(cli, ["--repo", str(root), "devices", *args])


def test_list_plain_table_when_not_a_tty(make_repo) -> None:
    result = invoke(make_repo(), "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["NAME", "PLATFORM", "ROLE", "LIFECYCLE", "LOCATION",
                                "MANAGEMENT_IP", "GROUPS"]
    assert lines[1].split() == ["r1", "ios", "core", "live", "hq", "10.0.0.1", "ios"]


def test_list_filters_combine(make_repo) -> None:
    root = make_repo({
        "locations/b1.yaml": "name: b1\ntype: building\nparent: hq\n",
        "devices/hq/r3.yaml": "name: r3\nlocation: b1\ngroups: [ios]\nrole: core\n",
    })
    names = lambda *a: [r["name"] for r in json.loads(invoke(root, "list", "--format", "json", *a).stdout)]  # noqa: E731
    assert names("--role", "core") == ["r1", "r3"]
    assert names("--location", "hq") == ["r1", "r2", "r3"]  # below hq counts
    assert names("--location", "b1") == ["r3"]
    assert names("--role", "core", "--location", "b1") == ["r3"]
    assert names("--group", "ios", "--role", "access") == ["r2"]
    assert names("--platform", "junos") == []


def test_list_csv_and_yaml(make_repo) -> None:
    root = make_repo()
    rows = list(csv.DictReader(io.StringIO(invoke(root, "list", "--format", "csv").stdout)))
    assert rows[1]["name"] == "r2" and rows[1]["role"] == "access"
    assert "- name: r1\n" in invoke(root, "list", "--format", "yaml").stdout


def test_show_explain_names_the_origin_of_each_value(make_repo) -> None:
    result = invoke(make_repo(), "show", "r1", "--explain")
    assert result.exit_code == 0
    lines = {line.split(":")[0]: line for line in result.stdout.splitlines()}
    assert lines["platform"].endswith("# groups/ios.yaml:2:11")
    assert lines["role"].endswith("# devices/hq/r1.yaml:4:7")
    assert lines["lifecycle"].endswith("# (built-in default)")


def test_show_json_with_provenance(make_repo) -> None:
    document = json.loads(invoke(make_repo(), "show", "r1", "--format", "json", "--explain").stdout)
    assert document["data"]["interfaces"] == {"Gi1": {"description": "to r2"}}
    assert document["provenance"]["interfaces.Gi1.description"] == "devices/hq/r1.yaml:7:22"


def test_show_unknown_device_suggests(make_repo) -> None:
    result = invoke(make_repo(), "show", "r11")
    assert result.exit_code == 2
    assert "no device named 'r11' (did you mean 'r1'?)" in result.stderr


def test_commands_still_run_on_a_broken_repository_but_warn(make_repo) -> None:
    result = invoke(make_repo({"devices/hq/r2.yaml": "name: r2\nlocation: moon\ngroups: [ios]\n"}),
                    "list")
    assert result.exit_code == 0
    assert "r2" in result.stdout
    assert "the repository has 1 error(s)" in result.stderr


def test_list_where_uses_the_policy_language(make_repo) -> None:
    root = make_repo({"configs/r2.cfg": "hostname r2\nsnmp-server community public RO\n"})
    names = lambda cond: [r["name"] for r in json.loads(  # noqa: E731
        invoke(root, "list", "--format", "json", "--where", cond).stdout)]
    assert names('node.role == "access"') == ["r2"]
    assert names('running HAS "snmp-server community public.*"') == ["r2"]
    assert names('ANY i IN node.interfaces SATISFIES i.description CONTAINS "r2"') == ["r1"]
    result = invoke(root, "list", "--where", "node.role = 1")
    assert result.exit_code == 2 and "--where:1:11: P101 error" in result.stdout


def test_show_a_device_whose_file_has_errors_says_so(make_repo) -> None:
    root = make_repo({"devices/hq/r2.yaml": "name: r2\nmodel: [x\n"})
    result = invoke(root, "show", "r2")
    assert result.exit_code == 2
    assert "device 'r2' was not loaded: devices/hq/r2.yaml has errors" in result.stderr
    assert "devices/hq/r2.yaml:" in result.stdout + result.stderr  # the error itself


def test_list_filter_values_no_device_could_have_are_refused(make_repo) -> None:
    """An empty table with exit 0 hid the typo."""
    root = make_repo()
    result = invoke(root, "list", "--platform", "IOS")
    assert result.exit_code == 2 and result.stdout == ""
    assert "error: --platform IOS: no platform of that name (did you mean 'ios'?)" \
        in result.stderr
    result = invoke(root, "list", "--group", "iso")
    assert result.exit_code == 2 and "(did you mean 'ios'?)" in result.stderr
    assert invoke(root, "list", "--platform", "junos").exit_code == 0  # known, if unused
