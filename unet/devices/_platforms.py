"""Per-platform behaviour as data: how to reach a device, what to ask it, how to read the
answers, what its errors look like, and how it protects a change.

The engine loops over these rows and never asks which platform it is on. A row is
chosen by the device's `platform` (its config dialect); `connection.device_type`
overrides only the netmiko driver.
"""

from __future__ import annotations

import difflib

from unet.core import record

__all__ = ["PLATFORMS", "FactCommand", "Platform", "SafetyNet", "get_platform"]


@record
class FactCommand:
    """One command whose output becomes facts.

    `parser` names a parser in `_facts.PARSERS` (`ntc`: ntc-templates/TextFSM for
    `ntc_platform` and this command; or one of unet's own). `fields` maps state fields
    to the parser's columns (lower case; a list column gives its first item). `kind` is
    `version` (one record) or `lldp` (one record per neighbour).
    """

    kind: str
    command: str
    parser: str = "ntc"
    ntc_platform: str | None = None
    fields: tuple[tuple[str, str], ...] = ()


@record
class SafetyNet:
    """How the platform protects a change, in the order a deployment uses the commands.

    `{name}` in a command is a per-run name (checkpoint, session); `{minutes}` and
    `{timer}` (hh:mm:ss) the confirmation window. `kind` is one of `commit-confirmed`,
    `config-session`, `checkpoint`, `archive`, `revert-timer`, `computed-rollback`.
    """

    kind: str
    description: str
    prepare: tuple[str, ...] = ()  # before the change (take a checkpoint, open a session)
    check: tuple[str, ...] = ()  # validate without applying (commit check, session diffs)
    apply: tuple[str, ...] = ()  # make it take effect, with automatic rollback armed
    confirm: tuple[str, ...] = ()  # keep it (the final commit, configure confirm)
    rollback: tuple[str, ...] = ()  # undo it with the platform's own mechanism
    cleanup: tuple[str, ...] = ()  # remove what prepare left behind


@record
class Platform:
    name: str
    title: str  # what the platform calls itself, for messages
    device_type: str  # netmiko driver
    running_config: str  # the command that shows the running configuration
    facts: tuple[FactCommand, ...]
    identity: str  # a regex `show version` output contains when it is this platform
    prompt: str  # the exec prompt (regex, searched in the last line)
    config_prompt: str  # the configuration-mode prompt
    enter_config: str
    exit_config: str
    error_patterns: tuple[str, ...]  # a response matching any of these is a rejection
    safety_net: SafetyNet
    config_end: str | None = r"^end$"  # the last line of a complete configuration
    lldp_note: str | None = None  # why LLDP is not collected, when it is not
    # `unet deploy` applies changes only where its whole path (apply, error patterns,
    # safety net, rollback) has been tested against a real device of the platform.
    deploy_tested: bool = False


# Responses Cisco-like CLIs give to a line they refuse.
_CISCO_ERRORS = (r"% ?Invalid input", r"% ?Incomplete command", r"% ?Ambiguous command",
                 r"% ?Unknown command", r"% ?Invalid command", r"% ?Bad ", r"% ?Error")

_IOS_VERSION = (("os_version", "version"), ("model", "hardware"), ("serial", "serial"),
                ("uptime", "uptime"), ("hostname", "hostname"))
_LLDP_DETAIL = (("local_interface", "local_interface"), ("neighbor", "neighbor_name"),
                ("neighbor_interface", "neighbor_port_id"), ("chassis_id", "chassis_id"),
                ("management_address", "mgmt_address"))

