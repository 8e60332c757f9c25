"""The session deployments will use: configuration lines one at a time, each response
checked against the platform's error patterns, on a real router."""

from __future__ import annotations

import pytest

from tests.lab import Lab
from unet.devices import PLATFORMS, NetmikoTransport, Target, rejection


@pytest.fixture
def session(lab: Lab):
    router = lab.routers[-1]
    target = Target(router.name, PLATFORMS["frr"], router.address, 22, lab.username,
                    "cisco_ios", 10.0)
    with lab.inside():
        opened = NetmikoTransport().open(target, lab.password)
        try:
            yield opened
        finally:
            opened.close()


def test_lines_are_sent_one_by_one_and_a_refusal_stops_the_rest(lab: Lab, session) -> None:
    router = lab.routers[-1].name
    try:
        responses = session.configure([
            "ip prefix-list PL-SESSION seq 5 permit 192.0.2.0/24",
            "neighbour 192.0.2.99 remote-as 1",
            "ip prefix-list PL-SESSION seq 10 permit 198.51.100.0/24",
        ])
        assert [(r.line, r.error) for r in responses] == [
            ("ip prefix-list PL-SESSION seq 5 permit 192.0.2.0/24", None),
            ("neighbour 192.0.2.99 remote-as 1",
             "% Unknown command: neighbour 192.0.2.99 remote-as 1"),
        ]
        # Back in exec mode, still usable; the accepted line is there, the third is not.
        shown = session.send("show running-config")
        assert "ip prefix-list PL-SESSION seq 5 permit 192.0.2.0/24" in shown
        assert "seq 10" not in shown.split("PL-SESSION", 1)[1].split("\n", 1)[0]
        assert session.send("show version").startswith("FRRouting")
    finally:
        lab.vtysh(router, "configure terminal", "no ip prefix-list PL-SESSION")


def test_sections_are_entered_and_every_line_is_answered(lab: Lab, session) -> None:
    router = lab.routers[-1].name
    try:
        responses = session.configure(["interface eth0", "description via the session",
                                       "exit", "bogus"], stop_on_error=False)
        assert [r.error is None for r in responses] == [True, True, True, False]
        assert " description via the session\n" in lab.running_config(router)
    finally:
        lab.vtysh(router, "configure terminal", "interface eth0", "description lab LAN")


def test_frr_refusals_without_the_usual_words_are_refusals(lab: Lab, session) -> None:
    """Each was taken for a line the router accepted; the deploy went on."""
    responses = session.configure(["no ip route 10.99.0.0/16 blackhole", "router bgp 65099"],
                                  stop_on_error=False)
    assert [r.error for r in responses] == [
        "% Refusing to remove a non-existent route",
        f"BGP is already running; AS is {lab.routers[-1].asn}"]


def test_refusals_are_recognised_only_where_devices_print_them() -> None:
    frr = PLATFORMS["frr"]
    assert rejection(frr, "% Command incomplete: router bgp\n") == "% Command incomplete: router bgp"
    assert rejection(frr, "hostname r1\n!\nbanner: % Unknown command is fine here\n" * 3) is None
    ios = PLATFORMS["ios"]
    assert rejection(ios, "               ^\n% Invalid input detected at '^' marker.\n") == (
        "% Invalid input detected at '^' marker.")
