"""FRRouting: parsed from a real `show running-config` (fixtures/frr_running.cfg was
captured from a lab router with a VRF, IPv6, an as-path list and secondary addresses
added), emitted as input vtysh accepts, and negated the way FRR removes lines."""

from __future__ import annotations

from pathlib import Path

from tests.lab import Lab
from unet.config import detect_dialect, diff, emit, parse, remediate, rollback


def texts(tree):
    return [path for path, _ in tree.walk()]


def test_noise_and_section_ends_are_not_lines(fixture_text):
    tree = parse(fixture_text("frr_running.cfg"), "frr")
    assert not tree.diagnostics
    top = [n.text for n in tree.children]
    assert top[:2] == ["hostname lab-r1", "log syslog informational"]
    for noise in ("Building configuration...", "Current configuration:", "frr version 8.4.4",
                  "frr defaults traditional", "end", "exit", "!"):
        assert noise not in top
    every = [path[-1] for path in texts(tree)]
    assert not {"exit", "exit-vrf", "exit-address-family", "!"} & set(every)


def test_sections_nest_by_one_space(fixture_text):
    tree = parse(fixture_text("frr_running.cfg"), "frr")
    assert ("router bgp 65001", "address-family ipv6 unicast",
            "neighbor 192.0.2.12 activate") in texts(tree)
    assert ("vrf CUST-A", "ip route 203.0.113.128/25 blackhole") in texts(tree)
    assert ("router bgp 65101 vrf CUST-A", "address-family ipv4 unicast",
            "redistribute static") in texts(tree)
    eth0 = tree.get("interface eth0")
    assert eth0 is not None and [n.text for n in eth0.children] == [
        "description lab LAN", "ip address 192.0.2.11/24", "ip address 192.0.2.111/24",
        "ipv6 address 2001:db8::11/64"]
    # Top-level lines after a section are top-level again (the `exit` closed it).
    assert tree.get("ip prefix-list PL-LOOPBACKS description lab loopbacks") is not None


def test_emit_closes_each_section_as_vtysh_does(fixture_text):
    tree = parse(fixture_text("frr_running.cfg"), "frr")
    text = emit(tree)
    assert "vrf CUST-A\n ip route 203.0.113.128/25 blackhole\nexit-vrf\n" in text
    assert "  neighbor 192.0.2.12 activate\n exit-address-family\nexit\n" in text
    assert "interface lo\n ip address 198.51.100.1/32\nexit\n" in text
    assert "hostname lab-r1\nlog syslog" in text  # no exit after a plain line
    assert parse(text, "frr") == tree


def test_frr_output_is_recognised(fixture_text):
    found = detect_dialect(fixture_text("frr_running.cfg"))
    assert found.name == "frr" and found.certain


def test_removing_a_neighbour_removes_everything_about_it(fixture_text):
    running = parse(fixture_text("frr_running.cfg"), "frr")
    intended_text = "\n".join(line for line in fixture_text("frr_running.cfg").splitlines()
                              if "192.0.2.12" not in line) + "\n"
    commands = emit(remediate(diff(running, parse(intended_text, "frr"))))
    assert commands == "router bgp 65001\n no neighbor 192.0.2.12\nexit\n"


def test_a_description_is_replaced_and_other_lines_are_negated():
    running = parse("interface eth0\n description old\n ip address 192.0.2.9/24\nexit\n"
                    "ip route 10.9.0.0/16 Null0\n", "frr")
    intended = parse("interface eth0\n description new\nexit\n", "frr")
    commands = emit(remediate(diff(running, intended)))
    assert "no ip route 10.9.0.0/16 Null0\n" in commands
    section = commands.split("interface eth0\n", 1)[1].split("exit\n", 1)[0]
    assert sorted(section.splitlines()) == [" description new", " no ip address 192.0.2.9/24"]
    assert "no description" not in commands  # a description is overwritten, not negated


def _push(lab: Lab, router: str, commands: str) -> None:
    lines = [line.strip() for line in commands.splitlines() if line.strip()]
    result = lab.vtysh(router, "configure terminal", *lines)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_router_accepts_the_remediation_and_the_rollback(lab: Lab, tmp_path: Path) -> None:
    """The real FRR judges the dialect: what unet emits is valid vtysh input, and its
    remediation takes a router exactly to the intended configuration and back."""
    router = lab.routers[-1].name
    original = parse(lab.running_config(router), "frr")
    emitted = tmp_path / "emitted.conf"
    emitted.write_text(emit(original))
    checked = lab.run(["vtysh", "--dryrun", "-f", str(emitted)], device=router, timeout=30)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    text = emit(original)
    intended = parse(text.replace(" description lab LAN", " description uplink to lab")
                     .replace(f"ip route 10.{len(lab.routers)}.0.0/16 Null0\n", "")
                     .replace(" set local-preference 200\n", " set local-preference 150\n"),
                     "frr")
    change = diff(original, intended)
    try:
        _push(lab, router, emit(remediate(change)))
        assert parse(lab.running_config(router), "frr") == intended
    finally:
        _push(lab, router, emit(rollback(change)))
    assert parse(lab.running_config(router), "frr") == original


def test_vtysh_rejects_what_it_does_not_know(lab: Lab) -> None:
    # The error text the device layer's FRR row looks for.
    result = lab.vtysh(lab.routers[0].name, "configure terminal", "neighbour 1.2.3.4 remote-as 1")
    assert result.returncode != 0
    assert "% Unknown command: neighbour 1.2.3.4 remote-as 1" in result.stdout
