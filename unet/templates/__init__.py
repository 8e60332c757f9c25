"""Sandboxed Jinja2 rendering of intended configurations, and the slices templates own.

    templates = load_templates(snapshot)
    result = render_device(inventory.devices["r1"], snapshot, templates=templates)
    result.text, result.tree, result.diagnostics      # T1xx diagnostics, never raised
    for part in feature_slices(result, running_tree):
        diff(part.running, part.intended)
    run = compare_devices(snapshot, inventory)        # intended vs running, per feature

See docs/templates.md for the context variables, filters, headers and error codes.
"""

from __future__ import annotations

from unet.templates._compliance import (
    FEATURE_STATUSES,
    UNCLAIMED,
    ComplianceRun,
    DeviceCompliance,
    FeatureResult,
    Normalizer,
    Outcomes,
    RemediationOptions,
    Rollup,
    compare_device,
    compare_devices,
    compile_normalizers,
    feature_status,
    normalize,
    render_intended,
)
from unet.templates._deployed import after_deploy
from unet.templates._env import MAX_OUTPUT, TEMPLATE_DIR, template_path
from unet.templates._filters import FILTERS, FilterError
from unet.templates._headers import Header, parse_header
from unet.templates._interfaces import INTERFACE_NAMES
from unet.templates._interfaces import canonical as interface_canonical
from unet.templates._render import (
    Feature,
    FeatureSlice,
    RenderedTemplate,
    RenderResult,
    TemplateSet,
    feature_slice,
    feature_slices,
    load_templates,
    render_device,
)
from unet.templates._revisions import DeviceChange, RevisionRun, compare_revisions, data_changes
from unet.templates._select import Applied, Selected, select_templates

__all__ = [
    "FEATURE_STATUSES",
    "FILTERS",
    "INTERFACE_NAMES",
    "MAX_OUTPUT",
    "TEMPLATE_DIR",
    "UNCLAIMED",
    "Applied",
    "ComplianceRun",
    "DeviceChange",
    "DeviceCompliance",
    "Feature",
    "FeatureResult",
    "FeatureSlice",
    "FilterError",
    "Header",
    "Normalizer",
    "Outcomes",
    "RemediationOptions",
    "RenderResult",
    "RenderedTemplate",
    "RevisionRun",
    "Rollup",
    "Selected",
    "TemplateSet",
    "after_deploy",
    "compare_device",
    "compare_devices",
    "compare_revisions",
    "compile_normalizers",
    "data_changes",
    "feature_slice",
    "feature_slices",
    "feature_status",
    "interface_canonical",
    "load_templates",
    "normalize",
    "parse_header",
    "render_device",
    "render_intended",
    "select_templates",
    "template_path",
]
