"""How long hostile input takes to be refused, through the real CLI.

Each case writes a small repository into a fresh temporary directory (git-initialised),
runs one `unet` command in a subprocess and records the exit code, the seconds taken and
whether it was refused: a non-zero exit below 3 with a diagnostic code in the output
("answered": exit 0, the input did not backtrack on this text and was matched normally).
Exit 3 (a bug), or a run past --limit seconds (a hang), is flagged. The slowest case is
printed last, with its time as a ratio to `unet validate` on the same repository.

    python benchmarks/bench_hostile.py [--limit 60] [--only SUBSTRING]

Standard library only (plus unet installed in the running interpreter).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

LINE = "a" * 3999 + "b"  # the 4,000-character line hanging patterns are matched against
HANGING = ["(a|a)*", "(a|aa)*$", "(a{1,100}){1,100}", "(?=(a+)+$).*", "(?!(x+)+y).*",
           ".*.*.*.*.*.*.*.*!x"]
BOMBS = ["a{10000000}", "(?:a{60000}){60000}", "a{1000000000}", "a{99999999999}"]
BASE = {
    "unet.yaml": "name: hostile-net\n",
    "locations/hq.yaml": "name: hq\ntype: site\n",
    "groups/ios.yaml": "name: ios\nplatform: ios\nvendor: cisco\n",
    "devices/r1.yaml": "name: r1\nlocation: hq\ngroups: [ios]\nrole: core\n"
                       "management_ip: 10.0.0.1\ntemplates: [t.j2]\n"
                       f"interfaces:\n  Gi1: {{description: '{LINE}'}}\n",
    "templates/t.j2": "hostname {{ name }}\n",
    "configs/r1.cfg": f"hostname r1\ninterface Gi1\n description {LINE}\n{LINE}\n",
}
_CODE = re.compile(r"\b[A-Z]\d{3}\b")


@dataclass
class Case:
    name: str
    args: list[str]
    files: dict[str, str] = field(default_factory=dict)


def _policy(condition: str) -> dict[str, str]:
    return {"policies/p.unet": f'RULE hostile SEVERITY error "x"\nWHEN {condition}\n'
                               "THEN ASSERT true\n"}


def _header(pattern: str) -> dict[str, str]:
    return {"templates/t.j2": f"{{# unet: match '{pattern}' #}}\nhostname {{{{ name }}}}\n"}


def _template(body: str) -> dict[str, str]:
    return {"templates/t.j2": "hostname {{ name }}\n" + body + "\n"}


DEEP = {
    "indent staircase x500": "".join(" " * i + f"l{i}\n" for i in range(500)),
    "junos braces x500": "".join(f"a{i} {{\n" for i in range(500)) + "x;\n" + "}\n" * 500,
    "2000 unclosed braces": "a {\n" * 2000,
}
TEMPLATES = {
    "center(10**9)": "{{ 'a'|center(10**9) }}",
    "ljust(10**9)": "{{ 'a'.ljust(10**9) }}",
    "rjust(10**9)": "{{ 'a'.rjust(10**9) }}",
    "'{:>1000000000}'.format": "{{ '{:>1000000000}'.format('a') }}",
    "'%1000000000s'|format": "{{ '%1000000000s'|format('a') }}",
    "indent(10**9)": "{{ 'a\\nb'|indent(10**9) }}",
    "replace": "{{ ('a' * 1000000)|replace('a', 'aaaaaaaaaaaaaaaaaaaa') }}",
    "join": "{% set s = 'a' * 2000000 %}{{ [s, s, s]|join(',') }}",
    "~ concatenation": "{% set ns = namespace(s='a') %}{% for i in range(40) %}"
                       "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "[[0]*5000000]*5000000": "{{ [[0]*5000000]*5000000 }}",
    "namespace integer squared": "{% set ns = namespace(n=3) %}{% for i in range(40) %}"
                                 "{% set ns.n = ns.n * ns.n %}{% endfor %}",
    "range(100000) nested": "{% for i in range(100000) %}{% for j in range(100000) %}"
                            "{% endfor %}{% endfor %}",
}


def cases() -> Iterator[Case]:
    for p in HANGING:
        yield Case(f"slice --match {p}", ["slice", "configs/r1.cfg", "-p", "ios", "--match", p])
        yield Case(f"running HAS {p}", ["check"], _policy(f'running HAS "{p}"'))
        yield Case(f"MATCHES /{p}/", ["check"],
                   _policy(f'node.interfaces["Gi1"].description MATCHES /{p}/'))
        yield Case(f"template header {p}", ["diff", "r1"], _header(p))
        yield Case(f"normalizer {p}", ["diff", "r1"],
                   {"unet.yaml": f"name: hostile-net\nnormalizers:\n  - pattern: '{p}'\n"})
    for p in BOMBS:
        yield Case(f"MATCHES /{p}/", ["check"], _policy(f'node.name MATCHES /{p}/'))
        yield Case(f"slice --match {p}", ["slice", "configs/r1.cfg", "-p", "ios", "--match", p])
        yield Case(f"template header {p}", ["diff", "r1"], _header(p))
    nested = "(" * 5000 + "a" + ")" * 5000
    yield Case("slice --match 5000 nested groups",
               ["slice", "configs/r1.cfg", "-p", "ios", "--match", nested])
    yield Case("template header 900 nested groups", ["diff", "r1"],
               _header("(" * 900 + "a" + ")" * 900))
    for name, text in DEEP.items():
        platform = "ios" if "indent" in name else "junos"
        files = {"configs/deep.cfg": text}
        yield Case(f"slice {name}", ["slice", "configs/deep.cfg", "-p", platform, "--match", "*"],
                   files)
        for extra in ([], ["--remediation"]):
            yield Case(f"diff {' '.join(extra)} {name}".replace("  ", " "),
                       ["diff", "configs/deep.cfg", "configs/r1.cfg", "-p", platform, *extra],
                       files)
    staircase = DEEP["indent staircase x500"]
    yield Case("diff r1 --remediation, running config x500 deep", ["diff", "r1", "--remediation"],
               {"configs/r1.cfg": staircase})
    yield Case("diff r1, a template rendering a config x500 deep", ["diff", "r1"],
               _template("{% for i in range(500) %}{{ ' ' * i }}l{{ i }}\n{% endfor %}"))
    for name, body in TEMPLATES.items():
        yield Case(f"render {name}", ["render", "r1"], _template(body))
    yield Case("config with CR-only line ends",
               ["slice", "configs/cr.cfg", "-p", "ios", "--match", "interface .*"],
               {"configs/cr.cfg": "hostname x\rinterface Gi1\r description y\r"})
    yield Case("900 KB literal echoed by a finding", ["check"],
               {"policies/p.unet": 'RULE big WHEN true THEN ASSERT node.name == "'
                                   + "x" * 900_000 + '"\n'})
    yield Case("100,000-digit number in a device", ["validate"],
               {"devices/r2.yaml": "name: r2\nlocation: hq\ngroups: [ios]\nmtu: "
                                   + "9" * 100_000 + "\n"})


def _repo(files: dict[str, str], where: Path) -> Path:
    root = where / "repo"
    for path, text in {**BASE, **files}.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, newline="")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    return root


def run(case: Case, limit: float) -> tuple[int | None, float, str]:
    with tempfile.TemporaryDirectory(prefix="unet-hostile-") as tmp:
        root = _repo(case.files, Path(tmp))
        env = {**os.environ, "UNET_CACHE_DIR": str(Path(tmp) / "cache"), "NO_COLOR": "1"}
        start = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, "-m", "unet", "--repo", str(root), *case.args],
                                  cwd=root, env=env, capture_output=True, text=True,
                                  timeout=limit)
        except subprocess.TimeoutExpired:
            return None, time.perf_counter() - start, ""
        return done.returncode, time.perf_counter() - start, done.stdout + done.stderr


SERVE = {  # query -> what it is
    "description__regex=(a%2B)%2B%24": "serve ?description__regex=(a+)+$",
    "interfaces__regex=(.%2B)%2Bzq": "serve ?interfaces__regex=(.+)+zq",
    "interfaces__regex=(a%7Caa)*%24": "serve ?interfaces__regex=(a|aa)*$ (time budget)",
    "description__regex=a%7B99999999999%7D": "serve ?description__regex=a{99999999999}",
}


def _get(port: int, target: str) -> tuple[int, float]:
    import http.client

    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", target)
        status = connection.getresponse().status
    finally:
        connection.close()
    return status, time.perf_counter() - start


def serve_rows(limit: float) -> Iterator[tuple[str, int | None, float, str]]:
    """Hostile filters against a running `unet serve`, then how long SIGTERM takes."""
    import signal
    import socket
    import threading

    with tempfile.TemporaryDirectory(prefix="unet-hostile-") as tmp:
        root = _repo({}, Path(tmp))
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        env = {**os.environ, "UNET_CACHE_DIR": str(Path(tmp) / "cache")}
        server = subprocess.Popen([sys.executable, "-m", "unet", "--repo", str(root), "serve",
                                   "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
        try:
            for _ in range(int(limit * 10)):
                try:
                    _get(port, "/healthz")
                    break
                except OSError:
                    time.sleep(0.1)
            for query, name in SERVE.items():
                status, seconds = _get(port, "/api/v1/devices?" + query)
                yield name, status, seconds, "refused" if status == 400 else f"HTTP {status}"
            busy = list(SERVE)[2]
            thread = threading.Thread(target=_get, args=(port, "/api/v1/devices?" + busy),
                                      daemon=True)
            thread.start()
            status, seconds = _get(port, "/healthz")
            yield "serve /healthz during a hostile request", status, seconds, f"HTTP {status}"
            start = time.perf_counter()
            server.send_signal(signal.SIGTERM)
            try:
                code: int | None = server.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                code = None
            yield ("serve SIGTERM", code, time.perf_counter() - start,
                   "stopped" if code is not None else "HANG")
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()


def _verdict(code: int | None, output: str) -> str:
    if code is None:
        return "HANG"
    if code == 3:
        return "BUG (exit 3)"
    codes = sorted(set(_CODE.findall(output)))
    cut = ", message cut" if "characters cut]" in output else ""
    if code == 0:  # a pattern that does not backtrack on this text is simply answered
        return ("answered, warned " + ",".join(codes[:3]) if codes else "answered") + cut
    return ("refused " + ",".join(codes[:3]) if codes else f"exit {code}") + cut


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=60.0, help="seconds before a hang")
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    options = parser.parse_args()
    if shutil.which("git") is None:
        sys.exit("git is needed")
    _, reference, _ = run(Case("reference", ["validate"]), options.limit)
    rows = []
    for case in cases():
        if options.only and options.only not in case.name:
            continue
        code, seconds, output = run(case, options.limit)
        rows.append((case.name, code, seconds, _verdict(code, output)))
        shown = case.name if len(case.name) <= 50 else case.name[:47] + "..."
        print(f"{shown:<50} {'-' if code is None else code:>4} {seconds:7.2f}s  "
              f"{_verdict(code, output)}", flush=True)
    if not options.only or "serve" in options.only:
        for row in serve_rows(options.limit):
            rows.append(row)
            print(f"{row[0][:50]:<50} {'-' if row[1] is None else row[1]:>4} {row[2]:7.2f}s  "
                  f"{row[3]}", flush=True)
    slowest = max(rows, key=lambda r: r[2])
    print(f"\nreference `unet validate`: {reference:.2f}s")
    print(f"slowest: {slowest[0][:60]}: {slowest[2]:.2f}s ({slowest[2] / reference:.1f}x "
          f"the reference), {slowest[3]}")
    bad = [r for r in rows if r[3].startswith(("HANG", "BUG"))]
    print(f"{len(rows)} cases, {len(bad)} hang or exit 3")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
