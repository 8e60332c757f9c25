"""Start, find and stop labs: namespaces, a bridge, FRR daemons and sshd per router.

Everything a lab creates is named after the lab, so labs with different names run side
by side: the namespaces `NAME` (where unet runs) and `NAME.rK` (one per router), the
user `ul<hash>` with its own random password, and the folder `/run/unet-lab/NAME/`
with the pids, credentials and each router's sockets and configuration. Interfaces
are created inside those namespaces (`br0` and `rK` in the lab's, `eth0` in each
router's), so their names never collide with another lab's or the host's.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tests.lab._routers import LAB_ADDRESS, SUBNET, RouterSpec, boot_config, specs

__all__ = ["DEFAULT_NAME", "STATE_ROOT", "Lab", "LabError", "Router", "down", "labs", "load", "up"]

STATE_ROOT = Path(os.environ.get("UNET_LAB_STATE", "/run/unet-lab"))
DEFAULT_NAME = "unet-lab"
FRR = Path("/usr/lib/frr")
DAEMONS = ("zebra", "bgpd", "staticd")
SSHD = "/usr/sbin/sshd"
NAME_PATTERN = re.compile(r"[a-z][a-z0-9-]{0,30}")
START_TIMEOUT = 15.0  # seconds for one router's daemons and sshd to come up
STOP_TIMEOUT = 3.0  # seconds between SIGTERM and SIGKILL
_CLONE_NEWNET = 0x40000000


class LabError(RuntimeError):
    """The lab cannot start or be found; the message says why and what to do."""


@dataclass
class Router:
    name: str
    address: str
    namespace: str
    asn: int
    folder: str
    pids: dict[str, int] = field(default_factory=dict)

    @property
    def vty(self) -> str:
        return f"{self.folder}/run"

    @property
    def etc(self) -> str:
        return f"{self.folder}/etc"


@dataclass
class Lab:
    """A running lab, as recorded in `/run/unet-lab/NAME/lab.json`."""

    name: str
    namespace: str
    state: str
    username: str
    frr_version: str
    routers: list[Router]
    repo: str | None = None
    owner_pid: int = 0

    @property
    def password(self) -> str:
        return _read_json(Path(self.state) / "credentials.json")["password"]

    @property
    def key_file(self) -> str:
        """A private key every router of the lab accepts for the lab's user."""
        return f"{self.state}/client_key"

    def router(self, name: str) -> Router:
        for router in self.routers:
            if router.name == name:
                return router
        known = ", ".join(r.name for r in self.routers)
        raise LabError(f"lab {self.name} has no router {name!r} (routers: {known})")

    def env(self) -> dict[str, str]:
        """What a command needs to reach the routers: the lab's credentials."""
        return {"UNET_DEVICE_PASSWORD": self.password, "UNET_DEVICE_USERNAME": self.username,
                "UNET_LAB": self.name}

    def describe(self) -> dict[str, Any]:
        """The JSON line `up` prints (no secrets: the password stays in the state folder)."""
        return {"name": self.name, "namespace": self.namespace, "subnet": SUBNET,
                "lab_address": LAB_ADDRESS, "repo": self.repo, "state": self.state,
                "username": self.username, "password_env": "UNET_DEVICE_PASSWORD",
                "key_file": self.key_file,
                "frr_version": self.frr_version,
                "devices": [{"name": r.name, "address": r.address, "port": 22,
                             "namespace": r.namespace, "asn": r.asn} for r in self.routers]}

    def command(self, argv: Sequence[str], *, device: str | None = None) -> list[str]:
        namespace = self.router(device).namespace if device else self.namespace
        return ["ip", "netns", "exec", namespace, *argv]

    def run(self, argv: Sequence[str], *, device: str | None = None, timeout: float = 120,
            check: bool = False, env: dict[str, str] | None = None,
            ) -> subprocess.CompletedProcess[str]:
        """Run `argv` in the lab namespace (or a router's), with the lab's credentials."""
        full_env = {**os.environ, **self.env(), **(env or {})}
        return subprocess.run(self.command(argv, device=device), capture_output=True, text=True,
                              timeout=timeout, check=check, env=full_env)

    def vtysh(self, device: str, *commands: str) -> subprocess.CompletedProcess[str]:
        """`vtysh -c …` on one router, bypassing SSH (to change it behind unet's back)."""
        router = self.router(device)
        # In the router's host name, as its SSH session is (vtysh adds its own otherwise).
        argv = ["unshare", "--uts", "--", "sh", "-c", 'hostname "$0" && exec "$@"', router.name,
                "vtysh", "--vty_socket", router.vty, "--config_dir", router.etc]
        for command in commands:
            argv += ["-c", command]
        return self.run(argv, device=device, timeout=30)

    def running_config(self, device: str) -> str:
        return self.vtysh(device, "show running-config").stdout

    @contextlib.contextmanager
    def inside(self, device: str | None = None) -> Iterator[None]:
        """Run this thread (and threads it starts) in the lab namespace or a router's."""
        namespace = self.router(device).namespace if device else self.namespace
        libc = ctypes.CDLL(None, use_errno=True)
        target = os.open(f"/run/netns/{namespace}", os.O_RDONLY)
        original = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        try:
            if libc.setns(target, _CLONE_NEWNET) != 0:
                raise LabError(f"cannot enter namespace {namespace}: "
                               f"{os.strerror(ctypes.get_errno())}")
            yield
        finally:
            libc.setns(original, _CLONE_NEWNET)
            os.close(target)
            os.close(original)

    def stop_sshd(self, device: str) -> None:
        """Kill one router's sshd and every SSH session on it (the router stops answering)."""
        router = self.router(device)
        for pid in _namespace_pids(router.namespace):
            if _comm(pid) == "sshd":
                _signal(pid, signal.SIGKILL)
        router.pids.pop("sshd", None)
        self._save()

    def start_sshd(self, device: str) -> None:
        router = self.router(device)
        if "sshd" in router.pids and _alive(router.pids["sshd"]):
            return
        router.pids["sshd"] = _start_sshd(router, self)
        _wait_listening(router, router.pids["sshd"])
        self._save()

    def _save(self) -> None:
        _write_json(Path(self.state) / "lab.json", asdict(self))