PLATFORMS: dict[str, Platform] = {
    "ios": Platform(
        name="ios", title="Cisco IOS", device_type="cisco_ios",
        running_config="show running-config",
        facts=(FactCommand("version", "show version", ntc_platform="cisco_ios",
                           fields=_IOS_VERSION),
               FactCommand("lldp", "show lldp neighbors detail", ntc_platform="cisco_ios",
                           fields=_LLDP_DETAIL)),
        identity=r"Cisco IOS Software|IOS \(tm\)|Cisco Internetwork Operating System",
        prompt=r"[\w.\-/:]+#\s*$", config_prompt=r"\(config[^)]*\)#\s*$",
        enter_config="configure terminal", exit_config="end", error_patterns=_CISCO_ERRORS,
        safety_net=SafetyNet(
            "archive", "the running config is saved to flash first; on failure "
            "`configure replace` restores it exactly",
            prepare=("copy running-config flash:unet-{name}.cfg",),
            rollback=("configure replace flash:unet-{name}.cfg force",),
            cleanup=("delete /force flash:unet-{name}.cfg",))),
    "iosxe": Platform(
        name="iosxe", title="Cisco IOS XE", device_type="cisco_xe",
        running_config="show running-config",
        facts=(FactCommand("version", "show version", ntc_platform="cisco_ios",
                           fields=_IOS_VERSION),
               FactCommand("lldp", "show lldp neighbors detail", ntc_platform="cisco_ios",
                           fields=_LLDP_DETAIL)),
        identity=r"Cisco IOS[ -]XE Software|IOS-XE",
        prompt=r"[\w.\-/:]+#\s*$", config_prompt=r"\(config[^)]*\)#\s*$",
        enter_config="configure terminal revert timer {minutes}", exit_config="end",
        error_patterns=_CISCO_ERRORS,
        safety_net=SafetyNet(
            "revert-timer", "`configure terminal revert timer N` rolls the change back unless "
            "`configure confirm` follows within N minutes",
            confirm=("configure confirm",), rollback=("configure revert now",))),
    "nxos": Platform(
        name="nxos", title="Cisco NX-OS", device_type="cisco_nxos",
        running_config="show running-config",
        facts=(FactCommand("version", "show version", ntc_platform="cisco_nxos",
                           fields=(("os_version", "os"), ("model", "platform"),
                                   ("serial", "serial"), ("uptime", "uptime"),
                                   ("hostname", "hostname"))),
               FactCommand("lldp", "show lldp neighbors detail", ntc_platform="cisco_nxos",
                           fields=(("local_interface", "local_interface"),
                                   ("neighbor", "neighbor_name"),
                                   ("neighbor_interface", "neighbor_interface"),
                                   ("chassis_id", "chassis_id"),
                                   ("management_address", "mgmt_address")))),
        identity=r"Cisco Nexus Operating System|NX-OS",
        prompt=r"[\w.\-/:]+#\s*$", config_prompt=r"\(config[^)]*\)#\s*$",
        enter_config="configure terminal", exit_config="end",
        error_patterns=(*_CISCO_ERRORS, r"Syntax error while parsing", r"% ?Invalid parameter",
                        r"^ERROR: "),
        safety_net=SafetyNet(
            "checkpoint", "a checkpoint before the change; on failure "
            "`rollback running-config checkpoint` restores it",
            prepare=("checkpoint unet-{name}",),
            rollback=("rollback running-config checkpoint unet-{name}",),
            cleanup=("no checkpoint unet-{name}",)),
        config_end=None),
    "eos": Platform(
        name="eos", title="Arista EOS", device_type="arista_eos",
        running_config="show running-config",
        facts=(FactCommand("version", "show version", ntc_platform="arista_eos",
                           fields=(("os_version", "image"), ("model", "model"),
                                   ("serial", "serial_number"), ("uptime", "uptime"))),
               FactCommand("lldp", "show lldp neighbors detail", ntc_platform="arista_eos",
                           fields=(("local_interface", "local_interface"),
                                   ("neighbor", "neighbor_name"),
                                   ("neighbor_interface", "neighbor_interface"),
                                   ("chassis_id", "chassis_id"),
                                   ("management_address", "mgmt_address")))),
        identity=r"Arista|vEOS|cEOS",
        prompt=r"[\w.\-/:]+#\s*$", config_prompt=r"\(config[^)]*\)#\s*$",
        enter_config="configure session unet-{name}", exit_config="end",
        error_patterns=(*_CISCO_ERRORS, r"% ?Unavailable command", r"% ?Not supported"),
        safety_net=SafetyNet(
            "config-session", "a configuration session: its diff is checked, then "
            "`commit timer` applies it and rolls it back unless confirmed",
            check=("show session-config diffs",), apply=("commit timer {timer}",),
            confirm=("configure session unet-{name} commit",),
            rollback=("configure session unet-{name} abort",))),
    "iosxr": Platform(
        name="iosxr", title="Cisco IOS XR", device_type="cisco_xr",
        running_config="show running-config",
        facts=(FactCommand("version", "show version", ntc_platform="cisco_xr",
                           fields=(("os_version", "version"), ("model", "hardware"),
                                   ("uptime", "uptime"))),
               FactCommand("lldp", "show lldp neighbors detail", ntc_platform="cisco_xr",
                           fields=(("local_interface", "local_interface"),
                                   ("neighbor", "neighbor"),
                                   ("neighbor_interface", "neighbor_port_id"),
                                   ("chassis_id", "chassis_id"),
                                   ("management_address", "management_ip")))),
        identity=r"Cisco IOS XR Software|IOS-XR",
        prompt=r"[\w.\-/:]+#\s*$", config_prompt=r"\(config[^)]*\)#\s*$",
        enter_config="configure terminal", exit_config="end",
        error_patterns=(*_CISCO_ERRORS, r"% ?Failed to commit", r"!!% "),
        safety_net=SafetyNet(
            "commit-confirmed", "a candidate configuration: `commit confirmed` applies it "
            "and rolls it back unless `commit` follows",
            check=("show configuration",), apply=("commit confirmed {minutes}",),
            confirm=("commit",), rollback=("abort",))),
    "junos": Platform(
        name="junos", title="Juniper Junos", device_type="juniper_junos",
        running_config="show configuration",
        facts=(FactCommand("version", "show version", ntc_platform="juniper_junos",
                           fields=(("os_version", "junos_version"), ("model", "model"),
                                   ("serial", "serial_number"), ("hostname", "hostname"))),
               FactCommand("lldp", "show lldp neighbors", ntc_platform="juniper_junos",
                           fields=(("local_interface", "local_interface"),
                                   ("neighbor", "neighbor_name"),
                                   ("neighbor_interface", "neighbor_interface"),
                                   ("chassis_id", "chassis_id")))),
        identity=r"JUNOS|Junos:",
        prompt=r"[\w.\-@]+>\s*$", config_prompt=r"[\w.\-@]+#\s*$",
        enter_config="configure private", exit_config="exit configuration-mode",
        error_patterns=(r"syntax error", r"unknown command", r"^error:", r"missing argument",
                        r"invalid value", r"is ambiguous"),
        safety_net=SafetyNet(
            "commit-confirmed", "`commit check`, then `commit confirmed N` (rolled back "
            "after N minutes unless confirmed) and a final `commit`; `rollback 1` undoes it",
            check=("commit check",), apply=("commit confirmed {minutes}",),
            confirm=("commit",), rollback=("rollback 1", "commit")),
        config_end=None),
    "frr": Platform(
        name="frr", title="FRRouting", device_type="cisco_ios",
        running_config="show running-config",
        facts=(FactCommand("version", "show version", parser="frr_version"),),
        identity=r"^FRRouting \S+",
        prompt=r"[\w.\-/:]+#\s*$", config_prompt=r"\(config[^)]*\)#\s*$",
        enter_config="configure terminal", exit_config="end",
        # vtysh answers a configuration line it takes with nothing: a line starting `%` is
        # a refusal (`% Refusing to remove a non-existent route`), warnings aside; a few
        # daemons answer without the `%`.
        error_patterns=(r"% ?(?!Warning\b)\S", r"BGP is already running",
                        r"There is no ", r"Can't find "),
        safety_net=SafetyNet(
            "computed-rollback", "vtysh applies each line at once and has no commit: on "
            "failure unet sends the computed rollback of exactly what it sent"),
        lldp_note="FRRouting has no LLDP; lldp_neighbors is null (not collected)",
        deploy_tested=True),
}


def get_platform(name: str) -> Platform:
    """The row for a platform; a ValueError with a did-you-mean for an unknown one."""
    found = PLATFORMS.get(name)
    if found is None:
        close = difflib.get_close_matches(name, PLATFORMS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"no device platform {name!r} (known: {', '.join(PLATFORMS)}){hint}")
    return found
