from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

from tests.helpers import MINIMAL
from unet.inventory import load_inventory
from unet.report import compliance
from unet.source import MemorySnapshot
from unet.templates import compare_devices

FILES = {
    **MINIMAL,
    "groups/ios.yaml": "name: ios\nplatform: ios\ntemplates: [base.j2]\n",
    "templates/base.j2": '{# unet: match "hostname .*" "ntp server .*" #}\n'
                         "hostname {{ name }}\nntp server 10.0.0.1\n",
    "configs/r1.cfg": "hostname r1\nntp server 10.0.0.1\n",
    "configs/r2.cfg": "hostname r2\n",
}


def output(fmt: str) -> str:
    snap = MemorySnapshot(FILES)
    run = compare_devices(snap, load_inventory(snap), remediation=True)
    stream = io.StringIO()
    compliance.render(run, fmt, stream)
    return stream.getvalue()


def test_text_lists_differences_then_the_rollup():
    text = output("text")
    assert "r2  non-compliant  (configs/r2.cfg)\n  base.j2: missing\n    + ntp server 10.0.0.1" in text
    assert "r1  " not in text  # compliant devices appear only in the roll-up
    assert "Compliance: 1/2 devices compliant (50%), 1 differ" in text
    assert "base.j2      1/2" in text


def test_json_keys():
    document = json.loads(output("json"))
    assert document["version"] == 1 and document["mode"] == "running"
    r2 = document["devices"][1]
    assert r2["status"] == "non-compliant"
    assert r2["features"][0]["remediation"] == ["ntp server 10.0.0.1"]
    assert document["rollup"]["features"]["base.j2"] == {"compliant": 1, "total": 2,
                                                         "percent": 50.0}


def test_junit_has_one_testcase_per_device_and_feature():
    suite = ET.fromstring(output("junit")).find("testsuite")
    cases = [(c.get("classname"), c.get("name"), c.find("failure") is not None)
             for c in suite.iter("testcase")]
    assert cases == [("r1", "base.j2", False), ("r2", "base.j2", True)]


def test_markdown_is_a_pr_comment():
    text = output("markdown")
    assert text.startswith("## unet diff: intended vs running")
    assert "| r2 | ❌ non-compliant | `base.j2` missing |" in text
    assert "```diff\n+ ntp server 10.0.0.1\n" in text


def test_a_device_that_cannot_render_counts_as_not_compliant():
    """"0/0 devices compliant (n/a)" read as if nothing had been compared."""
    snap = MemorySnapshot({**FILES, "templates/base.j2": "hostname {{ name }}\n{{ nope.x }}\n"})
    inventory = load_inventory(snap)
    run = compare_devices(snap, inventory, devices=[inventory.devices["r2"]])
    assert compliance.summary(run) == "0/1 devices compliant (0%), 1 with errors"


def test_json_diagnostics_have_the_keys_of_every_other_report():
    snap = MemorySnapshot({**FILES, "templates/base.j2": "hostname {{ name }}\n{{ nope.x }}\n"})
    inventory = load_inventory(snap)
    stream = io.StringIO()
    compliance.render(compare_devices(snap, inventory, devices=[inventory.devices["r2"]]),
                      "json", stream)
    [problem] = json.loads(stream.getvalue())["diagnostics"]
    assert set(problem) == {"path", "line", "col", "code", "severity", "message", "related"}
    assert {"path": "groups/ios.yaml", "line": 3, "col": 13} in problem["related"]
