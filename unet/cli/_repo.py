"""Open the repository the user pointed at, once per command."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from unet.cli._app import App
from unet.core import Diagnostic
from unet.inventory import Inventory
from unet.source import Snapshot, worktree_snapshot

if TYPE_CHECKING:
    from unet.policy import PolicySet

__all__ = [
    "Repository",
    "data_errors",
    "load_policies_or_fail",
    "load_repository",
    "warn_if_invalid",
]

_DATA_PREFIXES = ("unet.yaml", "defaults.y", "locations/", "groups/", "devices/", "links/")


@dataclass
class Repository:
    root: Path
    snapshot: Snapshot
    app: App | None = None  # where the index's warnings go

    @cached_property
    def inventory(self) -> Inventory:
        from unet.index import indexed_inventory

        notes: list[str] = []
        inventory = indexed_inventory(self.root, self.snapshot, notes=notes)
        for note in notes if self.app is not None else ():
            self.app.log(f"warning: {note}")  # type: ignore[union-attr]
        return inventory

    @property
    def data_file_count(self) -> int:
        return sum(1 for p in self.snapshot.files() if p.startswith(_DATA_PREFIXES))

    def source_text(self, path: str) -> str | None:
        """A file's text for code frames; None when it cannot be shown."""
        from unet.cli._output import source_text

        return source_text(self.snapshot)(path)


def load_repository(app: App) -> Repository:
    root = app.repo_root
    return Repository(root, worktree_snapshot(root), app)


def data_errors(repo: Repository) -> list[Diagnostic]:
    """The errors of the data files: what they meant is missing from what is rendered or
    compared, so commands that produce configurations report them and exit 2."""
    from unet.core import Severity

    return [d for d in repo.inventory.diagnostics if d.severity is Severity.ERROR]


def warn_if_invalid(app: App, repo: Repository) -> None:
    """Commands that read the inventory still run on a broken one, but say so."""
    from unet.core import Severity

    errors = sum(d.severity is Severity.ERROR for d in repo.inventory.diagnostics)
    if errors:
        app.log(f"warning: the repository has {errors} error(s); results may be incomplete "
                "(run `unet validate`)")


def load_policies_or_fail(app: App) -> PolicySet:
    """The compiled policies, or a UnetError carrying every error in them."""
    from unet.core import UnetError
    from unet.policy import load_policies

    policies = load_policies(load_repository(app).snapshot)
    if not policies.ok:
        raise UnetError("the policies have errors; see `unet policy validate`",
                        policies.diagnostics)
    return policies

