from __future__ import annotations

from unet.core import Location
from unet.inventory import load_inventory
from unet.source import MemorySnapshot
from unet.templates import select_templates

FILES = {
    "unet.yaml": "name: t\n",
    "locations/hq.yaml": "name: hq\ntype: site\n",
    "groups/base.yaml": "name: base\nplatform: ios\ntemplates: [a.j2, b.j2]\n",
    "groups/edge.yaml": "name: edge\nparents: [base]\ntemplates: [c.j2, a.j2]\n",
    "devices/r1.yaml": "name: r1\nlocation: hq\ngroups: [edge]\nrole: core\n"
                       "templates: [d.j2, b.j2, bse.j2]\n",
}
AVAILABLE = {"a.j2", "b.j2", "c.j2", "d.j2", "base.j2", "x.j2"}


def _device():  # type: ignore[no-untyped-def]
    inventory = load_inventory(MemorySnapshot(FILES))
    assert not inventory.diagnostics
    return inventory.devices["r1"]


def test_order_groups_then_device_then_applied_each_once() -> None:
    rule = Location("policies/p.unet", 3, 1)
    chosen, problems = select_templates(_device(), AVAILABLE,
                                        applied=[("x.j2", rule), "a.j2", ("d.j2", rule)])
    assert [c.name for c in chosen] == ["a.j2", "b.j2", "c.j2", "d.j2", "x.j2"]
    assert chosen[0].source == Location("groups/base.yaml", 3, 13)
    assert chosen[-1].source == rule and chosen[-1].applied
    (problem,) = problems
    assert problem.code == "T101"
    assert problem.location.path == "devices/r1.yaml" and problem.location.line == 5
    assert "'bse.j2' not found under templates/ (did you mean 'base.j2'?)" in problem.message


def test_unknown_applied_template_is_reported_at_the_rule() -> None:
    rule = Location("policies/p.unet", 7, 5)
    _, problems = select_templates(_device(), AVAILABLE, applied=[("nope.j2", rule)])
    assert [p.location for p in problems][-1] == rule


def test_data_override_replaces_the_list() -> None:
    chosen, problems = select_templates(_device(), AVAILABLE, data={"templates": ["x.j2"]})
    assert [c.name for c in chosen] == ["x.j2"] and not problems
