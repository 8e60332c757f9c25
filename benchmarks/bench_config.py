"""Benchmark the config engine against hier_config 3.x on a generated 50,000-line IOS config.

    .venv/bin/python benchmarks/bench_config.py                  # unet only if hier_config is absent
    .venv/bin/python benchmarks/bench_config.py --setup-hier     # create benchmarks/.venv-hier first

hier_config is never a unet dependency: it is imported in this interpreter when available,
otherwise run in `benchmarks/.venv-hier` (made by --setup-hier with `pip install hier-config`).
Budgets (DESIGN.md §6): parse <= 60 ms; text -> diff + remediation <= 150 ms and >= 10x faster
than hier_config. Figures are medians of --repeat runs (at least 5).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
HIER_VENV = HERE / ".venv-hier"
BUDGET_PARSE, BUDGET_DIFF, BUDGET_RATIO = 0.060, 0.150, 10.0


def generate(seed: int = 1729, target: int = 50_000) -> str:
    """A realistic IOS-XE running config of about `target` lines."""
    rnd = random.Random(seed)
    out = ["hostname bench-core-01", "service timestamps log datetime msec", "ip cef"]
    out += ["banner motd ^C", "Authorised access only.", "! all sessions are logged", "^C"]
    for n in range(64):
        out += [f"vrf definition V{n}", f" rd 65000:{n}", " address-family ipv4", " exit-address-family"]
    for n in range(430):
        out += [f"interface GigabitEthernet1/0/{n}", f" description access port {n}",
                " switchport mode access", f" switchport access vlan {rnd.randint(2, 500)}",
                " spanning-tree portfast", " no shutdown"]
    for n in range(1400):
        out += [f"interface TenGigabitEthernet2/0/{n // 100}.{n}", f" description sub {n}",
                f" encapsulation dot1Q {n + 2}", f" vrf forwarding V{n % 40}",
                f" ip address 10.{n // 250}.{n % 250}.1 255.255.255.252", " no shutdown"]
    for n in range(516):
        out += [f"interface Vlan{n + 2}", f" description svi {n}",
                f" ip address 172.{16 + n // 250}.{n % 250}.1 255.255.255.0",
                " ip helper-address 10.255.0.10", " no shutdown"]
    for n in range(310):
        out.append(f"ip access-list extended ACL-{n}")
        out += [f" {10 * (k + 1)} permit tcp 10.{n % 250}.{k}.0 0.0.0.255 any eq {rnd.choice([22, 80, 443])}"
                for k in range(rnd.randint(3, 12))]
        out.append(f" {1000} deny ip any any log")
    for n in range(2060):
        out.append(f"ip prefix-list PL-{n // 10} seq {(n % 10 + 1) * 5} permit 10.{n // 250}.{n % 250}.0/24")
    for n in range(930):
        out += [f"route-map RM-{n // 5} permit {(n % 5 + 1) * 10}", f" match ip address prefix-list PL-{n // 5}",
                f" set local-preference {100 + n % 50}"]
    out += ["router bgp 65000", " bgp router-id 10.0.0.1", " bgp log-neighbor-changes"]
    for n in range(464):
        out += [f" neighbor 10.200.{n // 250}.{n % 250} remote-as {65100 + n}",
                f" neighbor 10.200.{n // 250}.{n % 250} description peer {n}"]
    for af in range(63):
        out.append(f" address-family ipv4 vrf V{af}" if af else " address-family ipv4")
        for n in range(af * 7, af * 7 + 7):
            peer = f"10.200.{n // 250}.{n % 250}"
            out += [f"  neighbor {peer} activate", f"  neighbor {peer} route-map RM-{n % 186} in"]
        out.append(" exit-address-family")
    static = 0
    while len(out) < target - 4:
        out.append(f"ip route 192.{static // 65000 % 250}.{static // 250 % 250}.{static % 250} "
                   f"255.255.255.255 10.0.0.{static % 250 + 1}")
        static += 1
    out += ["line vty 0 4", " transport input ssh", " exec-timeout 5 0", "end"]
    return "\n".join(out) + "\n"


def mutate(text: str, seed: int = 7, rate: float = 0.02) -> str:
    """A copy with about `rate` of the lines changed, dropped or added."""
    rnd = random.Random(seed)
    out = []
    for line in text.split("\n"):
        roll = rnd.random()
        header = not line.startswith((" ", "ip route", "ip prefix-list"))
        if roll >= rate or not line.strip() or header:
            out.append(line)
        elif "description" in line:
            out.append(line + " (changed)")
        elif roll < rate / 3:
            continue
        elif line.strip()[:1].isdigit():  # an ACL entry: change it in place
            out.append(line.replace("permit", "deny") if "permit" in line else line + " log")
        elif line.startswith(" "):
            out += [line, line[: len(line) - len(line.lstrip())] + f"load-interval {len(out)}"]
        elif "permit" in line:
            out.append(line.replace("permit", "deny"))
        else:
            out += [line, line.replace("10.0.0.", "10.9.9.") + " 250"]
    return "\n".join(out)


def median(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
        del result  # freeing the trees is not part of the work measured
    return statistics.median(times)


def bench_unet(running: str, intended: str, repeat: int) -> dict[str, float]:
    from unet.config import diff, parse, remediate

    def text_to_remediation() -> object:
        result = diff(parse(running), parse(intended))
        return result, remediate(result)

    result = {
        "parse": median(lambda: parse(running), repeat),
        "remediation": median(text_to_remediation, repeat),
    }
    tracemalloc.start()
    text_to_remediation()
    result["peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    result["lines"] = len(remediate(diff(parse(running), parse(intended))).children)
    return result


HIER_SNIPPET = """
import gc, json, statistics, sys, time, tracemalloc
from hier_config import Platform, WorkflowRemediation, get_hconfig
running, intended, repeat = open(sys.argv[1]).read(), open(sys.argv[2]).read(), int(sys.argv[3])
def median(func):
    times = []
    for _ in range(repeat):
        gc.collect(); start = time.perf_counter(); result = func()
        times.append(time.perf_counter() - start); del result
    return statistics.median(times)
