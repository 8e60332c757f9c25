"""Running (backup) configurations: `configs/<device>.<ext>`, parsed in the device's dialect.

`running_configs: PATH_TEMPLATE` in unet.yaml (e.g. `backups/{name}.cfg`) reads them
from elsewhere in the repository instead; `UNET_RUNNING_CONFIGS` in the environment
does the same and may point outside it (`../oxidized/{name}`): a repository's own
settings never make unet read files outside the repository, since they may come from
an untrusted pull request.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from pathlib import Path

from unet.config import ConfigTextError, ConfigTree, decode_config, parse
from unet.core import Diagnostic, Location, Severity
from unet.inventory._yaml import Document, parse_yaml
from unet.source import Snapshot, SnapshotReadError, WorktreeSnapshot, stem

__all__ = ["CONFIG_DIR", "ENV_RUNNING_CONFIGS", "RunningConfigs", "running_config_dir",
           "running_config_paths", "running_template"]

CONFIG_DIR = "configs/"
ENV_RUNNING_CONFIGS = "UNET_RUNNING_CONFIGS"
PREFERRED_SUFFIX = ".cfg"  # what `unet pull` writes
MAX_CONFIG_BYTES = 32 * 1024 * 1024
_KEEP = 64  # parsed trees kept for reuse; a fleet's worth would hold millions of lines


def running_template(snapshot: Snapshot) -> tuple[str | None, str]:
    """The configured path template and where it was set (`env`, `unet.yaml`, or '')."""
    env = os.environ.get(ENV_RUNNING_CONFIGS)
    if env:
        return env, "env"
    document = _settings(snapshot)
    value = document.data.get("running_configs") if document is not None else None
    return (value, "unet.yaml") if isinstance(value, str) and "{name}" in value else (None, "")


def _settings(snapshot: Snapshot) -> Document | None:
    """unet.yaml as a mapping, or None (its own problems are reported where it is loaded)."""
    try:
        document, _ = parse_yaml(snapshot.read("unet.yaml"), "unet.yaml")
    except SnapshotReadError:
        return None
    return document if document is not None and isinstance(document.data, dict) else None


def _setting_location(snapshot: Snapshot) -> Location:
    """Where unet.yaml sets `running_configs` (for a message about it)."""
    document = _settings(snapshot)
    return document.location(("running_configs",)) if document else Location("unet.yaml")


def running_config_dir(root: Path, snapshot: Snapshot) -> Path:
    """The folder that holds the stored running configurations (what `unet pull` writes
    and every compliance check reads): `configs/`, or `running_configs`' leading folder."""
    template, _ = running_template(snapshot)
    if template is None:
        return root / CONFIG_DIR
    fixed = template.replace("\\", "/").split("{", 1)[0].rpartition("/")[0]
    return root / fixed if fixed else root


