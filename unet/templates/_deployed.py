"""The configuration a device would have once its intended configuration is deployed."""

from __future__ import annotations

from unet.config import ConfigTree
from unet.templates._claims import lines_of, unclaimed
from unet.templates._render import RenderResult, feature_slices

__all__ = ["after_deploy"]


def after_deploy(result: RenderResult, running: ConfigTree, *, keep_unclaimed: bool = True,
                 ) -> ConfigTree | None:
    """The intended configuration plus, unless `unclaimed: remove`, the running lines no
    template claims (a deploy leaves those alone); None when nothing is intended (no
    templates, a template that failed, no platform)."""
    if result.tree is None or not result.templates or not result.ok:
        return None
    after = result.tree.copy()
    if keep_unclaimed:
        parts = list(feature_slices(result, running))
        claimed = lines_of(p.running for p in parts if p.running is not None)
        for child in unclaimed(running, claimed).children:
            after.adopt(child.copy())
    return after
