"""Property tests on generated IOS-like trees: emit/parse round trip, remediation apply."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from unet.config import apply, diff, emit, get_dialect, parse, remediate, rollback

LEAVES = st.sampled_from(
    [
        "description uplink", "description core link", "ip address 10.0.0.1 255.255.255.0",
        "ip address 10.9.0.1 255.255.255.0", "ip address 10.1.0.1 255.255.255.0 secondary",
        "shutdown", "no shutdown", "mtu 9000", "mtu 1500", "no ip redirects", "ip redirects",
        "load-interval 30", "service-policy input QOS",
    ]
)
INTERFACES = st.sampled_from([f"interface GigabitEthernet0/{n}" for n in range(4)] + ["interface Loopback0"])
TOP_LEAVES = st.sampled_from(
    ["hostname r1", "hostname r2", "ntp server 10.0.0.1", "ntp server 10.0.0.2",
     "ip route 0.0.0.0 0.0.0.0 10.0.0.254", "snmp-server location rack 1", "snmp-server location rack 2"]
)
ACES = st.lists(st.sampled_from(["permit ip any any", "deny ip host 10.0.0.1 any",
                                 "permit tcp any any eq 22", "deny ip any any"]), unique=True,
                max_size=4)


@st.composite
def configs(draw):
    lines = []
    for leaf in draw(st.lists(TOP_LEAVES, unique=True, max_size=4)):
        lines.append(leaf)
    for name in draw(st.lists(INTERFACES, unique=True, max_size=4)):
        lines.append(name)
        lines += [" " + leaf for leaf in draw(st.lists(LEAVES, unique=True, max_size=5))]
    for acl in draw(st.lists(st.sampled_from(["A", "B"]), unique=True, max_size=2)):
        lines.append(f"ip access-list extended {acl}")
        numbered = draw(st.booleans())
        lines += [f" {10 * (i + 1)} {ace}" if numbered else f" {ace}"
                  for i, ace in enumerate(draw(ACES))]
    if draw(st.booleans()):
        lines += ["router bgp 65000", " bgp router-id 10.0.0.1", " address-family ipv4"]
        lines += [f"  network 10.{n}.0.0" for n in draw(st.lists(st.integers(0, 3), unique=True, max_size=3))]
    return "\n".join(lines) + "\n"




@settings(max_examples=60, deadline=None)
@given(configs())
def test_emit_then_parse_gives_the_same_tree(text):
    tree = parse(text)
    assert parse(emit(tree)) == tree


@settings(max_examples=80, deadline=None)
@given(configs(), configs())
def test_remediation_applied_to_running_gives_intended(running_text, intended_text):
    running, intended = parse(running_text), parse(intended_text)
    rules = get_dialect("ios")
    result = diff(running, intended)
    commands = remediate(result, allow_protected=True)
    predicted = apply(running, commands, rules, profile=result.profile)
    assert not diff(predicted, intended), emit(commands)
    back = rollback(result, allow_protected=True)
    assert not diff(apply(intended, back, rules, profile=result.profile), running)


@settings(max_examples=40, deadline=None)
@given(configs())
def test_a_config_has_no_diff_with_itself(text):
    assert not diff(parse(text), parse(text))
    assert not remediate(diff(parse(text), parse(text))).children