class RunningConfigs:
    """Finds and parses each device's running configuration once, on first use."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.diagnostics: list[Diagnostic] = []
        self.paths: dict[str, str] = {}
        self.template, origin = running_template(snapshot)
        self._source: Snapshot = snapshot
        self.external = False
        if self.template is None:
            self._list_config_dir()
        else:
            self._place_template(origin)
        self._trees: dict[str, ConfigTree | None] = {}
        self._reported: set[str] = set()

    def _list_config_dir(self) -> None:
        self.paths, found = running_config_paths(self.snapshot.files(CONFIG_DIR))
        self.diagnostics.extend(found)

    def _place_template(self, origin: str) -> None:
        """Inside the repository the template names snapshot paths; outside, files under
        the template's fixed leading folder (which a device name can never leave)."""
        assert self.template is not None
        fixed = self.template.split("{", 1)[0].rpartition("/")[0]
        inside = posixpath.normpath(self.template.replace("\\", "/"))
        outside = inside.startswith(("../", "/")) or inside == ".."
        if ".git" in inside.split("/"):
            self._refuse(origin, f"running_configs {inside!r} points into .git/, which unet "
                         "never reads; keep the backups in a folder of their own, such as "
                         "backups/{name}.cfg")
            return
        if not outside:
            self.template = inside
            return
        if origin != "env":
            self._refuse(origin, "running_configs points outside the repository; a "
                         "repository's settings cannot do that — set "
                         f"{ENV_RUNNING_CONFIGS} in the environment to read running configs "
                         "from there")
            return
        root = getattr(self.snapshot, "root", None) or Path.cwd()
        base = (Path(root) / fixed).resolve() if fixed else Path(root).resolve()
        self._source = WorktreeSnapshot(base)
        self.template = self.template[len(fixed) + 1:] if fixed else self.template
        self.external = True

    def path(self, device: str) -> str | None:
        """Where the device's running configuration is (None when it has none)."""
        if self.template is None:
            return self.paths.get(device)
        if "/" in device or device.startswith("."):
            return None
        candidate = self.template.replace("{name}", device)
        if self.external:
            try:
                self._source.read(candidate)
            except SnapshotReadError:
                return None
            return candidate
        return candidate if candidate in self._listed() else None

    def write_path(self, device: str, root: Path) -> Path:
        """Where a freshly pulled configuration of `device` goes: its current file, or
        where the template (else configs/<device>.cfg) puts it; `root` is the repository."""
        if self.template is None:
            return root / (self.paths.get(device) or f"{CONFIG_DIR}{device}.cfg")
        relative = self.template.replace("{name}", device)
        if self.external:
            return Path(str(getattr(self._source, "root", root))) / relative
        return root / relative

    def _listed(self) -> frozenset[str]:
        if not hasattr(self, "_listing"):
            fixed = self.template.split("{", 1)[0] if self.template else ""
            self._listing = frozenset(self.snapshot.files(fixed))
        return self._listing

    def display(self, path: str) -> str:
        """The path as a message should show it (external ones with their folder)."""
        if self.external:
            return str(getattr(self._source, "root", "")) + "/" + path
        return path

    def content_id(self, device: str) -> str | None:
        """The git blob id of the configuration (for cache keys), None when there is none."""
        path = self.path(device)
        if path is None:
            return None
        try:
            return self._source.blob_id(path)
        except SnapshotReadError:
            return None

    def problems(self, device: str) -> list[Diagnostic]:
        """What reading this device's running config reported so far (C300 aside)."""
        path = self.path(device)
        shown = self.display(path) if path else None
        return [d for d in self.diagnostics if d.location.path == shown and d.code != "C300"]

    def tree(self, device: str, platform: str | None) -> ConfigTree | None:
        """The parsed configuration, or None when the device has none (or it is unreadable).

        Recently parsed trees are reused; older ones are parsed again if asked for.
        """
        if device in self._trees:
            self._trees[device] = self._trees.pop(device)  # most recently used last
            return self._trees[device]
        tree = self._trees[device] = self._load(device, platform)
        if len(self._trees) > _KEEP:
            del self._trees[next(iter(self._trees))]
        return tree

    def _load(self, device: str, platform: str | None) -> ConfigTree | None:
        path = self.path(device)
        if path is None or platform is None:
            return None
        shown = self.display(path)
        try:
            data = self._source.read(path)
        except SnapshotReadError as exc:  # a refused symlink (exc.code) is an error
            self._warn(shown, exc.code or "C301", f"cannot read: {exc.reason}",
                       Severity.ERROR if exc.code else None)
            return None
        if len(data) > MAX_CONFIG_BYTES:
            self._warn(shown, "C301", "not a text configuration (larger than 32 MiB)")
            return None
        try:
            text = decode_config(data)
        except ConfigTextError as exc:
            self._warn(shown, "C301", f"not a text configuration ({exc.reason})",
                       at=(exc.line, exc.col))
            return None
        if not text.strip():
            self._warn(shown, "C302", "running configuration is empty")
            return None
        tree = parse(text, platform, path=shown)
        if device not in self._reported:  # parsed again later: warn once
            self._reported.add(device)
            self.diagnostics.extend(tree.diagnostics)
        return tree

    def _refuse(self, origin: str, message: str) -> None:
        """C310 at the setting (read again only now: a sound setting costs nothing)."""
        self.template = None
        where = (Location(ENV_RUNNING_CONFIGS) if origin == "env"
                 else _setting_location(self.snapshot))
        self.diagnostics.append(Diagnostic(where, "C310", Severity.ERROR, message))

    def _warn(self, path: str, code: str, message: str,
              severity: Severity | None = None, at: tuple[int, int] = (0, 0)) -> None:
        if severity is None:
            severity = Severity.WARNING
        self.diagnostics.append(Diagnostic(Location(path, *at), code, severity, message))


def running_config_paths(paths: Iterable[str]) -> tuple[dict[str, str], list[Diagnostic]]:
    """Which file is each device's running config, and a C300 for every other file that
    could be taken for one: the one function the reader and the index both use.

    A device's running config is `configs/<name>.<anything>` at the top of configs/
    (`.cfg` preferred, else the first by name); sub-folders (`configs/old/`) and hidden
    files are never read, so archives can live there.
    """
    candidates: dict[str, list[str]] = {}
    for path in sorted(paths):
        rest = path[len(CONFIG_DIR):]
        if not path.startswith(CONFIG_DIR) or "/" in rest or rest.startswith("."):
            continue
        candidates.setdefault(stem(path), []).append(path)
    chosen: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for name, found in candidates.items():
        preferred = f"{CONFIG_DIR}{name}{PREFERRED_SUFFIX}"
        chosen[name] = preferred if preferred in found else found[0]
        problems += [Diagnostic(Location(path), "C300", Severity.WARNING,
                                f"another file for device '{name}' in configs/; its running "
                                f"config is {chosen[name]} (remove this one, or move it into a "
                                "sub-folder such as configs/old/)")
                     for path in found if path != chosen[name]]
    return chosen, problems
