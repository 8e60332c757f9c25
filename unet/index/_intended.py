"""Intended configurations for policies that look at them, as every command renders them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from unet.policy import ConfigView, Context
    from unet.source import Snapshot

__all__ = ["intended_configs"]


def intended_configs(snapshot: Snapshot) -> Callable[[Context], ConfigView | None]:
    """Render a device's intended config from the policy context (data after SET, templates
    added by APPLY), with one TemplateSet for the whole run."""
    from unet.policy import ConfigView
    from unet.templates import load_templates, render_device

    templates = load_templates(snapshot)

    def render(ctx: Context) -> ConfigView | None:
        result = render_device(ctx.device, snapshot, applied=ctx.applied, data=ctx.data,
                               templates=templates)
        return ConfigView.of(result.tree) if result.tree is not None else None

    return render
