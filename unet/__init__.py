"""unet: network configuration as code, from a git repository of YAML, templates and policies."""

__version__ = "0.1.0"
__all__ = ["__version__"]
