"""Small repositories shared by tests."""

from __future__ import annotations

MINIMAL = {
    "unet.yaml": "name: test-net\n",
    "locations/hq.yaml": "name: hq\ntype: site\n",
    "groups/ios.yaml": "name: ios\nplatform: ios\nvendor: cisco\n",
    "devices/hq/r1.yaml": "name: r1\nlocation: hq\ngroups: [ios]\nrole: core\n"
                          "management_ip: 10.0.0.1\ninterfaces:\n  Gi1: {description: to r2}\n",
    "devices/hq/r2.yaml": "name: r2\nlocation: hq\ngroups: [ios]\nrole: access\n"
                          "management_ip: 10.0.0.2\ninterfaces:\n  Gi1: {description: to r1}\n",
    "links/hq.yaml": "links:\n  - endpoints: [\"r1:Gi1\", \"r2:Gi1\"]\n",
}
