"""The network repository a lab writes: its routers as unet data, templates, policies.

The templates render each router's whole configuration, and every top-level line of
it is claimed by some template's header, so anything changed on a router behind
unet's back shows up in `unet diff`.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from tests.lab._routers import PREFIX_LISTS, specs

if TYPE_CHECKING:
    from tests.lab._lab import Lab

__all__ = ["TEMPLATES", "write_repository"]

UNET_YAML = """\
# A repository written by `python -m tests.lab up`: the lab's routers as unet data.
name: {name}
roles: [edge]
backup:
  scrub: true
"""

TEMPLATES = {
    # Whatever the other templates do not claim: any new top-level line is drift here.
    "frr/base.j2": """\
{# unet: match "(?!ip route |interface |router bgp |ip prefix-list |bgp community-list |route-map |line vty).*" #}
hostname {{ name }}
log syslog {{ vars.syslog_level }}
no ipv6 forwarding
service integrated-vtysh-config
""",
    "frr/static.j2": """\
{# unet: match "ip route .*" #}
{% for route in vars.static_routes %}
ip route {{ route.prefix }} {{ route.nexthop }}
{% endfor %}
""",
    "frr/interfaces.j2": """\
{# unet: match "interface .*" #}
{% for ifname, intf in interfaces.items() %}
interface {{ ifname }}
{% if intf.get("description") %}
 description {{ intf.description }}
{% endif %}
{% if intf.get("ipv4") %}
 ip address {{ intf.ipv4 }}
{% endif %}
exit
{% endfor %}
""",
    "frr/bgp.j2": """\
{# unet: match "router bgp .*" #}
router bgp {{ vars.asn }}
 bgp router-id {{ vars.router_id }}
 no bgp ebgp-requires-policy
{% for peer in vars.bgp_neighbors %}
 neighbor {{ peer.address }} remote-as {{ peer.asn }}
 neighbor {{ peer.address }} description {{ peer.name }}
{% endfor %}
 address-family ipv4 unicast
  network {{ vars.router_id }}/32
{% for peer in vars.bgp_neighbors %}
  neighbor {{ peer.address }} route-map RM-LAB-IN in
  neighbor {{ peer.address }} route-map RM-LAB-OUT out
{% endfor %}
 exit-address-family
exit
""",
    "frr/policy.j2": """\
{# unet: match "ip prefix-list .*" "bgp community-list .*" "route-map .*" #}
{% for list_name, entries in vars.prefix_lists.items() %}
{% for e in entries %}
ip prefix-list {{ list_name }} seq {{ e.seq }} {{ e.action }} {{ e.prefix }} le {{ e.le }}
{% endfor %}
{% endfor %}
bgp community-list standard CL-LAB seq 5 permit 65000:100
route-map RM-LAB-IN deny 5
 match ip address prefix-list PL-BOGONS
exit
route-map RM-LAB-IN permit 10
 match ip address prefix-list PL-LOOPBACKS
 set local-preference 200
exit
route-map RM-LAB-OUT permit 10
 match ip address prefix-list PL-LOOPBACKS
 set community 65000:100 additive
exit
""",
    "frr/vty.j2": """\
{# unet: match "line vty" #}
line vty
 exec-timeout {{ vars.vty_timeout }} 0
exit
""",
}

POLICIES = {
    "policies/lab.unet": """\
# Standards for the lab routers.
RULE bgp-router-id SEVERITY error "BGP runs with an explicit router-id"
WHEN node.platform == "frr" AND running IS NOT NULL
THEN ASSERT running HAS "router bgp .*||bgp router-id .*"

RULE bogons-filtered SEVERITY error "Routes from peers pass the bogon filter first"
WHEN node.platform == "frr" AND running IS NOT NULL
THEN ASSERT running HAS "route-map RM-LAB-IN deny 5||match ip address prefix-list PL-BOGONS"

RULE vty-timeout SEVERITY warning "Idle CLI sessions time out"
WHEN node.platform == "frr" AND running IS NOT NULL
THEN ASSERT running HAS "line vty||exec-timeout .*"

RULE neighbors-described SEVERITY warning "Every BGP neighbour in the data has a name"
WHEN node.platform == "frr"
THEN ASSERT ALL n IN node.vars.bgp_neighbors SATISFIES n.name IS NOT NULL

RULE software-version SEVERITY warning "Routers run the version the repository says"
WHEN derived.os_version IS NOT NULL
THEN ASSERT derived.os_version == node.os_version
MESSAGE "runs FRR {derived.os_version}; the repository says {node.os_version}"
""",
    # Cabling as the repository says, against what LLDP sees (FRR has no LLDP: its
    # routers' lldp_neighbors is null and the rule does not apply to them).
    "policies/lldp.unet": """\
RULE lldp-matches-links SEVERITY warning "Every link in links/ is seen by LLDP"
WHEN derived.lldp_neighbors IS NOT NULL
THEN ASSERT ALL l IN node.links SATISFIES
  (ANY n IN derived.lldp_neighbors SATISFIES
    (n.local_interface == l.interface AND n.neighbor_device == l.peer))
MESSAGE "LLDP does not see {l.peer} on {l.interface}"
""",
}


def _group(lab: Lab) -> dict[str, Any]:
    return {
        "name": "lab",
        "description": "FRR routers of the lab",
        "platform": "frr",
        "vendor": "frrouting",
        "role": "edge",
        "os_version": lab.frr_version,
        "templates": list(TEMPLATES),
        "connection": {"username": lab.username, "port": 22, "timeout": 10},
        "vars": {"syslog_level": "informational", "vty_timeout": 30,
                 "prefix_lists": PREFIX_LISTS},
    }


def _device(spec: Any) -> dict[str, Any]:
    return {
        "name": spec.name,
        "location": "lab",
        "groups": ["lab"],
        "management_ip": spec.address,
        "interfaces": {"eth0": {"description": "lab LAN", "ipv4": f"{spec.address}/24"},
                       "lo": {"ipv4": f"{spec.loopback}/32"}},
        "vars": {"asn": spec.asn, "router_id": spec.loopback,
                 "bgp_neighbors": spec.neighbors, "static_routes": spec.static_routes},
    }


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=False)


def write_repository(lab: Lab, root: Path, *, commit: bool = True) -> Path:
    """Write the lab's repository into `root` (created; must be empty) and commit it."""
    root.mkdir(parents=True, exist_ok=True)
    files = {"unet.yaml": UNET_YAML.format(name=lab.name),
             "locations/lab.yaml": _dump({"name": "lab", "type": "site",
                                          "description": f"lab {lab.name}"}),
             "groups/lab.yaml": _dump(_group(lab)),
             "configs/.gitkeep": "", "state/.gitkeep": ""}
    for spec in specs(len(lab.routers)):
        files[f"devices/{spec.name}.yaml"] = _dump(_device(spec))
    files.update({f"templates/{name}": text for name, text in TEMPLATES.items()})
    files.update(POLICIES)
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if commit:
        _git(root, "init", "-q")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", f"lab {lab.name}: {len(lab.routers)} routers")
    return root


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "unet lab", "GIT_AUTHOR_EMAIL": "lab@example.invalid",
           "GIT_COMMITTER_NAME": "unet lab", "GIT_COMMITTER_EMAIL": "lab@example.invalid"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env,
                   timeout=60)