def remediation():
    r = get_hconfig(Platform.CISCO_IOS, running); i = get_hconfig(Platform.CISCO_IOS, intended)
    return WorkflowRemediation(r, i).remediation_config
out = {"parse": median(lambda: get_hconfig(Platform.CISCO_IOS, running)),
       "remediation": median(remediation)}
tracemalloc.start(); remediation(); out["peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
print(json.dumps(out))
"""


def bench_hier(running: str, intended: str, repeat: int) -> dict[str, float] | None:
    python = _hier_python()
    if python is None:
        print("hier_config: not importable here and no benchmarks/.venv-hier "
              "(run with --setup-hier to create it); skipped", file=sys.stderr)
        return None
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp, "running.cfg"), Path(tmp, "intended.cfg")]
        for path, text in zip(paths, (running, intended), strict=True):
            path.write_text(text)
        done = subprocess.run([python, "-c", HIER_SNIPPET, *map(str, paths), str(repeat)],
                              capture_output=True, text=True, check=False)
    if done.returncode:
        print(f"hier_config failed:\n{done.stderr}", file=sys.stderr)
        return None
    result: dict[str, float] = json.loads(done.stdout)
    return result


def _hier_python() -> str | None:
    try:
        import hier_config  # noqa: F401
    except ImportError:
        pass
    else:
        return sys.executable
    for candidate in (HIER_VENV / "bin" / "python", HIER_VENV / "Scripts" / "python.exe"):
        if candidate.exists():
            return str(candidate)
    return None


def setup_hier() -> None:
    subprocess.run([sys.executable, "-m", "venv", str(HIER_VENV)], check=True)
    pip = HIER_VENV / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", "hier-config>=3,<4"], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--setup-hier", action="store_true", help="create benchmarks/.venv-hier")
    args = parser.parse_args()
    if args.setup_hier and not HIER_VENV.exists():
        setup_hier()
    repeat = max(args.repeat, 5)
    running = generate(target=args.lines)
    intended = mutate(running)
    changed = sum(1 for a in set(intended.split("\n")) - set(running.split("\n")))
    print(f"config: {running.count(chr(10))} lines; intended: {changed} new/changed lines; "
          f"median of {repeat} runs; Python {sys.version.split()[0]}")
    unet = bench_unet(running, intended, repeat)
    hier = bench_hier(running, intended, repeat)
    _report(unet, hier)
    ok = unet["parse"] <= BUDGET_PARSE and unet["remediation"] <= BUDGET_DIFF
    if hier:
        ok = ok and hier["remediation"] / unet["remediation"] >= BUDGET_RATIO
    print("budget: " + ("met" if ok else "MISSED"))
    return 0 if ok else 1


def _report(unet: dict[str, float], hier: dict[str, float] | None) -> None:
    rows = [("parse 50k lines", "parse", BUDGET_PARSE),
            ("text -> diff + remediation", "remediation", BUDGET_DIFF)]
    print(f"{'':28} {'unet':>9} {'hier_config':>12} {'ratio':>7} {'budget':>8}")
    for label, key, budget in rows:
        theirs = f"{hier[key] * 1000:9.1f} ms" if hier else "      n/a"
        ratio = f"{hier[key] / unet[key]:6.1f}x" if hier else "    n/a"
        print(f"{label:28} {unet[key] * 1000:6.1f} ms {theirs:>12} {ratio:>7} {budget * 1000:5.0f} ms")
    theirs = f"{hier['peak_mib']:.1f} MiB" if hier else "n/a"
    print(f"{'peak memory (tracemalloc)':28} {unet['peak_mib']:5.1f} MiB {theirs:>12}")
    print(f"unet remediation: {int(unet['lines'])} top-level commands")


if __name__ == "__main__":
    sys.exit(main())
