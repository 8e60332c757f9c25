"""The judge for the remediation: real FRR routers (the `lab` fixture).

For each realistic intended change, the intended configuration is the router's
`show running-config` with the change made (in FRR's own form). unet's remediation is
pushed through `vtysh` (configure terminal, the commands, end) from the command list
`unet deploy` consumes (`Remediation.to_json()`), then `show running-config` is read
again: every command must be accepted and the result must equal intended (unet's diff
finds nothing). At the end the rollback restores the router, judged the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.lab import Lab
from unet.config import diff, parse, remediate

P = " neighbor 192.0.2.50"  # a new peer
R2 = " neighbor 192.0.2.12"  # lab-r1's peer lab-r2
AF = " address-family ipv4 unicast\n"

# (what changes, [(text in running, its replacement), …])
CHANGES: list[tuple[str, list[tuple[str, str]]]] = [
    ("BGP neighbour added", [(" !\n" + AF, f"{P} remote-as 65050\n{P} description new peer\n !\n" + AF)]),
    ("BGP neighbour activated with a route-map", [(" exit-address-family\n", f" {P} route-map RM-LAB-IN in\n exit-address-family\n")]),
    ("BGP neighbour remote-as changed", [(f"{P} remote-as 65050\n", f"{P} remote-as 65051\n")]),
    ("BGP neighbour timers added", [(f"{R2} description lab-r2\n", f"{R2} description lab-r2\n{R2} timers 10 30\n")]),
    ("BGP neighbour description changed", [(f"{R2} description lab-r2\n", f"{R2} description ring to lab-r2\n")]),
    ("BGP neighbour removed (with its address-family lines)", [(f"{P} remote-as 65051\n", ""), (f"{P} description new peer\n", ""), (f" {P} route-map RM-LAB-IN in\n", "")]),
    ("BGP router-id changed", [(" bgp router-id 198.51.100.1\n", " bgp router-id 198.51.100.101\n")]),
    ("BGP default restored (no ... removed)", [(" no bgp ebgp-requires-policy\n", "")]),
    ("address-family network added", [("  network 198.51.100.1/32\n", "  network 198.51.100.1/32\n  network 10.1.0.0/16\n")]),
    ("address-family network removed", [("  network 10.1.0.0/16\n", "")]),
    ("address-family redistribute added", [("  network 198.51.100.1/32\n", "  network 198.51.100.1/32\n  redistribute static\n")]),
    ("address-family maximum-paths added", [("  redistribute static\n", "  redistribute static\n  maximum-paths 4\n")]),
    ("address-family soft-reconfiguration added", [(f" {R2} route-map RM-LAB-IN in\n", f" {R2} soft-reconfiguration inbound\n {R2} route-map RM-LAB-IN in\n")]),
    ("address-family route-map out changed", [(f" {R2} route-map RM-LAB-OUT out\n", f" {R2} route-map RM-LAB-IN out\n")]),
    ("address-family route-map out removed", [(f" {R2} route-map RM-LAB-IN out\n", "")]),
    ("prefix-list entry added", [("ip prefix-list PL-BOGONS seq 15", "ip prefix-list PL-BOGONS seq 12 deny 169.254.0.0/16 le 32\nip prefix-list PL-BOGONS seq 15")]),
    ("prefix-list entry changed at the same number", [("PL-BOGONS seq 10 deny 127.0.0.0/8 le 32\n", "PL-BOGONS seq 10 deny 127.0.0.0/8 le 31\n")]),
    ("prefix-list entry removed", [("ip prefix-list PL-BOGONS seq 12 deny 169.254.0.0/16 le 32\n", "")]),
    ("prefix-list added", [("!\nbgp community-list", "ip prefix-list PL-NEW seq 5 permit 192.0.2.0/24\nip prefix-list PL-NEW seq 10 deny any\n!\nbgp community-list")]),
    ("prefix-list removed", [("ip prefix-list PL-NEW seq 5 permit 192.0.2.0/24\nip prefix-list PL-NEW seq 10 deny any\n", "")]),
    ("route-map set changed", [(" set local-preference 200\n", " set local-preference 300\n")]),
    ("route-map entry added", [("route-map RM-LAB-OUT permit 10\n", "route-map RM-LAB-IN permit 20\n match community CL-LAB\n set metric 50\nexit\n!\nroute-map RM-LAB-OUT permit 10\n")]),
    ("route-map match changed", [(" match community CL-LAB\n", " match ip address prefix-list PL-BOGONS\n")]),
    ("route-map entry action changed", [("route-map RM-LAB-IN permit 20\n", "route-map RM-LAB-IN deny 20\n")]),
    ("route-map entry removed", [("route-map RM-LAB-IN deny 20\n match ip address prefix-list PL-BOGONS\n set metric 50\nexit\n!\n", "")]),
    ("static route added", [("ip route 203.0.113.0/28 blackhole\n", "ip route 203.0.113.0/28 blackhole\nip route 203.0.113.64/26 Null0\n")]),
    ("static route removed", [("ip route 203.0.113.64/26 Null0\n", "")]),
    ("static route next hop changed", [("ip route 10.1.0.0/16 Null0\n", "ip route 10.1.0.0/16 blackhole\n")]),
    ("interface description changed", [(" description lab LAN\n", " description lab LAN (bridge)\n")]),
    ("interface description added", [("interface lo\n", "interface lo\n description loopback\n")]),
    ("interface address added", [(" ip address 198.51.100.1/32\n", " ip address 198.51.100.1/32\n ip address 198.51.100.201/32\n")]),
    ("interface address changed", [(" ip address 198.51.100.201/32\n", " ip address 198.51.100.202/32\n")]),
    ("interface added", [("router bgp", "interface dummy9\n description spare\nexit\n!\nrouter bgp")]),
    ("interface removed", [("interface dummy9\n description spare\nexit\n!\n", "")]),
    ("access-list added", [("!\nbgp community-list", "access-list ACL-MGMT seq 5 permit 192.0.2.0/24\naccess-list ACL-MGMT seq 10 deny any\n!\nbgp community-list")]),
    ("access-list entry changed at the same number", [("ACL-MGMT seq 5 permit 192.0.2.0/24\n", "ACL-MGMT seq 5 permit 192.0.2.0/25\n")]),
    ("access-list entry inserted", [("access-list ACL-MGMT seq 10 deny any\n", "access-list ACL-MGMT seq 7 permit 198.51.100.0/24\naccess-list ACL-MGMT seq 10 deny any\n")]),
    ("community-list entry added", [("seq 5 permit 65000:100\n", "seq 5 permit 65000:100\nbgp community-list standard CL-LAB seq 10 permit 65000:200\n")]),
    ("as-path list added", [("!\nroute-map RM-LAB-IN deny 5", "bgp as-path access-list AS-R2 seq 5 permit ^65002$\n!\nroute-map RM-LAB-IN deny 5")]),
    ("log level changed", [("log syslog informational\n", "log syslog warnings\n")]),
    ("log timestamp precision added", [("log syslog warnings\n", "log syslog warnings\nlog timestamp precision 3\n")]),
    ("log timestamp precision changed", [("log timestamp precision 3\n", "log timestamp precision 6\n")]),
    ("interface bandwidth added", [(" description lab LAN (bridge)\n", " description lab LAN (bridge)\n bandwidth 1000\n")]),
    ("interface bandwidth changed", [(" bandwidth 1000\n", " bandwidth 10000\n")]),
    ("BGP timers added", [(" bgp router-id 198.51.100.101\n", " bgp router-id 198.51.100.101\n timers bgp 10 30\n")]),
    ("BGP timers changed", [(" timers bgp 10 30\n", " timers bgp 20 60\n")]),
    ("BGP neighbour timers changed", [(f"{R2} timers 10 30\n", f"{R2} timers 5 15\n")]),
    ("BGP neighbour password added", [(f"{R2} remote-as 65002\n", f"{R2} remote-as 65002\n{R2} password lab-key-1\n")]),
    ("BGP neighbour password changed", [(f"{R2} password lab-key-1\n", f"{R2} password lab-key-2\n")]),
    ("BGP neighbour ebgp-multihop added", [(f"{R2} remote-as 65002\n", f"{R2} remote-as 65002\n{R2} ebgp-multihop 2\n")]),
    ("BGP neighbour ebgp-multihop changed", [(f"{R2} ebgp-multihop 2\n", f"{R2} ebgp-multihop 3\n")]),
    ("BGP neighbour update-source added", [(f"{R2} remote-as 65002\n", f"{R2} remote-as 65002\n{R2} update-source lo\n")]),
    ("BGP neighbour update-source changed", [(f"{R2} update-source lo\n", f"{R2} update-source eth0\n")]),
    ("address-family maximum-prefix added", [(f" {R2} route-map RM-LAB-IN in\n", f" {R2} maximum-prefix 100\n {R2} route-map RM-LAB-IN in\n")]),
    ("address-family maximum-prefix changed", [(f" {R2} maximum-prefix 100\n", f" {R2} maximum-prefix 200\n")]),
    ("address-family weight added", [(f" {R2} route-map RM-LAB-IN in\n", f" {R2} weight 100\n {R2} route-map RM-LAB-IN in\n")]),
    ("address-family weight changed", [(f" {R2} weight 100\n", f" {R2} weight 200\n")]),
]

# Settings FRR overwrites: their remediation types the new value, with no `no …` first
# (which would drop the setting, or reset the session, in between).
TYPED_AGAIN = {
    "BGP neighbour remote-as changed", "BGP neighbour description changed",
    "BGP router-id changed", "address-family route-map out changed",
    "prefix-list entry changed at the same number", "route-map set changed",
    "route-map entry action changed",
    "interface description changed", "access-list entry changed at the same number",
    "log level changed", "log timestamp precision changed", "interface bandwidth changed",
    "BGP timers changed", "BGP neighbour timers changed", "BGP neighbour password changed",
    "BGP neighbour ebgp-multihop changed", "BGP neighbour update-source changed",
    "address-family maximum-prefix changed", "address-family weight changed",
}


@dataclass
class Verdict:
    sent: int = 0
    accepted: int = 0
    equal: int = 0
    failures: list[str] = field(default_factory=list)


def _push(lab: Lab, router: str, commands: list[dict[str, object]]) -> tuple[int, str]:
    """Send the commands in one vtysh session; (how many were accepted, vtysh's output)."""
    lines = [" " * len(c["parents"]) + str(c["text"])  # type: ignore[arg-type]
             for c in commands if not c["held"]]
    result = lab.vtysh(router, "configure terminal", *lines, "end")
    output = result.stdout + result.stderr
    if result.returncode == 0 and "%" not in output:
        return len(lines), output
    # vtysh stops at the first command it refuses, and names it.
    refused = next((n for n, line in enumerate(lines) if line.strip() in output), 0)
    return refused, output


def _judge(lab: Lab, router: str, label: str, intended_text: str, verdict: Verdict,
           running_text: str) -> str:
    """Push the remediation for one change; the router's configuration afterwards."""
    running, intended = parse(running_text, "frr"), parse(intended_text, "frr")
    plan = remediate(diff(running, intended))
    commands = plan.to_json()["commands"]
    count = sum(not c["held"] for c in commands)
    accepted, output = _push(lab, router, commands)
    shown = lab.running_config(router)
    left = diff(parse(shown, "frr"), intended)
    verdict.sent += count
    verdict.accepted += accepted
    verdict.equal += not left
    negated = [str(c["text"]) for c in commands if str(c["text"]).startswith("no ")]
    if label in TYPED_AGAIN and negated:
        verdict.failures.append(f"{label}: negated before typing the new value: {negated}")
    if accepted != count or left or not count:
        verdict.failures.append(f"{label}: {accepted}/{count} accepted, "
                                f"left {[(c.kind, c.text) for c in left.changes]}\n"
                                f"{plan.as_text()}{output}")
    return shown


def test_remediation_is_accepted_and_gives_intended_on_frr(lab: Lab) -> None:
    router = lab.routers[0].name
    original = lab.running_config(router)
    verdict = Verdict()
    shown = original
    for label, edits in CHANGES:
        intended = shown
        missing = [old for old, _ in edits if old not in intended]
        if missing:  # an earlier step left the router otherwise
            verdict.failures.append(f"{label}: not tried, {missing[0]!r} is not on the router")
            continue
        for old, new in edits:
            intended = intended.replace(old, new, 1)
        shown = _judge(lab, router, label, intended, verdict, shown)
    # Back to where the router started (the rollback of all of it), judged the same way.
    _judge(lab, router, "back to the original configuration", original, verdict, shown)
    print(f"\nfrr judge: {len(CHANGES) + 1} changes, {verdict.accepted}/{verdict.sent} commands "
          f"accepted, {verdict.equal}/{len(CHANGES) + 1} results equal to intended")
    assert len(CHANGES) >= 30 and {label for label, _ in CHANGES} >= TYPED_AGAIN
    assert not verdict.failures, "\n\n".join(verdict.failures)
    assert verdict.accepted == verdict.sent and verdict.equal == len(CHANGES) + 1
