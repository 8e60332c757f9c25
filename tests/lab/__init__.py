"""A lab of real FRRouting routers in network namespaces, reached over real SSH.

Tests, benchmarks and people share one interface:

    python -m tests.lab up --devices N --repo DIR [--name NAME]
    python -m tests.lab exec [--name NAME] [--device ROUTER] -- CMD...
    python -m tests.lab down [--name NAME] [--stale]
    python -m tests.lab list

`up` starts routers `lab-r1` ... `lab-rN` (FRR zebra, bgpd and staticd, and an sshd
whose session is that router's `vtysh`), writes a network repository for them into
DIR (git-initialised and committed) and prints one JSON line describing the lab:
`name`, `namespace`, `subnet`, `lab_address`, `repo`, `state`, `username`,
`password_env`, `frr_version` and `devices` (each `name`, `address`, `port`,
`namespace`, `asn`). The password is not printed: `exec` hands it to the command in
`UNET_DEVICE_PASSWORD` (with `UNET_DEVICE_USERNAME` and `UNET_LAB`), so
`python -m tests.lab exec -- unet --repo DIR pull` works with no setup.

In Python (the pytest fixture `lab` in `tests/lab/fixture.py` yields a `Lab`):

    lab = up(3, repo="/tmp/net", name="mylab")
    lab.routers[0].address                   # 192.0.2.11
    lab.run(["unet", "--repo", "/tmp/net", "pull"])   # in the lab namespace
    with lab.inside():                       # this thread in the lab namespace
        ...
    lab.vtysh("lab-r1", "configure terminal", "hostname x")   # behind unet's back
    lab.stop_sshd("lab-r1"); lab.start_sshd("lab-r1")
    write_repository(lab, other_dir)         # a fresh copy of the repository
    down("mylab")

See `tests/lab/README.md` for what each router runs and how names are derived.
"""

from __future__ import annotations

from tests.lab._lab import (
    DEFAULT_NAME,
    STATE_ROOT,
    Lab,
    LabError,
    Router,
    down,
    labs,
    load,
    prerequisites,
    up,
)
from tests.lab._repo import write_repository

__all__ = [
    "DEFAULT_NAME",
    "STATE_ROOT",
    "Lab",
    "LabError",
    "Router",
    "down",
    "labs",
    "load",
    "prerequisites",
    "up",
    "write_repository",
]
