"""Where unet keeps its own files (never inside the user's repository)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir"]


def cache_dir() -> Path:
    """The user cache directory; `UNET_CACHE_DIR` overrides it (CI caches, tests)."""
    override = os.environ.get("UNET_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("unet", appauthor=False))
