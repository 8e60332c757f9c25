"""`unet deploy` before any device is touched: bad input exits 2, a platform without a
tested apply path is refused, a device that cannot be planned is named."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from unet.cli import cli

IOS = {
    "groups/ios.yaml": "name: ios\nplatform: ios\nvendor: cisco\ntemplates: [ios/base.j2]\n",
    "templates/ios/base.j2": "hostname {{ name }}\n",
    "configs/r1.cfg": "hostname old-name\n",
    "configs/r2.cfg": "hostname r2\n",
}


def invoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--repo", str(root), "deploy", *args])


def test_an_unknown_device_or_feature_is_bad_input(make_repo) -> None:
    root = make_repo(IOS)
    unknown = invoke(root, "r9", "--yes")
    assert unknown.exit_code == 2 and "no device named 'r9'" in unknown.output
    feature = invoke(root, "--feature", "bsae", "--yes")
    assert feature.exit_code == 2
    assert "no feature 'bsae'" in feature.output and "did you mean 'base'" in feature.output


def test_nothing_selected_is_not_an_error(make_repo) -> None:
    result = invoke(make_repo(IOS), "--where", 'node.role == "nope"')
    assert result.exit_code == 0 and "no devices selected" in result.stderr


def test_a_platform_without_a_tested_apply_path_is_refused_not_tried(make_repo) -> None:
    root = make_repo(IOS)
    result = invoke(root, "--yes")
    assert result.exit_code == 2
    assert ("r1: refused: D200 Cisco IOS has no tested apply path in unet deploy (its safety "
            "net would be: the running config is saved to flash first") in result.stdout
    assert "apply `unet diff --remediation` by hand" in result.stdout
    assert "DEVICE" not in result.stdout  # no device was connected to
    assert not (root / "state/deployments").exists()


def test_the_plan_is_the_remediation_diff_shows(make_repo) -> None:
    root = make_repo({**IOS, "groups/ios.yaml": "name: ios\nplatform: frr\ntemplates: "
                      "[ios/base.j2]\n", "configs/r1.cfg": "hostname old-name\n",
                      "configs/r2.cfg": "hostname r2\n"})
    result = invoke(root, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == [
        "r1: plan (ios/base.j2)", "  hostname r1", "  ! 1 command, 0 removals, 0 held back",
        "r2: no changes"]
    assert not (root / "state/deployments").exists()


def test_a_device_without_a_running_config_cannot_be_planned(make_repo) -> None:
    root = make_repo({**IOS, "groups/ios.yaml": "name: ios\nplatform: frr\ntemplates: "
                      "[ios/base.j2]\n", "configs/r1.cfg": None})
    result = invoke(root, "--dry-run")
    assert result.exit_code == 1
    assert ("r1: refused: D201 cannot plan: devices/hq/r1.yaml:1:7: C303 device r1: no running "
            "configuration") in \
        result.stdout


def test_a_device_built_from_an_invalid_file_is_not_planned(make_repo) -> None:
    # The bad protect: entry was dropped when unet.yaml was read: a plan made without it
    # could remove what it protects. r1's own typo'd key would be dropped the same way.
    root = make_repo({**IOS, "groups/ios.yaml": "name: ios\nplatform: frr\ntemplates: "
                      "[ios/base.j2]\n", "configs/r1.cfg": "hostname old-name\n",
                      "configs/r2.cfg": "hostname r2\n",
                      "unet.yaml": "protect:\n  - {mtch: 'ip route .*'}\n"})
    result = invoke(root, "--yes")
    assert result.exit_code == 1
    assert ("r1: refused: D202 cannot plan from invalid data: unet.yaml:2:5: U203 error: "
            "missing required key 'protect[0].match' (see `unet validate`)") in result.stdout
    assert "r2: refused: D202" in result.stdout
    assert not (root / "state/deployments").exists()


def test_the_plan_shown_has_its_secrets_masked(make_repo) -> None:
    root = make_repo({**IOS, "groups/ios.yaml": "name: ios\nplatform: frr\ntemplates: "
                      "[ios/base.j2]\n",
                      "templates/ios/base.j2": "hostname {{ name }}\npassword s3cret-zebra\n",
                      "configs/r1.cfg": "hostname r1\n", "configs/r2.cfg": "hostname r2\n"})
    result = invoke(root, "--dry-run", "r1")
    assert result.exit_code == 0, result.output
    assert "  password ********" in result.stdout and "s3cret-zebra" not in result.output


def test_a_command_with_a_control_character_is_never_sent(make_repo) -> None:
    # A form feed is kept in a stored config, but typed into a session a device acts on
    # it: the removal of that line is refused, not sent.
    root = make_repo({**IOS, "groups/ios.yaml": "name: ios\nplatform: frr\ntemplates: "
                      "[ios/base.j2]\n",
                      "templates/ios/base.j2": '{# unet: match "ip prefix-list .*" #}\n'
                                               "hostname {{ name }}\n",
                      "configs/r1.cfg": "hostname r1\nip prefix-list X seq 5 permit\x0c"
                                        "10.0.0.0/8\n",
                      "configs/r2.cfg": "hostname r2\n"})
    result = invoke(root, "--dry-run")  # refused at planning: no device is connected to
    assert ("r1: refused: D203 the command 'no ip prefix-list X seq 5 permit\\x0c"
            "10.0.0.0/8' has a control character a device would act on; nothing sent") \
        in result.stdout, result.output
    assert "r2: no changes" in result.stdout
    assert not (root / "state/deployments").exists()
