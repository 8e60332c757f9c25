"""The network repository model: YAML with positions, schemas, resolution, integrity.

    inventory = load_inventory(WorktreeSnapshot(root))
    inventory.diagnostics         # every problem, sorted, each at file:line:col
    inventory.devices["r1"].get("vars.ntp_servers")
    inventory.devices["r1"].where("vars.ntp_servers")   # the file:line it came from
"""

from __future__ import annotations

from unet.inventory._integrity import device_problems
from unet.inventory._load import (
    SETTINGS_FILE,
    DocumentCache,
    data_files,
    device_file_errors,
    load_inventory,
    parse_data_file,
    read_document,
    unknown_device,
)
from unet.inventory._models import (
    CONNECTION_FIELDS,
    DEVICE_FIELDS,
    DIALECT_NAMES,
    INTERFACE_FIELDS,
    MODELS,
)
from unet.inventory._owner import platform_of_config
from unet.inventory._resolve import BUILTIN, resolve_document
from unet.inventory._running import (
    CONFIG_DIR,
    ENV_RUNNING_CONFIGS,
    RunningConfigs,
    running_config_dir,
    running_config_paths,
    running_template,
)
from unet.inventory._scaffold import SCHEMA_DIR, scaffold, write_schemas
from unet.inventory._schema import did_you_mean, dotted_path, json_schemas, validate_document
from unet.inventory._select import select_devices
from unet.inventory._state import LLDP_FIELDS, STATE_DIR, STATE_FIELDS, DeviceState, StateFiles
from unet.inventory._types import Entity, Inventory, Link, ResolvedDevice
from unet.inventory._yaml import MAX_FILE_BYTES, Document, parse_yaml

__all__ = [
    "BUILTIN",
    "CONFIG_DIR",
    "CONNECTION_FIELDS",
    "DEVICE_FIELDS",
    "DIALECT_NAMES",
    "ENV_RUNNING_CONFIGS",
    "INTERFACE_FIELDS",
    "LLDP_FIELDS",
    "MAX_FILE_BYTES",
    "MODELS",
    "SCHEMA_DIR",
    "SETTINGS_FILE",
    "STATE_DIR",
    "STATE_FIELDS",
    "DeviceState",
    "Document",
    "DocumentCache",
    "Entity",
    "Inventory",
    "Link",
    "ResolvedDevice",
    "RunningConfigs",
    "StateFiles",
    "data_files",
    "device_file_errors",
    "device_problems",
    "did_you_mean",
    "dotted_path",
    "json_schemas",
    "load_inventory",
    "parse_data_file",
    "parse_yaml",
    "platform_of_config",
    "read_document",
    "resolve_document",
    "running_config_dir",
    "running_config_paths",
    "running_template",
    "scaffold",
    "select_devices",
    "unknown_device",
    "validate_document",
    "write_schemas",
]
