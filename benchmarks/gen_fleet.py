#!/usr/bin/env python3
"""Generate a synthetic unet network repository of N devices.

    python benchmarks/gen_fleet.py N [--out DIR] [--seed S] [--configs] [--drift P]

The output follows docs/repository-format.md: unet.yaml, defaults.yaml, a
location tree (regions -> sites -> buildings, or rooms -> racks for data
centres; about one site per 50 devices), 20 groups with parent inheritance,
``devices/<site>/<name>.yaml``, ``links/<site>.yaml`` and, with --configs,
``configs/<name>.cfg`` running configs of 300-500 lines in each platform's
syntax, consistent with the device data except for planted drift on about
``--drift`` (default 2%) of the devices. Devices with lifecycle ``planned``
get no running config.

The output is deterministic: the same N, seed and options always give
byte-identical files. Standard library only; YAML is written as plain text.
A manifest, ``.gen_fleet.json``, records the options and the drift planted
(device -> list of changes), so benchmarks can check what a drift run finds.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import random
import shutil
import sys
import time
from pathlib import Path

MANIFEST = ".gen_fleet.json"
SITE_SIZE = 50

REGIONS = [
    (
        "emea",
        "Europe, Middle East and Africa",
        "Europe/Berlin",
        ["fra", "ber", "lon", "par", "ams", "mad", "mil", "sto", "waw", "dub"],
    ),
    (
        "amer",
        "Americas",
        "America/New_York",
        ["nyc", "sjc", "dfw", "chi", "atl", "sea", "yyz", "mex", "gru", "bos"],
    ),
    (
        "apac",
        "Asia Pacific",
        "Asia/Singapore",
        ["sin", "tyo", "syd", "hkg", "bom", "icn", "mel", "akl", "kul", "bkk"],
    ),
]
STREETS = [
    "Main St",
    "Harbour Rd",
    "Station Sq",
    "Park Ave",
    "Market St",
    "River Rd",
    "Hill St",
    "Bridge Ln",
]

PLATFORMS = {  # vendor, [(model, role-hint)], [os versions]
    "ios": (
        "cisco",
        {"access": ["WS-C2960X-48FPD-L", "WS-C2960X-24PS-L", "WS-C3850-48P"]},
        ["15.2(7)E9", "15.2(7)E8", "15.2(4)E10"],
    ),
    "iosxe": (
        "cisco",
        {
            "core": ["C9500-24Y4C", "C9500-48Y4C"],
            "distribution": ["C9300-24UX", "C9300-48UXM"],
            "access": ["C9200L-48P-4X", "C9300-48P"],
        },
        ["17.9.4a", "17.9.5", "17.6.6a", "17.12.2"],
    ),
    "nxos": (
        "cisco",
        {"spine": ["N9K-C9332C", "N9K-C9364C"], "leaf": ["N9K-C93180YC-FX", "N9K-C93240YC-FX2"]},
        ["10.3(4a)", "10.2(6)", "9.3(12)"],
    ),
    "eos": (
        "arista",
        {
            "spine": ["DCS-7280CR3-32P4", "DCS-7060CX2-32S"],
            "leaf": ["DCS-7050SX3-48YC8", "DCS-7280SR3-48YC8"],
            "distribution": ["DCS-7050SX3-48YC8"],
        },
        ["4.30.5M", "4.29.6M", "4.31.2F"],
    ),
    "junos": (
        "juniper",
        {"border": ["MX204", "MX304"], "firewall": ["SRX1500", "SRX4100"]},
        ["22.4R3-S2", "21.4R3-S5", "23.2R1-S1"],
    ),
}
PLATFORM_GROUP = {
    "ios": "platform-ios",
    "iosxe": "platform-iosxe",
    "nxos": "platform-nxos",
    "eos": "platform-eos",
    "junos": "platform-junos",
}
ROLE_GROUP = {
    "core": "campus-core",
    "distribution": "campus-distribution",
    "access": "campus-access",
    "spine": "dc-spine",
    "leaf": "dc-leaf",
    "border": "edge-border",
    "firewall": "edge-firewall",
}
ABBR = {
    "core": "core",
    "distribution": "dist",
    "access": "acc",
    "spine": "spine",
    "leaf": "leaf",
    "border": "bdr",
    "firewall": "fw",
}
LOOPBACK = {
    "ios": "Loopback0",
    "iosxe": "Loopback0",
    "nxos": "loopback0",
    "eos": "Loopback0",
    "junos": "lo0",
}
MGMT = {
    "iosxe": ("GigabitEthernet0/0", "Mgmt-vrf"),
    "nxos": ("mgmt0", "management"),
    "eos": ("Management1", "MGMT"),
    "junos": ("fxp0", None),
    "ios": ("Vlan99", None),
}
FABRIC_MTU = {"ios": 9198, "iosxe": 9198, "nxos": 9216, "eos": 9214, "junos": 9192}
CAMPUS_VLANS = [(10, "USERS"), (20, "VOICE"), (30, "PRINTERS"), (40, "GUEST"), (99, "MGMT")]
DC_VLANS = [(110, "APP"), (120, "DB"), (130, "WEB"), (140, "BACKUP"), (150, "STORAGE")]
ASN_OFFSET = {"spine": 0, "leaf": 100, "border": 900, "firewall": 950}
LIFECYCLES = [("live", 0.955), ("planned", 0.03), ("implementing", 0.01), ("decommissioned", 0.005)]


def q(s: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s)


def port_name(platform: str, fabric: bool, n: int) -> str:
    if platform == "ios":
        return f"TenGigabitEthernet1/1/{n}" if fabric else f"GigabitEthernet1/0/{n}"
    if platform == "iosxe":
        return f"TwentyFiveGigE1/0/{n}"
    if platform == "nxos":
        return f"Ethernet1/{n}"
    if platform == "eos":
        return f"Ethernet{n}"
    return f"xe-0/0/{n - 1}"


def short(ifname: str) -> str:
    for long, s in (
        ("TwentyFiveGigE", "Twe"),
        ("TenGigabitEthernet", "Te"),
        ("GigabitEthernet", "Gi"),
        ("HundredGigE", "Hu"),
        ("Ethernet", "Eth"),
    ):
        if ifname.startswith(long):
            return s + ifname[len(long) :]
    return ifname


class Device:
    __slots__ = (
        "groups",
        "ifaces",
        "kind",
        "lifecycle",
        "location",
        "loopback",
        "mgmt_ip",
        "model",
        "n_ports",
        "name",
        "next_edge",
        "next_fabric",
        "os_version",
        "platform",
        "region",
        "role",
        "serial",
        "site",
        "site_idx",
        "tags",
        "vars",
    )

    def __init__(self, **kw):
        for k, v in kw.items():
            setattr(self, k, v)


class Fleet:
    def __init__(self, n: int, seed: int):
        self.n = n
        self.rng = random.Random(seed)
        self.locations: list[tuple[str, str, str | None, str, dict]] = []
        self.sites: list[dict] = []
        self.devices: list[Device] = []
        self.links: dict[str, list[tuple[str, str, str, str]]] = {}
        self.p2p = int(ipaddress.IPv4Address("10.128.0.0"))
        self.build()

    # ---------------------------------------------------------------- topology
    def next_p2p(self) -> tuple[str, str]:
        a = self.p2p
        self.p2p += 2
        return f"{ipaddress.IPv4Address(a)}/31", f"{ipaddress.IPv4Address(a + 1)}/31"

    def build(self) -> None:
        rng = self.rng
        n_sites = max(1, -(-self.n // SITE_SIZE))
        base, extra = divmod(self.n, n_sites)
        used_regions = REGIONS[: min(len(REGIONS), max(1, -(-n_sites // 4)))]
        for code, desc, tz, _ in used_regions:
            ntp = {
                "emea": ["10.0.0.1", "10.0.0.2"],
                "amer": ["10.64.0.1", "10.64.0.2"],
                "apac": ["10.96.0.1", "10.96.0.2"],
            }[code]
            self.locations.append(
                (
                    code,
                    "region",
                    None,
                    desc,
                    {"region_code": code.upper(), "ntp_servers": ntp, "timezone": tz},
                )
            )
        dev_index = 0
        for s in range(n_sites):
            region = used_regions[s % len(used_regions)]
            cities = region[3]
            k = s // len(used_regions)
            name = f"{cities[k % len(cities)]}{k // len(cities) + 1}"
            kind = "dc" if s % 3 == 1 else "campus"
            size = base + (1 if s < extra else 0)
            addr = (
                f"{rng.randint(1, 400)} {STREETS[rng.randrange(len(STREETS))]}, {name[:3].upper()}"
            )
            svars = {
                "site_code": name.upper(),
                "snmp_location": f"{name.upper()}, {addr}",
                "syslog_host": f"10.{100 + s // 250}.{s % 250}.50" if kind == "dc" else None,
                "dhcp_helpers": [f"10.0.0.{67 + (s % 3)}"] if kind == "campus" else None,
            }
            svars = {k2: v for k2, v in svars.items() if v is not None}
            self.locations.append(
                (
                    name,
                    "site",
                    region[0],
                    f"{'Data centre' if kind == 'dc' else 'Campus'} {name.upper()}",
                    svars,
                )
            )
            children = []
            if kind == "dc":
                room = f"{name}-room1"
                self.locations.append((room, "room", name, f"{name.upper()} suite 1", {}))
                for r in range(max(1, -(-size // 10))):
                    rack = f"{name}-r{r + 1:02d}"
                    self.locations.append(
                        (
                            rack,
                            "rack",
                            room,
                            f"{name.upper()} rack {r + 1}",
                            {"snmp_location": f"{name.upper()} suite 1 rack {r + 1}, {addr}"},
                        )
                    )
                    children.append(rack)
            else:
                for b in range(1 + (size > 25) + (size > 40)):
                    bld = f"{name}-b{b + 1}"
                    self.locations.append(
                        (
                            bld,
                            "building",
                            name,
                            f"{name.upper()} building {b + 1}",
                            {"snmp_location": f"{name.upper()} building {b + 1}, {addr}"},
                        )
                    )
                    children.append(bld)
            site = {
                "name": name,
                "idx": s,
                "kind": kind,
                "size": size,
                "children": children,
                "region": region[0],
            }
            self.sites.append(site)
            dev_index = self.build_site(site, dev_index)

    def roles_for(self, kind: str, size: int) -> list[str]:
        if kind == "dc":
            spines = 2 if size < 30 else 4
            plan = [("spine", spines), ("border", 2), ("firewall", 2 if size >= 12 else 0)]
        else:
            plan = [
                ("core", 2),
                ("border", 1 if size >= 8 else 0),
                ("firewall", 1 if size >= 8 else 0),
                ("distribution", max(2, (size // 12) // 2 * 2)),
            ]
        roles: list[str] = []
        for role, count in plan:
            roles += [role] * count
        roles = roles[: max(0, size - 1)] if size > 1 else roles[:0]
        roles += ["leaf" if kind == "dc" else "access"] * (size - len(roles))
        return roles

    def build_site(self, site: dict, dev_index: int) -> int:
        rng = self.rng
        s, kind, name = site["idx"], site["kind"], site["name"]
        roles = self.roles_for(kind, site["size"])
        # per-site platform choices, so a site looks coherent
        spine_p = "nxos" if rng.random() < 0.6 else "eos"
        leaf_p = "eos" if rng.random() < 0.6 else "nxos"
        dist_p = "iosxe" if rng.random() < 0.8 else "eos"
        acc_p = "ios" if rng.random() < 0.7 else "iosxe"
        plat = {
            "spine": spine_p,
            "leaf": leaf_p,
            "distribution": dist_p,
            "access": acc_p,
            "core": "iosxe",
            "border": "junos",
            "firewall": "junos",
        }
        counters: dict[str, int] = {}
        devs: list[Device] = []
        tier = "site-tier1" if kind == "dc" or site["size"] >= 40 else "site-tier2"
        for i, role in enumerate(roles):
            counters[role] = counters.get(role, 0) + 1
            p = plat[role]
            vendor, models, versions = PLATFORMS[p]
            model_list = models.get(role) or next(iter(models.values()))
            x = rng.random()
            lifecycle = "live"
            acc = 0.0
            for lc, w in LIFECYCLES:
                acc += w
                if x < acc:
                    lifecycle = lc
                    break
            if role in ("core", "spine"):
                lifecycle = "live"
            groups = [PLATFORM_GROUP[p], ROLE_GROUP[role]]
            if rng.random() < 0.8:
                groups.append(tier)
            if rng.random() < 0.1:
                groups.append("pci")
            blk, off = divmod(dev_index, 64000)
            mgmt = ipaddress.IPv4Address(
                int(ipaddress.IPv4Address(f"10.{255 - blk}.0.0")) + off // 250 * 256 + off % 250 + 1
            )
            lo = ipaddress.IPv4Address(int(ipaddress.IPv4Address("10.127.0.0")) + dev_index + 1)
            d = Device(
                name=f"{name}-{ABBR[role]}-{counters[role]:02d}",
                site=name,
                site_idx=s,
                kind=kind,
                location=site["children"][
                    min(len(site["children"]) - 1, i * len(site["children"]) // len(roles))
                ],
                role=role,
                platform=p,
                model=model_list[rng.randrange(len(model_list))],
                os_version=versions[0]
                if rng.random() < 0.7
                else versions[rng.randrange(len(versions))],
                serial=f"{'FDO' if vendor == 'cisco' else 'JPE' if vendor == 'arista' else 'DE'}{rng.randint(10**7, 10**8 - 1)}",
                lifecycle=lifecycle,
                mgmt_ip=str(mgmt),
                loopback=f"{lo}/32",
                groups=groups,
                tags=[],
                ifaces={},
                vars={},
                n_ports=rng.randint(10, 48),
                next_fabric=1,
                next_edge=1,
                region=site["region"],
            )
            if role in ("core", "border", "spine"):
                d.tags.append("critical")
            devs.append(d)
            dev_index += 1
        self.site_links(site, devs)
        for d in devs:
            self.finish_device(d, site)
        self.devices += devs
        return dev_index

    def take_port(self, d: Device) -> str:
        n = d.next_fabric
        d.next_fabric += 1
        if d.platform != "ios":
            d.next_edge = d.next_fabric
        return port_name(d.platform, True, n)

    def site_links(self, site: dict, devs: list[Device]) -> None:
        by_role: dict[str, list[Device]] = {}
        for d in devs:
            by_role.setdefault(d.role, []).append(d)
        links = self.links.setdefault(site["name"], [])

        def routed(a: Device, b: Device, typ: str) -> None:
            pa, pb = self.take_port(a), self.take_port(b)
            ia, ib = self.next_p2p()
            a.ifaces[pa] = {
                "description": f"{b.name} {short(pb)}",
                "mode": "routed",
                "ipv4": ia,
                "mtu": FABRIC_MTU[a.platform],
            }
            b.ifaces[pb] = {
                "description": f"{a.name} {short(pa)}",
                "mode": "routed",
                "ipv4": ib,
                "mtu": FABRIC_MTU[b.platform],
            }
            links.append((f"{a.name}:{pa}", f"{b.name}:{pb}", typ, "routed"))

        def trunk(a: Device, b: Device, vlans: list[int]) -> None:
            pa, pb = self.take_port(a), self.take_port(b)
            a.ifaces[pa] = {
                "description": f"{b.name} {short(pb)}",
                "mode": "trunk",
                "allowed_vlans": vlans,
            }
            b.ifaces[pb] = {
                "description": f"{a.name} {short(pa)}",
                "mode": "trunk",
                "allowed_vlans": vlans,
            }
            links.append((f"{a.name}:{pa}", f"{b.name}:{pb}", "trunk", "trunk"))

        if site["kind"] == "dc":
            spines = by_role.get("spine", [])
            for leaf in by_role.get("leaf", []) + by_role.get("border", []):
                for sp in spines:
                    routed(leaf, sp, "fabric")
            leaves = by_role.get("leaf", [])
            for fw in by_role.get("firewall", []):
                for leaf in leaves[:2]:
                    routed(fw, leaf, "service")
        else:
            cores = by_role.get("core", [])
            if len(cores) == 2:
                routed(cores[0], cores[1], "core")
            for d in (
                by_role.get("distribution", [])
                + by_role.get("border", [])
                + by_role.get("firewall", [])
            ):
                for c in cores:
                    routed(d, c, "routed")
            dists = by_role.get("distribution", [])
            vlans = [v for v, _ in CAMPUS_VLANS]
            uplinks = dists or cores
            for i, acc in enumerate(by_role.get("access", [])):
                if not uplinks:
                    break
                pair = (i % max(1, len(uplinks) // 2)) * 2
                for up in uplinks[pair : pair + 2]:
                    trunk(acc, up, vlans)

    def finish_device(self, d: Device, site: dict) -> None:
        rng = self.rng
        p = d.platform
        # edge ports fill the device up to its port count
        n_fabric = d.next_fabric - 1
        total = max(d.n_ports, n_fabric + (2 if d.role in ("access", "leaf") else 0))
        vlans = CAMPUS_VLANS if d.kind == "campus" else DC_VLANS
        for k in range(total - n_fabric):
            pn = port_name(p, False, d.next_edge)
            d.next_edge += 1
            x = rng.random()
            if d.role in ("access", "leaf") and x < 0.8:
                vid, vname = vlans[rng.randrange(len(vlans) - (1 if d.kind == "campus" else 0))]
                what = (
                    f"desk {k + 1:02d}"
                    if d.kind == "campus"
                    else f"srv-{d.site}-{rng.randint(100, 999)} nic{k % 2}"
                )
                d.ifaces[pn] = {
                    "description": f"{vname.lower()} {what}",
                    "mode": "access",
                    "access_vlan": vid,
                }
            elif d.role in ("border", "firewall") and x < 0.3:
                ia, _ = self.next_p2p()
                d.ifaces[pn] = {
                    "description": f"EXT: partner circuit {rng.randint(10000, 99999)}",
                    "mode": "routed",
                    "ipv4": ia,
                    "mtu": 1500,
                }
            else:
                d.ifaces[pn] = {"description": "unused", "enabled": False}
        d.ifaces[LOOPBACK[p]] = {"description": "router-id", "ipv4": d.loopback}
        mname, vrf = MGMT[p]
        if p == "ios":
            d.ifaces[mname] = {"description": "in-band management", "ipv4": f"{d.mgmt_ip}/24"}
        else:
            m = {"description": "OOB management", "ipv4": f"{d.mgmt_ip}/24"}
            if vrf:
                m["vrf"] = vrf
            d.ifaces[mname] = m
        v = d.vars
        v["router_id"] = d.loopback.split("/")[0]
        if d.kind == "dc":
            v["bgp_asn"] = (
                4200000000
                + d.site_idx * 1000
                + ASN_OFFSET[d.role]
                + (0 if d.role == "spine" else int(d.name.rsplit("-", 1)[1]))
            )
        else:
            v["ospf_area"] = d.site_idx
        if rng.random() < 0.05:
            v["snmp_extra_communities"] = [f"mon-{d.site}-ro"]
        if rng.random() < 0.1:
            d.tags.append("pilot")


# ------------------------------------------------------------------ YAML text
def yaml_scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(yaml_scalar(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {yaml_scalar(x)}" for k, x in v.items()) + "}"
    return q(v)


def write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_repo(fleet: Fleet, out: Path) -> int:
    files = 0
    write(
        out / "unet.yaml",
        f"name: fleet-{fleet.n}\nversion: 1\n"
        "roles: [core, distribution, access, spine, leaf, border, firewall]\n"
        "lifecycles: [planned, implementing, live, decommissioned]\n"
        "location_types: [region, site, building, floor, room, rack]\n",
    )
    write(
        out / "defaults.yaml",
        "lifecycle: live\nvars:\n  domain_name: example.net\n"
        '  dns_servers: ["10.0.0.53", "10.0.1.53"]\n  ntp_servers: ["10.0.0.1", "10.0.0.2"]\n'
        '  syslog_host: "10.0.0.50"\n  snmp_contact: "noc@example.net"\n  snmp_community_ro: "Fl33tR0"\n'
        '  timezone: Europe/Berlin\n  mgmt_acl: ["10.0.0.0/24", "10.192.0.0/10"]\n',
    )
    files += 2
    for name, typ, parent, desc, lvars in fleet.locations:
        text = (
            f"name: {name}\ntype: {typ}\n"
            + (f"parent: {parent}\n" if parent else "")
            + f"description: {q(desc)}\n"
        )
        if lvars:
            text += "vars:\n" + "".join(f"  {k}: {yaml_scalar(v)}\n" for k, v in lvars.items())
        write(out / "locations" / f"{name}.yaml", text)
        files += 1
    for name, text in GROUPS.items():
        write(out / "groups" / f"{name}.yaml", f"name: {name}\n" + text)
        files += 1
    made: set[str] = set()
    for d in fleet.devices:
        ddir = out / "devices" / d.site
        if d.site not in made:
            ddir.mkdir(parents=True, exist_ok=True)
            made.add(d.site)
        lines = [
            f"name: {d.name}",
            f"model: {d.model}",
            f"serial: {d.serial}",
            f"os_version: {q(d.os_version)}",
            f"lifecycle: {d.lifecycle}",
            f"location: {d.location}",
            f"management_ip: {d.mgmt_ip}",
            f"groups: [{', '.join(d.groups)}]",
        ]
        if d.tags:
            lines.append(f"tags: [{', '.join(d.tags)}]")
        lines.append("interfaces:")
        for ifn, i in d.ifaces.items():
            lines.append(f"  {ifn}: {yaml_scalar(i)}")
        lines.append("vars:")
        for k, v in d.vars.items():
            lines.append(f"  {k}: {yaml_scalar(v)}")
        write(ddir / f"{d.name}.yaml", "\n".join(lines) + "\n")
        files += 1
    for site, links in fleet.links.items():
        if not links:
            continue
        text = "links:\n" + "".join(
            f"  - endpoints: [{q(a)}, {q(b)}]\n    type: {t}\n" for a, b, t, _ in links
        )
        write(out / "links" / f"{site}.yaml", text)
        files += 1
    return files


GROUPS = {
    "base": "description: Every managed device\nvars:\n  ssh_version: 2\n  local_users: [{name: netadmin, privilege: 15}]\n  logging_buffer: 64000\n",
    "platform-ios": "description: Cisco IOS\nparents: [base]\ntemplates: [ios/base.j2, ios/interfaces.j2]\nvendor: cisco\nplatform: ios\n",
    "platform-iosxe": "description: Cisco IOS-XE\nparents: [base]\ntemplates: [ios/base.j2, ios/interfaces.j2]\nvendor: cisco\nplatform: iosxe\n",
    "platform-nxos": "description: Cisco NX-OS\nparents: [base]\ntemplates: [nxos/base.j2]\nvendor: cisco\nplatform: nxos\nvars:\n  features: [bgp, bfd, lldp, interface-vlan]\n",
    "platform-eos": "description: Arista EOS\nparents: [base]\ntemplates: [eos/base.j2]\nvendor: arista\nplatform: eos\n",
    "platform-junos": "description: Juniper Junos\nparents: [base]\ntemplates: [junos/base.j2]\nvendor: juniper\nplatform: junos\n",
    "campus": "description: Campus networks\nvars:\n  stp_mode: rapid-pvst\n  vlans: {10: USERS, 20: VOICE, 30: PRINTERS, 40: GUEST, 99: MGMT}\n  ospf_process: 1\n",
    "campus-core": "description: Campus core\nparents: [campus]\nrole: core\n",
    "campus-distribution": "description: Campus distribution\nparents: [campus]\nrole: distribution\nvars:\n  hsrp_version: 2\n",
    "campus-access": "description: Campus access\nparents: [campus]\ntemplates: [ios/access-ports.j2]\nrole: access\nvars:\n  voice_vlan: 20\n",
    "dc-fabric": "description: Data-centre leaf/spine fabric\ntags: [dc]\nvars:\n  fabric_mtu: 9216\n  bgp_timers: {keepalive: 3, hold: 9}\n  bfd: true\n  vlans: {110: APP, 120: DB, 130: WEB, 140: BACKUP, 150: STORAGE}\n",
    "dc-spine": "description: DC spines\nparents: [dc-fabric]\nrole: spine\n",
    "dc-leaf": "description: DC leaves\nparents: [dc-fabric]\nrole: leaf\n",
    "edge": "description: WAN and Internet edge\nvars:\n  bgp_timers: {keepalive: 10, hold: 30}\n",
    "edge-border": "description: Border routers\nparents: [edge]\nrole: border\n",
    "edge-firewall": "description: Firewalls\nparents: [edge]\nrole: firewall\nvars:\n  security_zones: [trust, untrust, dmz]\n",
    "site-tier1": "description: Tier-1 sites (24x7 support)\nvars:\n  support_level: 24x7\n  snmp_traps: true\n",
    "site-tier2": "description: Tier-2 sites (business hours)\nvars:\n  support_level: business-hours\n  snmp_traps: false\n",
    "pci": 'description: In PCI-DSS scope\ntags: [pci]\nvars:\n  pci_scope: true\n  login_banner: "PCI-DSS restricted system"\n',
    "monitoring": "description: Extra monitoring (referenced by policies; no members by default)\nparents: [base]\nvars:\n  snmp_traps: true\n",
}


# ------------------------------------------------------------------ configs
def mask(prefix: str) -> tuple[str, str]:
    i = ipaddress.IPv4Interface(prefix)
    return str(i.ip), str(i.netmask)


def effective(locs: dict, d: Device) -> dict:
    region, site, loc = locs[d.region], locs[d.site], locs[d.location]
    return {
        "ntp": region[4]["ntp_servers"],
        "syslog": site[4].get("syslog_host", "10.0.0.50"),
        "snmp_location": loc[4].get("snmp_location", site[4]["snmp_location"]),
        "tz": region[4]["timezone"],
        "communities": ["Fl33tR0", *d.vars.get("snmp_extra_communities", [])],
    }


def filler_acl(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    out = []
    for _ in range(count):
        src = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.0"
        port = rng.choice(["22", "161", "443", "179", "123", "514"])
        out.append((rng.choice(["permit", "permit", "deny"]), src, port))
    return out


def cfg_ios(d: Device, e: dict, target: int, rng: random.Random) -> list[str]:
    L = [
        "!",
        "! Last configuration change at 09:14:22 UTC Mon Nov 18 2024 by netadmin",
        "!",
        f"version {d.os_version.split('(')[0] if d.platform == 'ios' else '.'.join(d.os_version.split('.')[:2])}",
        "service timestamps debug datetime msec localtime show-timezone",
        "service timestamps log datetime msec localtime show-timezone",
        "service password-encryption",
        "no service pad",
        "!",
        f"hostname {d.name}",
        "!",
        "boot-start-marker",
        "boot-end-marker",
        "!",
    ]
    if d.platform == "iosxe":
        L += ["vrf definition Mgmt-vrf", " !", " address-family ipv4", " exit-address-family", "!"]
    L += [
        "logging buffered 64000",
        "no logging console",
        "!",
        "aaa new-model",
        "aaa authentication login default local",
        "aaa authorization exec default local",
        "!",
        f"clock timezone {e['tz']}",
        "!",
        "ip domain name example.net",
        "ip name-server 10.0.0.53 10.0.1.53",
        "ip ssh version 2",
        "no ip http server",
        "no ip http secure-server",
        "!",
        "username netadmin privilege 15 secret 9 $9$fleetFakeHash$Zm9v",
        "!",
    ]
    if d.role in ("access", "distribution"):
        L += ["spanning-tree mode rapid-pvst", "spanning-tree extend system-id", "!"]
        for vid, vn in CAMPUS_VLANS:
            L += [f"vlan {vid}", f" name {vn}", "!"]
    for ifn, i in d.ifaces.items():
        L.append(f"interface {ifn}")
        L.append(f" description {i['description']}")
        m = i.get("mode")
        if m == "trunk":
            L += [
                f" switchport trunk allowed vlan {','.join(map(str, i['allowed_vlans']))}",
                " switchport mode trunk",
            ]
        elif m == "access":
            L += [
                f" switchport access vlan {i['access_vlan']}",
                " switchport mode access",
                " spanning-tree portfast",
            ]
        elif m == "routed":
            L.append(" no switchport")
        if "mtu" in i:
            L.append(f" mtu {i['mtu']}")
        if "vrf" in i:
            L.append(f" vrf forwarding {i['vrf']}")
        if "ipv4" in i:
            ip, nm = mask(i["ipv4"])
            L.append(f" ip address {ip} {nm}")
        if m == "routed":
            L.append(" ip ospf network point-to-point")
        if i.get("enabled") is False:
            L.append(" shutdown")
        L.append("!")
    if "ospf_area" in d.vars and d.role != "access":
        L += ["router ospf 1", f" router-id {d.vars['router_id']}", " passive-interface default"]
        L += [
            f" no passive-interface {ifn}"
            for ifn, i in d.ifaces.items()
            if i.get("mode") == "routed"
        ]
        L += [
            f" network {i['ipv4'].split('/')[0]} 0.0.0.0 area {d.vars['ospf_area']}"
            for i in d.ifaces.values()
            if "ipv4" in i and "vrf" not in i and not i["description"].startswith("in-band")
        ]
        L.append("!")
    L += [
        "ip access-list standard MGMT-ACCESS",
        " permit 10.0.0.0 0.0.0.255",
        " permit 10.192.0.0 0.63.255.255",
        " deny any log",
        "!",
    ]
    tail = [f"logging host {e['syslog']}", "logging trap informational", "!"]
    tail += [f"snmp-server community {c} RO MGMT-ACCESS" for c in e["communities"]]
    tail += [
        f"snmp-server location {e['snmp_location']}",
        "snmp-server contact noc@example.net",
        "!",
    ]
    tail += [f"ntp server {s}" for s in e["ntp"]]
    tail += [
        "!",
        "line con 0",
        " exec-timeout 15 0",
        "line vty 0 4",
        " access-class MGMT-ACCESS in",
        " transport input ssh",
        "line vty 5 15",
        " access-class MGMT-ACCESS in",
        " transport input ssh",
        "!",
        "end",
    ]
    room = target - len(L) - len(tail) - 2
    if room > 0:
        L.append("ip access-list extended INFRA-PROTECT")
        L += [f" {a} tcp {s} 0.0.0.255 any eq {p}" for a, s, p in filler_acl(rng, room)]
        L.append("!")
    return L + tail


def cfg_nxos(d: Device, e: dict, target: int, rng: random.Random) -> list[str]:
    L = [
        "!Command: show running-config",
        "!Time: Mon Nov 18 09:05:40 2024",
        "",
        f"version {d.os_version}",
        f"hostname {d.name}",
        "",
        "feature bgp",
        "feature bfd",
        "feature lldp",
        "feature interface-vlan",
        "",
        "username admin password 5 $5$fleetFakeHash$abc  role network-admin",
        "ip domain-name example.net",
        "ip name-server 10.0.0.53 10.0.1.53 use-vrf management",
        "",
    ]
    L += [f"snmp-server community {c} group network-operator" for c in e["communities"]]
    L += ["snmp-server contact noc@example.net", f"snmp-server location {e['snmp_location']}"]
    L += [f"ntp server {s} use-vrf management" for s in e["ntp"]]
    L += [
        f"clock timezone {e['tz']}",
        "",
        "vrf context management",
        "  ip route 0.0.0.0/0 10.255.0.1",
        "",
    ]
    if d.role == "leaf":
        for vid, vn in DC_VLANS:
            L += [f"vlan {vid}", f"  name {vn}"]
        L.append("")
    for ifn, i in d.ifaces.items():
        L += [f"interface {ifn}", f"  description {i['description']}"]
        m = i.get("mode")
        if m == "routed":
            L.append("  no switchport")
        elif m == "access":
            L += ["  switchport", f"  switchport access vlan {i['access_vlan']}"]
        elif m == "trunk":
            L += [
                "  switchport",
                "  switchport mode trunk",
                f"  switchport trunk allowed vlan {','.join(map(str, i['allowed_vlans']))}",
            ]
        if "mtu" in i:
            L.append(f"  mtu {i['mtu']}")
        if "vrf" in i:
            L.append(f"  vrf member {i['vrf']}")
        if "ipv4" in i:
            L.append(f"  ip address {i['ipv4']}")
        if ifn.startswith("Ethernet"):
            L.append("  shutdown" if i.get("enabled") is False else "  no shutdown")
        L.append("")
    L += [
        "line console",
        "  exec-timeout 15",
        "line vty",
        "  exec-timeout 15",
        "  access-class MGMT-ACCESS in",
    ]
    if "bgp_asn" in d.vars:
        L += [
            f"router bgp {d.vars['bgp_asn']}",
            f"  router-id {d.vars['router_id']}",
            "  address-family ipv4 unicast",
            f"    network {d.loopback}",
            "    maximum-paths 4",
        ]
    tail = [f"logging server {e['syslog']} 6 use-vrf management", "logging timestamp milliseconds"]
    room = target - len(L) - len(tail) - 5
    head = [
        "ip access-list MGMT-ACCESS",
        "  10 permit ip 10.0.0.0/24 any",
        "  20 permit ip 10.192.0.0/10 any",
        "  30 deny ip any any",
    ]
    acl = []
    if room > 0:
        acl = ["ip access-list INFRA-PROTECT"] + [
            f"  {(k + 1) * 10} {a} tcp {s}/24 any eq {p}"
            for k, (a, s, p) in enumerate(filler_acl(rng, room))
        ]
    i = next(k for k, s in enumerate(L) if s.startswith("ip name-server")) + 1
    return L[:i] + head + acl + L[i:] + tail


def cfg_eos(d: Device, e: dict, target: int, rng: random.Random) -> list[str]:
    L = [
        "! Command: show running-config",
        f"! device: {d.name} ({d.model}, EOS-{d.os_version})",
        "!",
        "no aaa root",
        "!",
        "username admin privilege 15 role network-admin secret sha512 $6$fleetFakeHash$abc",
        "!",
        "service routing protocols model multi-agent",
        "!",
        f"hostname {d.name}",
        "ip name-server vrf MGMT 10.0.0.53",
        "ip name-server vrf MGMT 10.0.1.53",
        "dns domain example.net",
        "!",
    ]
    L += [f"ntp server vrf MGMT {s}" for s in e["ntp"]]
    L += ["!", "snmp-server contact noc@example.net", f"snmp-server location {e['snmp_location']}"]
    L += [f"snmp-server community {c} ro MGMT-ACCESS" for c in e["communities"]]
    L += ["snmp-server vrf MGMT", "!", "spanning-tree mode mstp", "!"]
    vl = DC_VLANS if d.kind == "dc" else CAMPUS_VLANS
    for vid, vn in vl:
        L += [f"vlan {vid}", f"   name {vn}", "!"]
    L += ["vrf instance MGMT", "!"]
    for ifn, i in d.ifaces.items():
        L += [f"interface {ifn}", f"   description {i['description']}"]
        if i.get("enabled") is False:
            L.append("   shutdown")
        if "mtu" in i:
            L.append(f"   mtu {i['mtu']}")
        m = i.get("mode")
        if m == "trunk":
            L += [
                f"   switchport trunk allowed vlan {','.join(map(str, i['allowed_vlans']))}",
                "   switchport mode trunk",
            ]
        elif m == "access":
            L.append(f"   switchport access vlan {i['access_vlan']}")
        elif m == "routed":
            L.append("   no switchport")
        if "vrf" in i:
            L.append(f"   vrf {i['vrf']}")
        if "ipv4" in i:
            L.append(f"   ip address {i['ipv4']}")
        L.append("!")
    L += [
        "ip access-list standard MGMT-ACCESS",
        "   10 permit 10.0.0.0/24",
        "   20 permit 10.192.0.0/10",
        "   30 deny any",
        "!",
    ]
    tail = [
        "ip routing",
        "no ip routing vrf MGMT",
        "!",
        "ip route vrf MGMT 0.0.0.0/0 10.255.0.1",
        "!",
    ]
    if "bgp_asn" in d.vars:
        tail += [
            f"router bgp {d.vars['bgp_asn']}",
            f"   router-id {d.vars['router_id']}",
            "   maximum-paths 4 ecmp 4",
            f"   network {d.loopback}",
            "!",
        ]
    tail += [
        f"logging vrf MGMT host {e['syslog']}",
        "!",
        f"clock timezone {e['tz']}",
        "!",
        "management ssh",
        "   ip access-group MGMT-ACCESS vrf MGMT in",
        "   vrf MGMT",
        "      no shutdown",
        "!",
        "end",
    ]
    room = target - len(L) - len(tail) - 2
    if room > 0:
        L.append("ip access-list INFRA-PROTECT")
        L += [
            f"   {(k + 1) * 10} {a} tcp {s}/24 any eq {p}"
            for k, (a, s, p) in enumerate(filler_acl(rng, room))
        ]
        L.append("!")
    return L + tail


def cfg_junos(d: Device, e: dict, target: int, rng: random.Random) -> list[str]:
    L = [
        "## Last commit: 2024-11-18 09:21:07 UTC by netadmin",
        f"version {d.os_version};",
        "system {",
        f"    host-name {d.name};",
        "    domain-name example.net;",
        f"    time-zone {e['tz']};",
        "    root-authentication {",
        '        encrypted-password "$6$fleet$fakeHash"; ## SECRET-DATA',
        "    }",
        "    services {",
        "        ssh {",
        "            root-login deny;",
        "        }",
        "        netconf {",
        "            ssh;",
        "        }",
        "    }",
        "    name-server {",
        "        10.0.0.53;",
        "        10.0.1.53;",
        "    }",
        "    syslog {",
        f"        host {e['syslog']} {{",
        "            any notice;",
        "        }",
        "    }",
        "    ntp {",
    ]
    L += [f"        server {s};" for s in e["ntp"]]
    L += ["    }", "}", "interfaces {"]
    for ifn, i in d.ifaces.items():
        desc = i["description"]
        L += [
            f"    {ifn} {{",
            f'        description "{desc}";' if " " in desc else f"        description {desc};",
        ]
        if i.get("enabled") is False:
            L += ["        disable;", "    }"]
            continue
        if "mtu" in i:
            L.append(f"        mtu {i['mtu']};")
        if "ipv4" in i:
            L += [
                "        unit 0 {",
                "            family inet {",
                f"                address {i['ipv4']};",
                "            }",
                "        }",
            ]
        L.append("    }")
    L.append("}")
    L += ["snmp {", f'    location "{e["snmp_location"]}";', '    contact "noc@example.net";']
    for c in e["communities"]:
        L += [f"    community {c} {{", "        authorization read-only;", "    }"]
    L.append("}")
    L += ["routing-options {", f"    router-id {d.vars['router_id']};"]
    if "bgp_asn" in d.vars:
        L.append(f"    autonomous-system {d.vars['bgp_asn']};")
    L += ["}", "protocols {", "    lldp {", "        interface all;", "    }", "}"]
    room = target - len(L) - 4
    if room > 0:
        L += ["policy-options {", "    prefix-list INFRA-PROTECT {"]
        L += [f"        {s}/24;" for _, s, _ in filler_acl(rng, room)]
        L += ["    }", "}"]
    return L


RENDER = {"ios": cfg_ios, "iosxe": cfg_ios, "nxos": cfg_nxos, "eos": cfg_eos, "junos": cfg_junos}


def plant_drift(d: Device, lines: list[str], rng: random.Random) -> list[str]:
    """Change 1-3 things in the running config; return a description of each."""
    done: list[str] = []
    kinds = ["ntp", "snmp", "description", "acl-order", "mtu"]
    rng.shuffle(kinds)
    for kind in kinds[: rng.randint(1, 3)]:
        if kind == "ntp":
            idx = [
                k
                for k, s in enumerate(lines)
                if "ntp server" in s or s.startswith("        server ")
            ]
            if idx:
                done.append(f"missing NTP server line: {lines[idx[-1]].strip()}")
                del lines[idx[-1]]
        elif kind == "snmp":
            idx = [
                k
                for k, s in enumerate(lines)
                if s.startswith("snmp-server community") or s.startswith("    community ")
            ]
            if idx:
                k = idx[0]
                if d.platform == "junos":
                    lines[k:k] = [
                        "    community public {",
                        "        authorization read-only;",
                        "    }",
                    ]
                else:
                    lines.insert(
                        k + 1, lines[k].replace("Fl33tR0", "public").split(" MGMT-ACCESS")[0]
                    )
                done.append("extra SNMP community: public")
        elif kind == "description":
            idx = [
                k
                for k, s in enumerate(lines)
                if s.strip().startswith("description ") and "unused" not in s
            ]
            if idx:
                k = idx[rng.randrange(len(idx))]
                old = lines[k]
                ind = old[: len(old) - len(old.lstrip())]
                lines[k] = (
                    f'{ind}description "patched CHG{rng.randint(100000, 999999)}";'
                    if d.platform == "junos"
                    else f"{ind}description patched CHG{rng.randint(100000, 999999)}"
                )
                done.append(f"changed description: {old.strip()} -> {lines[k].strip()}")
        elif kind == "acl-order":
            idx = [
                k
                for k, s in enumerate(lines)
                if " tcp 10." in s
                or (d.platform == "junos" and s.startswith("        10.") and s.endswith("/24;"))
            ]
            if len(idx) > 2:
                j = rng.randrange(len(idx) - 1)
                a, b = idx[j], idx[j + 1]
                if d.platform in ("nxos", "eos"):  # keep the sequence numbers, swap the entries
                    sa, ra = lines[a].split(None, 1)
                    sb, rb = lines[b].split(None, 1)
                    ind = lines[a][: len(lines[a]) - len(lines[a].lstrip())]
                    lines[a], lines[b] = f"{ind}{sa} {rb}", f"{ind}{sb} {ra}"
                else:
                    lines[a], lines[b] = lines[b], lines[a]
                done.append(f"INFRA-PROTECT entries swapped at config lines {a + 1} and {b + 1}")
        elif kind == "mtu":
            idx = [k for k, s in enumerate(lines) if s.strip().startswith("mtu 9")]
            if idx:
                k = idx[rng.randrange(len(idx))]
                old = lines[k]
                lines[k] = old.replace(old.strip().split()[1].rstrip(";"), "1500")
                done.append(
                    f"changed MTU at config line {k + 1}: {old.strip()} -> {lines[k].strip()}"
                )
    return done


def write_configs(fleet: Fleet, out: Path, seed: int, drift: float) -> tuple[int, int, dict]:
    rng = random.Random(seed * 7919 + 1)
    files = lines_total = 0
    drifted: dict[str, list[str]] = {}
    locs = {loc[0]: loc for loc in fleet.locations}
    (out / "configs").mkdir(parents=True, exist_ok=True)
    for d in fleet.devices:
        if d.lifecycle == "planned":
            continue
        e = effective(locs, d)
        lines = RENDER[d.platform](d, e, rng.randint(300, 500), rng)
        if rng.random() < drift:
            changes = plant_drift(d, lines, rng)
            if changes:
                drifted[d.name] = changes
        write(out / "configs" / f"{d.name}.cfg", "\n".join(lines) + "\n")
        files += 1
        lines_total += len(lines)
    return files, lines_total, drifted


# ------------------------------------------------------------------ main
def prepare_out(out: Path) -> None:
    if out.exists():
        entries = list(out.iterdir())
        if entries and not (out / MANIFEST).exists():
            sys.exit(
                f"gen_fleet: {out} exists and was not made by gen_fleet ({MANIFEST} missing); refusing to overwrite"
            )
        for p in entries:
            if p.is_dir():
                shutil.rmtree(p)
            else:
                p.unlink()
    for sub in ("locations", "groups", "devices", "links"):
        (out / sub).mkdir(parents=True, exist_ok=True)


# --templates: the templates the groups name, rendering the lines the configs share with the
# data (hostname, NTP, interface descriptions), so `unet render`/`unet diff` can be measured.
_IOS_IFACES = (
    '{# unet: match "interface .*||description .*" #}\n'
    "{% for port, p in interfaces.items() %}interface {{ port }}\n"
    "{% if p.description is defined %} description {{ p.description }}\n{% endif %}!\n"
    "{% endfor %}"
)
_BASE = (
    '{# unet: match "hostname .*" "ntp server .*" #}\n'
    "hostname {{ name }}\n!\n"
    "{% for s in vars.ntp_servers | default([]) %}ntp server {{ s }}\n{% endfor %}"
)
TEMPLATES = {
    "ios/base.j2": _BASE,
    "ios/interfaces.j2": _IOS_IFACES,
    "ios/access-ports.j2": '{# unet: match "spanning-tree mode .*" #}\nspanning-tree mode rapid-pvst\n',
    "nxos/base.j2": _BASE.replace(" #}", ' "interface .*||description .*" #}')
    + _IOS_IFACES.split("\n", 1)[1].replace(" description", "  description"),
    "eos/base.j2": _BASE.replace(" #}", ' "interface .*||description .*" #}')
    + _IOS_IFACES.split("\n", 1)[1].replace(" description", "   description"),
    "junos/base.j2": '{# unet: match "system||host-name .*" #}\nsystem {\n    host-name {{ name }};\n}\n',
}


def write_templates(out: Path) -> int:
    for name, text in TEMPLATES.items():
        (out / "templates" / name).parent.mkdir(parents=True, exist_ok=True)
        write(out / "templates" / name, text)
    return len(TEMPLATES)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("n", type=int, metavar="N", help="number of devices")
    ap.add_argument("--out", type=Path, help="output directory (default: benchmarks/.fleet-N)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    ap.add_argument(
        "--configs", action="store_true", help="also write configs/<name>.cfg running configs"
    )
    ap.add_argument(
        "--drift",
        type=float,
        default=0.02,
        help="fraction of devices whose running config gets 1-3 planted differences (default: 0.02)",
    )
    ap.add_argument(
        "--templates",
        action="store_true",
        help="also write templates/ matching the groups (for unet render and unet diff)",
    )
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")
    out = args.out or Path(__file__).resolve().parent / f".fleet-{args.n}"
    t0 = time.perf_counter()
    fleet = Fleet(args.n, args.seed)
    prepare_out(out)
    files = write_repo(fleet, out)
    n_cfg = cfg_lines = 0
    drifted: dict[str, list[str]] = {}
    if args.configs:
        n_cfg, cfg_lines, drifted = write_configs(fleet, out, args.seed, args.drift)
        files += n_cfg
    if args.templates:
        files += write_templates(out)
    n_links = sum(len(v) for v in fleet.links.values())
    manifest = {
        "generator": "benchmarks/gen_fleet.py",
        "devices": args.n,
        "seed": args.seed,
        "configs": args.configs,
        "drift": args.drift if args.configs else 0,
        "drifted_devices": drifted,
    }
    write(out / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    elapsed = time.perf_counter() - t0
    platforms: dict[str, int] = {}
    for d in fleet.devices:
        platforms[d.platform] = platforms.get(d.platform, 0) + 1
    print(out)
    print(
        f"{len(fleet.devices)} devices ({', '.join(f'{k} {v}' for k, v in sorted(platforms.items()))}), "
        f"{len(fleet.sites)} sites, {len(fleet.locations)} locations, {len(GROUPS)} groups, {n_links} links, "
        f"{n_cfg} configs ({cfg_lines} lines, {len(drifted)} with drift), {files} files in {elapsed:.1f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
