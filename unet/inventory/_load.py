"""Read every data file of a snapshot into an Inventory, collecting every problem."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import Any, Protocol

from unet.core import Diagnostic, Location, Severity, UnetError
from unet.inventory._integrity import check_integrity
from unet.inventory._models import Defaults, Device, Group, LinksFile, Settings
from unet.inventory._models import Location as LocationModel
from unet.inventory._resolve import resolve_devices
from unet.inventory._schema import did_you_mean, validate_document
from unet.inventory._state import StateFiles
from unet.inventory._types import Entity, Inventory, Link
from unet.inventory._yaml import Document, Path_, parse_yaml
from unet.inventory.shape import Model
from unet.source import Snapshot, SnapshotReadError

__all__ = [
    "SETTINGS_FILE",
    "DocumentCache",
    "data_files",
    "load_inventory",
    "parse_data_file",
    "read_document",
]

SETTINGS_FILE = "unet.yaml"
_YAML_SUFFIXES = (".yaml", ".yml")


class DocumentCache(Protocol):
    """Parsed and validated files by content id, so unchanged files are never parsed again.

    An entry is the document after validation (invalid values pruned) and its problems.
    """

    def get(self, blob: str, kind: str, path: str) -> tuple[Document, list[Diagnostic]] | None:
        """The cached entry, with its diagnostics placed at `path`."""

    def put(self, blob: str, kind: str, document: Document | None,
            problems: list[Diagnostic]) -> None:
        """Remember an entry."""


def load_inventory(snapshot: Snapshot, *, cache: DocumentCache | None = None) -> Inventory:
    """Load, validate and resolve the whole repository; problems go to `.diagnostics`."""
    diagnostics: list[Diagnostic] = []
    settings = _load_settings(snapshot, diagnostics)
    inventory = Inventory(settings=settings)
    load = _loader(snapshot, diagnostics, cache)
    inventory.defaults = _load_defaults(snapshot, load)
    inventory.locations = _entities(load, _data_files(snapshot, "locations/"), LocationModel,
                                    "location", diagnostics)
    inventory.groups = _entities(load, _data_files(snapshot, "groups/"), Group, "group",
                                 diagnostics)
    inventory.device_files = _entities(load, _data_files(snapshot, "devices/"), Device, "device",
                                       diagnostics)
    inventory.links = _links(load, _data_files(snapshot, "links/"))
    inventory.devices = resolve_devices(inventory)
    inventory.state = StateFiles(snapshot)
    unreadable = frozenset(n for d in diagnostics if (n := _device_file_name(d)) is not None)
    diagnostics.extend(check_integrity(inventory, unreadable))
    inventory.diagnostics = _unique_sorted(diagnostics)
    return inventory


def _device_file_name(diagnostic: Diagnostic) -> str | None:
    """The device a file under devices/ is named after, for an error in it."""
    path = diagnostic.location.path
    if diagnostic.severity is not Severity.ERROR or not path.startswith("devices/"):
        return None
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def device_file_errors(diagnostics: Iterable[Diagnostic], device: str) -> list[Diagnostic]:
    """The errors of the device file named after `device`: when the file did not load, they
    are why the device is unknown."""
    return [d for d in diagnostics if _device_file_name(d) == device]


def unknown_device(inventory: Inventory, name: str, more: str = "") -> UnetError:
    """Why `name` is no device: its file has errors (and did not load), or it is misspelt;
    `more` ends the message (where the names are listed)."""
    broken = device_file_errors(inventory.diagnostics, name)
    if broken:
        return UnetError(f"device '{name}' was not loaded: {broken[0].location.path} has "
                         "errors (run `unet validate`)", broken)
    return UnetError(f"no device named '{name}'{did_you_mean(name, inventory.devices)}{more}")


def read_document(snapshot: Snapshot, path: str) -> tuple[Document | None, list[Diagnostic]]:
    """One YAML file from the snapshot, or the reason it could not be read."""
    try:
        data = snapshot.read(path)
    except SnapshotReadError as exc:
        problem = Diagnostic(Location(path), exc.code or "U108", Severity.ERROR,
                             f"cannot read: {exc.reason}")
        return None, [problem]
    return parse_yaml(data, path)


_Load = Callable[[str, "Model"], "Document | None"]


def _loader(snapshot: Snapshot, diagnostics: list[Diagnostic],
            cache: DocumentCache | None) -> _Load:
    def load(path: str, model: Model) -> Document | None:
        if cache is None:
            document, problems = _parse_and_validate(snapshot, path, model)
            diagnostics.extend(problems)
            return document
        try:
            blob = snapshot.blob_id(path)
        except SnapshotReadError:
            blob = ""
        hit = cache.get(blob, model.title, path) if blob else None
        if hit is not None:
            diagnostics.extend(hit[1])
            return hit[0] if hit[0].data is not None else None
        document, problems = _parse_and_validate(snapshot, path, model)
        if blob:
            cache.put(blob, model.title, document, problems)
        diagnostics.extend(problems)
        return document

    return load


# Folder -> the model of its files; `defaults.y*` is matched separately.
_KINDS: dict[str, Model] = {
    "locations/": LocationModel, "groups/": Group, "devices/": Device, "links/": LinksFile,
}


def data_files(snapshot: Snapshot) -> list[tuple[str, str]]:
    """Every YAML data file with the name of its kind (its model), in load order."""
    found: list[tuple[str, str]] = [(name, Defaults.title)
                                    for name in ("defaults.yaml", "defaults.yml")
                                    if name in snapshot.files(name)]
    for folder, model in _KINDS.items():
        found += [(path, model.title) for path in _data_files(snapshot, folder)]
    return found


def parse_data_file(snapshot: Snapshot, path: str, kind: str,
                    ) -> tuple[Document | None, list[Diagnostic]]:
    """One data file parsed and validated as `kind` (what the loader caches)."""
    models: dict[str, Model] = {m.title: m for m in _KINDS.values()}
    models[Defaults.title] = Defaults
    return _parse_and_validate(snapshot, path, models[kind])


def _parse_and_validate(snapshot: Snapshot, path: str, model: Model,
                        ) -> tuple[Document | None, list[Diagnostic]]:
    """A file parsed and checked against its model; None when nothing usable is left."""
    document, problems = read_document(snapshot, path)
    if document is None:
        return None, problems
    invalid, bad_paths = validate_document(document, model)
    if invalid and not _prune(document, bad_paths):
        return None, [*problems, *invalid]
    return document, [*problems, *invalid]


def _prune(document: Document, bad_paths: list[Path_], *, whole_lists: bool = True) -> bool:
    """Drop the values that failed validation so the rest of the file still counts.

    Keeps one bad key from cascading into "unknown device" errors elsewhere. Inside a
    list, the whole list goes (a partial list of link endpoints or groups would mean
    something else), or with `whole_lists=False` only the list's item (one role, one
    normalizer: each stands alone). Returns False when nothing usable is left (the top
    level is not a mapping).
    """
    if not isinstance(document.data, dict):
        return False
    dropped: dict[int, tuple[list[Any], set[int]]] = {}  # id(list) -> list, item indexes
    for path in bad_paths:
        chain = _containers(document.data, path)  # chain[i] holds path[i]
        first_list = next((i for i, c in enumerate(chain) if isinstance(c, list)), None)
        if first_list is None:
            parent = chain[-1]
            if isinstance(parent, dict):
                parent.pop(path[len(chain) - 1], None)
        elif whole_lists:
            holder = chain[first_list - 1]
            if isinstance(holder, dict):
                holder.pop(path[first_list - 1], None)
        else:
            items = chain[first_list]
            assert isinstance(items, list)
            dropped.setdefault(id(items), (items, set()))[1].add(path[first_list])
    for items, indexes in dropped.values():
        items[:] = [item for i, item in enumerate(items) if i not in indexes]
    return True


def _containers(data: Any, path: Path_) -> list[Any]:
    """The containers `path` walks through, as far as they exist: [data, data[p0], ...]."""
    chain = [data]
    for part in path[:-1]:
        current = chain[-1]
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if not (in_list or (isinstance(current, dict) and part in current)):
            break
        chain.append(current[part])
    return chain


def _load_settings(snapshot: Snapshot, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    defaults = Settings.defaults()
    try:
        raw = snapshot.read(SETTINGS_FILE)
    except SnapshotReadError as exc:
        diagnostics.append(Diagnostic(Location(SETTINGS_FILE), exc.code or "U108",
                                      Severity.ERROR, f"cannot read: {exc.reason}"))
        return defaults
    if not raw.strip():
        return defaults  # an empty unet.yaml just marks the root
    document, problems = parse_yaml(raw, SETTINGS_FILE)
    diagnostics.extend(problems)
    if document is None or problems:
        return defaults
    settings, issues = Settings.validate(document.data)
    if not issues:
        return dict(settings)
    invalid, bad_paths = validate_document(document, Settings)
    diagnostics.extend(invalid)
    # Like a data file, a bad setting is dropped and the rest still counts: one typo
    # must not swap the repository's roles for the defaults and flag every device.
    if invalid and not _prune(document, bad_paths, whole_lists=False):
        return defaults
    settings, left = Settings.validate(document.data)
    return defaults if left else dict(settings)


def _load_defaults(snapshot: Snapshot, load: _Load) -> Document | None:
    for name in ("defaults.yaml", "defaults.yml"):
        if name in snapshot.files(name):
            return load(name, Defaults)
    return None


def _data_files(snapshot: Snapshot, folder: str) -> list[str]:
    return [p for p in snapshot.files(folder) if p.endswith(_YAML_SUFFIXES)]


def _entities(load: _Load, paths: list[str], model: Model, kind: str,
              diagnostics: list[Diagnostic]) -> dict[str, Entity]:
    found: dict[str, Entity] = {}
    for path in paths:
        document = load(path, model)
        if document is None:
            continue
        if not isinstance(document.data.get("name"), str):
            # Named after the file here, not when parsed: a parsed file is cached by its
            # content, which a renamed file or an identical copy shares.
            document.data["name"] = PurePosixPath(path).stem
        entity = Entity(document.data["name"], document)
        first = found.get(entity.name)
        if first is not None:
            diagnostics.append(Diagnostic(
                entity.location("name"), "U306", Severity.ERROR,
                f"duplicate {kind} name '{entity.name}'; also defined in {first.path}",
                related=(first.location("name"),)))
            continue
        found[entity.name] = entity
    return found


def _links(load: _Load, paths: list[str]) -> list[Link]:
    links: list[Link] = []
    for path in paths:
        document = load(path, LinksFile)
        if document is None:
            continue
        # a file whose list failed validation keeps no list (its errors are reported)
        for index, item in enumerate(document.data.get("links") or ()):
            (a_dev, a_if), (b_dev, b_if) = (e.split(":", 1) for e in item["endpoints"])
            links.append(Link(((a_dev, a_if), (b_dev, b_if)), item, document, index))
    return links


def _unique_sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    # An inherited value with a problem is reported once, at its source, not per device.
    unique = {(d.location, d.code, d.message): d for d in diagnostics}
    return sorted(unique.values(), key=lambda d: d.sort_key)