def labs() -> list[str]:
    """Names of the labs with a state folder on this machine."""
    if not STATE_ROOT.is_dir():
        return []
    return sorted(p.name for p in STATE_ROOT.iterdir() if (p / "lab.json").is_file())


def load(name: str = DEFAULT_NAME) -> Lab:
    """The running lab called `name`."""
    path = STATE_ROOT / name / "lab.json"
    if not path.is_file():
        raise LabError(f"no lab named {name!r} is up (start one with "
                       f"`python -m tests.lab up --name {name} --devices N --repo DIR`)")
    data = _read_json(path)
    routers = [Router(**r) for r in data.pop("routers")]
    return Lab(routers=routers, **data)


def _check_name(name: str) -> None:
    if not NAME_PATTERN.fullmatch(name):
        raise LabError(f"invalid lab name {name!r}: lower-case letters, digits and '-', "
                       "starting with a letter, at most 31 characters")


def prerequisites() -> list[str]:
    """What is missing for a lab to start on this machine (empty when it can)."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root (network namespaces and FRR need it)")
    for path, package in ((FRR / "zebra", "frr"), (Path("/usr/bin/vtysh"), "frr"),
                          (Path(SSHD), "openssh-server")):
        if not path.exists():
            missing.append(f"{path} (apt-get install {package})")
    for tool in ("ip", "unshare", "ssh-keygen", "useradd", "chpasswd"):
        if shutil.which(tool) is None:
            missing.append(f"the {tool} command")
    return missing


def up(devices: int, repo: str | Path | None = None, name: str = DEFAULT_NAME, *,
       owner: int = 0) -> Lab:
    """Start `devices` routers; write the lab's repository into `repo` when given.

    `owner` is the pid of a process that will stop the lab (a test session): when it is
    gone, `down --stale` removes the lab.
    """
    _check_name(name)
    routers = specs(devices)  # validates the count
    missing = prerequisites()
    if missing:
        raise LabError("cannot start the lab; missing: " + "; ".join(missing))
    if repo is not None:
        _check_repo_target(Path(repo))
    state = STATE_ROOT / name
    if (state / "lab.json").exists():
        if _is_running(load(name)):
            raise LabError(f"lab {name!r} is already up; stop it with "
                           f"`python -m tests.lab down --name {name}` or choose another --name")
        down(name)  # left behind by a process that died
    state.mkdir(parents=True, exist_ok=False)
    state.chmod(0o755)
    lab = Lab(name=name, namespace=name, state=str(state), username=_username(name),
              frr_version=_frr_version(), owner_pid=owner,
              routers=[Router(s.name, s.address, f"{name}.r{s.index}", s.asn,
                              str(state / s.name)) for s in routers])
    lab._save()  # from here on, `down` can clean up whatever exists
    try:
        _create(lab, routers)
        if repo is not None:
            from tests.lab._repo import write_repository

            write_repository(lab, Path(repo))
            lab.repo = str(Path(repo).resolve())
        lab._save()
    except BaseException:
        down(name)
        raise
    return lab


def _check_repo_target(repo: Path) -> None:
    if repo.exists() and (not repo.is_dir() or any(repo.iterdir())):
        raise LabError(f"--repo {repo} exists and is not an empty directory")


def _create(lab: Lab, specs_: list[RouterSpec]) -> None:
    password = secrets.token_urlsafe(12)
    _write_json(Path(lab.state) / "credentials.json",
                {"username": lab.username, "password": password}, mode=0o600)
    _create_user(lab.username, password)
    _sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"unet-lab {lab.name}",
        "-f", f"{lab.state}/ssh_host_key")
    # A client key the routers accept too, for logins without a password.
    _sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"unet-lab client {lab.name}",
        "-f", lab.key_file)
    Path(f"{lab.state}/authorized_keys").write_text(Path(lab.key_file + ".pub").read_text())
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation dir
    _sh("ip", "netns", "add", lab.namespace)
    _ns(lab.namespace, "ip", "link", "set", "lo", "up")
    _ns(lab.namespace, "ip", "link", "add", "br0", "type", "bridge")
    _ns(lab.namespace, "ip", "addr", "add", f"{LAB_ADDRESS}/24", "dev", "br0")
    _ns(lab.namespace, "ip", "link", "set", "br0", "up")
    for router, spec in zip(lab.routers, specs_, strict=True):
        _create_router_namespace(lab, router, spec)
    # Daemons start in parallel: most of the time is spent waiting for sockets.
    with ThreadPoolExecutor(max_workers=min(8, len(lab.routers))) as pool:
        list(pool.map(lambda pair: _start_router(lab, *pair), zip(lab.routers, specs_,
                                                                   strict=True)))


def _create_router_namespace(lab: Lab, router: Router, spec: RouterSpec) -> None:
    port = f"r{spec.index}"
    _sh("ip", "netns", "add", router.namespace)
    _ns(router.namespace, "ip", "link", "set", "lo", "up")
    _ns(lab.namespace, "ip", "link", "add", port, "type", "veth", "peer", "name", "eth0",
        "netns", router.namespace)
    _ns(lab.namespace, "ip", "link", "set", port, "master", "br0", "up")
    _ns(router.namespace, "ip", "addr", "add", f"{router.address}/24", "dev", "eth0")
    _ns(router.namespace, "ip", "link", "set", "eth0", "up")
    folder = Path(router.folder)
    for sub in ("run", "etc"):
        (folder / sub).mkdir(parents=True)
    (folder / "etc" / "vtysh.conf").write_text("service integrated-vtysh-config\n")
    (folder / "boot.conf").write_text(boot_config(spec, lab.frr_version))
    shutil.chown(folder / "run", "frr", "frr")
    shutil.chown(folder / "etc", "frr", "frrvty")
    (folder / "etc").chmod(0o775)
    (folder / "etc" / "vtysh.conf").chmod(0o644)


def _start_router(lab: Lab, router: Router, spec: RouterSpec) -> None:
    for daemon in DAEMONS:
        argv = [str(FRR / daemon), "-i", f"{router.vty}/{daemon}.pid",
                "-z", f"{router.vty}/zserv.api", "--vty_socket", router.vty, "-f", "/dev/null",
                *(["-p", "179"] if daemon == "bgpd" else [])]
        router.pids[daemon] = _spawn(router, argv, f"{router.folder}/{daemon}.log")
        if daemon == "zebra":  # the others connect to zebra's socket at start
            _wait_for(lambda: Path(f"{router.vty}/zserv.api").exists(), router, daemon)
    for daemon in DAEMONS:
        _wait_for(lambda d=daemon: Path(f"{router.vty}/{d}.vty").exists(), router, daemon)
    boot = subprocess.run(
        ["ip", "netns", "exec", router.namespace, "vtysh", "--vty_socket", router.vty,
         "--config_dir", router.etc, "-f", f"{router.folder}/boot.conf"],
        capture_output=True, text=True, timeout=30)
    if boot.returncode != 0:
        raise LabError(f"{router.name}: FRR refused its configuration: "
                       f"{(boot.stdout + boot.stderr).strip()[:500]}")
    router.pids["sshd"] = _start_sshd(router, lab)
    _wait_listening(router, router.pids["sshd"])


def _start_sshd(router: Router, lab: Lab) -> int:
    config = Path(router.folder) / "sshd_config"
    config.write_text("\n".join([
        "Port 22", f"ListenAddress {router.address}", f"HostKey {lab.state}/ssh_host_key",
        f"PidFile {router.folder}/sshd.pid", "PasswordAuthentication yes",
        "KbdInteractiveAuthentication no", "PubkeyAuthentication yes", "UsePAM no",
        f"AuthorizedKeysFile {lab.state}/authorized_keys",
        "PermitRootLogin no", f"AllowUsers {lab.username}", "PrintMotd no", "PrintLastLog no",
        "UseDNS no", "LogLevel ERROR", "MaxStartups 100:30:200", "LoginGraceTime 20",
        "X11Forwarding no", "AllowAgentForwarding no",
        # Forwarding within the lab only: a router can be the jump host to another.
        "AllowTcpForwarding local", "PermitOpen " + " ".join(
            f"{r.address}:22" for r in lab.routers) + f" {LAB_ADDRESS}:22",
        # The session is the router's CLI, for this router's FRR instance only; like a
        # router, `ssh router 'show version'` runs one command.
        f"ForceCommand {router.folder}/cli", ""]))
    vtysh = f"vtysh --vty_socket {router.vty} --config_dir {router.etc} -H /dev/null"
    cli = Path(router.folder) / "cli"
    cli.write_text("#!/bin/sh\n"
                   f'[ -n "$SSH_ORIGINAL_COMMAND" ] && exec {vtysh} -c "$SSH_ORIGINAL_COMMAND"\n'
                   f"exec {vtysh}\n")
    cli.chmod(0o755)
    return _spawn(router, [SSHD, "-D", "-e", "-f", str(config)], f"{router.folder}/sshd.log")


def _spawn(router: Router, argv: list[str], log: str) -> int:
    # `unshare --uts` gives the process the router's host name (FRR prints it in
    # `show running-config` and `show version`); every step execs, so the pid is the
    # daemon's own.
    command = ["ip", "netns", "exec", router.namespace, "unshare", "--uts", "--", "sh", "-c",
               'hostname "$0" && exec "$@"', router.name, *argv]
    with open(log, "ab") as out:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                   start_new_session=True)
    return process.pid


def _wait_for(ready: Any, router: Router, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not ready():
        if time.monotonic() > deadline:
            log = Path(router.folder) / f"{what}.log"
            tail = log.read_text(errors="replace")[-400:] if log.exists() else ""
            raise LabError(f"{router.name}: {what} did not start within {START_TIMEOUT:.0f} s"
                           f"{': ' + tail.strip() if tail.strip() else ''}")
        time.sleep(0.02)


def _wait_listening(router: Router, pid: int) -> None:
    # /proc/PID/net/tcp is the namespace of PID: no need to enter it to look.
    def listening() -> bool:
        if not _alive(pid):
            raise LabError(f"{router.name}: sshd exited: "
                           f"{Path(router.folder, 'sshd.log').read_text(errors='replace')[-400:]}")
        try:
            table = Path(f"/proc/{pid}/net/tcp").read_text()
        except OSError:
            return False
        want = f"{socket.inet_aton(router.address)[::-1].hex().upper()}:0016"
        return any(line.split()[1] == want and line.split()[3] == "0A"
                   for line in table.splitlines()[1:])

    _wait_for(listening, router, "sshd")


def _is_running(lab: Lab) -> bool:
    return Path(f"/run/netns/{lab.namespace}").exists() and any(
        _alive(pid) for router in lab.routers for pid in router.pids.values())


def down(name: str = DEFAULT_NAME) -> bool:
    """Stop every process of the lab, remove its namespaces, user and state. Idempotent:
    returns False when there was nothing to remove."""
    _check_name(name)
    state = STATE_ROOT / name
    lab: Lab | None = None
    with contextlib.suppress(LabError, OSError, ValueError, TypeError, KeyError):
        lab = load(name)
    namespaces = [name, *_router_namespaces(name)]
    existing = [ns for ns in namespaces if Path(f"/run/netns/{ns}").exists()]
    if lab is None and not existing and not state.exists():
        return False
    recorded = [pid for r in lab.routers for pid in r.pids.values()
                if str(state) in _cmdline(pid)] if lab else []
    _stop([*recorded, *(pid for ns in existing for pid in _namespace_pids(ns))])
    for namespace in existing:
        subprocess.run(["ip", "netns", "del", namespace], capture_output=True, timeout=30)
    _delete_user(lab.username if lab else _username(name))
    shutil.rmtree(state, ignore_errors=True)
    return True


def _router_namespaces(name: str) -> list[str]:
    netns = Path("/run/netns")
    if not netns.is_dir():
        return []
    return sorted(p.name for p in netns.iterdir() if re.fullmatch(re.escape(name) + r"\.r\d+",
                                                                   p.name))


def _stop(pids: list[int]) -> None:
    """SIGTERM, a bounded wait, then SIGKILL. The callers pass only processes of this lab
    (in its namespaces, or with its state folder on their command line), never a pid
    that was recycled for another process."""
    ours = sorted({pid for pid in pids if _alive(pid)})
    for pid in ours:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and any(_alive(p) for p in ours):
        _reap()
        time.sleep(0.05)
    for pid in ours:
        if _alive(pid):
            _signal(pid, signal.SIGKILL)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and any(_alive(p) for p in ours):
        _reap()
        time.sleep(0.05)
    _reap()


def _reap() -> None:
    # Daemons started by this process are its children: collect them so they don't linger
    # as zombies (which would also look alive to the loop above).
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
            errors="replace")
    except OSError:
        return ""


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, sig)


def _namespace_pids(namespace: str) -> list[int]:
    """Processes whose network namespace is `namespace` (what `ip netns pids` lists)."""
    try:
        target = os.stat(f"/run/netns/{namespace}")
    except OSError:
        return []
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ns = os.stat(entry / "ns" / "net")
        except OSError:
            continue
        if (ns.st_dev, ns.st_ino) == (target.st_dev, target.st_ino):
            found.append(int(entry.name))
    return found


def _username(name: str) -> str:
    return "ul" + hashlib.sha1(name.encode()).hexdigest()[:10]


@contextlib.contextmanager
def _users_lock() -> Iterator[None]:
    # useradd/userdel rewrite /etc/passwd: labs starting at once take turns.
    STATE_ROOT.mkdir(parents=True, exist_ok=True)
    with open(STATE_ROOT / ".users.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _create_user(username: str, password: str) -> None:
    with _users_lock():
        exists = subprocess.run(["id", "-u", username], capture_output=True).returncode == 0
        if not exists:
            _sh("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                "--shell", "/bin/sh", "--groups", "frrvty", "--comment", "unet lab", username)
        subprocess.run(["chpasswd"], input=f"{username}:{password}\n", text=True, check=True,
                       capture_output=True, timeout=30)


def _delete_user(username: str) -> None:
    with _users_lock():
        subprocess.run(["userdel", username], capture_output=True, timeout=30)


def _frr_version() -> str:
    out = subprocess.run([str(FRR / "zebra"), "--version"], capture_output=True, text=True,
                         timeout=30).stdout
    found = re.search(r"version (\S+)", out)
    if not found:
        raise LabError(f"cannot tell the FRR version from `zebra --version`: {out[:200]!r}")
    return found.group(1)


def _sh(*argv: str) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise LabError(f"`{' '.join(argv)}` failed: {(result.stderr or result.stdout).strip()}")


def _ns(namespace: str, *argv: str) -> None:
    _sh("ip", "netns", "exec", namespace, *argv)


def _read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _write_json(path: Path, data: dict[str, Any], mode: int = 0o644) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as out:
        json.dump(data, out, indent=1)
    os.replace(tmp, path)
