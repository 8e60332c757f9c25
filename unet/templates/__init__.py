"""Sandboxed Jinja2 rendering of intended configurations, and the slices templates own.

    templates = load_templates(snapshot)
    result = render_device(inventory.devices["r1"], snapshot, templates=templates)
    result.text, result.tree, result.diagnostics      # T1xx diagnostics, never raised
    for part in feature_slices(result, running_tree):
        diff(part.running, part.intended)

See docs/templates.md for the context variables, filters, headers and error codes.
"""

from __future__ import annotations

from unet.templates._env import MAX_OUTPUT, TEMPLATE_DIR, template_path
from unet.templates._filters import FILTERS, FilterError
from unet.templates._headers import Header, parse_header
from unet.templates._interfaces import INTERFACE_NAMES
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
from unet.templates._select import Applied, Selected, select_templates

__all__ = [
    "FILTERS",
    "INTERFACE_NAMES",
    "MAX_OUTPUT",
    "TEMPLATE_DIR",
    "Applied",
    "Feature",
    "FeatureSlice",
    "FilterError",
    "Header",
    "RenderResult",
    "RenderedTemplate",
    "Selected",
    "TemplateSet",
    "feature_slice",
    "feature_slices",
    "load_templates",
    "parse_header",
    "render_device",
    "select_templates",
    "template_path",
]
