"""Talking to real devices: the only layer that opens network connections.

    result = pull(root, snapshot, inventory, devices, jobs=16)   # configs/ and state/
    plans = plan_deployment(PlanContext(snapshot, inventory), devices)   # unet deploy
    deploy(root, context, plans)   # pre-flight, apply, verify, roll back on failure
    for device in result.results: device.status, device.reason

Per-platform behaviour (netmiko driver, commands, prompts, error patterns, safety net)
is the `PLATFORMS` table; a `Transport` opens `Session`s (netmiko over SSH by default);
every failure is a `DeviceError` with a code and a one-line reason.
"""

from __future__ import annotations

from unet.devices._credentials import (
    ENV_PASSWORD,
    KEYRING_SERVICE,
    Secret,
    clear_password,
    lookup_password,
    set_password,
)
from unet.devices._deploy import (
    DeployOptions,
    DeployResult,
    DeviceDeployment,
    batches,
    deploy,
)
from unet.devices._deploy_plan import (
    DevicePlan,
    PlanContext,
    plan_deployment,
    rollback_for,
    select_features,
    sent_prefix,
)
from unet.devices._deploy_record import RECORD_DIR
from unet.devices._errors import INPUT_CODES, DeviceError, translate
from unet.devices._facts import PARSERS, facts_from, uptime_seconds
from unet.devices._platforms import PLATFORMS, FactCommand, Platform, SafetyNet, get_platform
from unet.devices._pull import (
    DEFAULT_JOBS,
    DeviceResult,
    PullResult,
    choose,
    commit_pull,
    pull,
)
from unet.devices._store import clean_config
from unet.devices._target import DEFAULT_PORT, DEFAULT_TIMEOUT, ENV_USERNAME, Target, target_for
from unet.devices._transport import (
    ConfigResponse,
    NetmikoTransport,
    Session,
    Transport,
    rejection,
)

__all__ = [
    "DEFAULT_JOBS",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "ENV_PASSWORD",
    "ENV_USERNAME",
    "INPUT_CODES",
    "KEYRING_SERVICE",
    "PARSERS",
    "PLATFORMS",
    "RECORD_DIR",
    "ConfigResponse",
    "DeployOptions",
    "DeployResult",
    "DeviceDeployment",
    "DeviceError",
    "DevicePlan",
    "DeviceResult",
    "FactCommand",
    "NetmikoTransport",
    "PlanContext",
    "Platform",
    "PullResult",
    "SafetyNet",
    "Secret",
    "Session",
    "Target",
    "Transport",
    "batches",
    "choose",
    "clean_config",
    "clear_password",
    "commit_pull",
    "deploy",
    "facts_from",
    "get_platform",
    "lookup_password",
    "plan_deployment",
    "pull",
    "rejection",
    "rollback_for",
    "select_features",
    "sent_prefix",
    "set_password",
    "target_for",
    "translate",
    "uptime_seconds",
]
