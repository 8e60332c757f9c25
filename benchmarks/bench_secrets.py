"""Benchmark secret masking: config text through the dialect table, and response bodies
through the known-values mask, as ratios to work measured in the same run.

    .venv/bin/python benchmarks/bench_secrets.py            # 50,000-line IOS config
    .venv/bin/python benchmarks/bench_secrets.py --lines 5000 --repeat 3

- `mask_secrets` on the 50,000-line IOS config of bench_config.py (plus secret lines),
  and on the same text with an unknown dialect (every dialect's rows), against
  `unet.config.parse` of the same text: masking a running config costs less than
  reading it.
- `SecretValues.mask` with 2,000 known values on a 200 KB JSON body, against
  `json.loads` of the same body (the cheapest thing a server does with a body).
- Hostile lines (100,000 characters built to make a pattern backtrack): each is
  masked in linear time, so the time per character is the same for 10,000 and
  100,000 characters.

- With `--fleet DIR` (a repository from `gen_fleet.py N --configs --templates`): the time
  `unet serve` spends finding every secret value of a state, cold and on a refresh
  (tokens reused by blob id), as a ratio to building the rest of the state.

Figures are medians of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_config import generate  # noqa: E402

from unet.config import SecretValues, mask_secrets, parse  # noqa: E402

SECRET_LINES = [
    "username u{n} privilege 15 secret 9 $9$hash{n}", "snmp-server community C{n} RO",
    "tacacs server T{n}", " key 7 0822455D0A16{n}", "ntp authentication-key {n} md5 K{n} 7",
]
HOSTILE: list[Callable[[int], str]] = [  # a line of about n characters
    lambda n: "username a" + " password" * (n // 9) + "  ",
    lambda n: "snmp-server host X" + " traps" * (n // 6),
    lambda n: "a." * (n // 2) + "://",
    lambda n: "x " + '"$1$' * (n // 4),
    lambda n: "set " + "a " * (n // 2) + "secret",
    lambda n: "snmp-server user U" + " priv" * (n // 5),
    lambda n: "tacacs server T\n" + " key 7 X\n" * (n // 8),
]


def median(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--fleet", type=Path, help="also measure unet serve on this repository")
    args = parser.parse_args()
    if args.fleet is not None:
        serve_state(args.fleet, args.repeat)

    text = generate(target=args.lines)
    text += "\n".join(line.format(n=n) for n in range(200) for line in SECRET_LINES) + "\n"
    lines = text.count("\n")
    mask_secrets("x", "ios"), mask_secrets("x")  # compile the tables once
    parse_s = median(lambda: parse(text, "ios"), args.repeat)
    ios_s = median(lambda: mask_secrets(text, "ios"), args.repeat)
    any_s = median(lambda: mask_secrets(text), args.repeat)
    print(f"{lines} lines: parse {parse_s * 1e3:.1f} ms; mask (ios) {ios_s * 1e3:.1f} ms = "
          f"{ios_s / parse_s:.2f}x parse; mask (any dialect) {any_s * 1e3:.1f} ms = "
          f"{any_s / parse_s:.2f}x parse")

    values = [f"secret-{n:05d}-{'x' * (n % 23)}" for n in range(2000)]
    known = SecretValues(values)
    body = json.dumps([{"name": f"r{n}", "vars": {"note": f"quotes secret-{n:05d}-",
                                                  "mtu": 9000, "text": "lorem ipsum " * 12}}
                       for n in range(1000)])
    loads_s = median(lambda: json.loads(body), args.repeat)
    mask_s = median(lambda: known.mask(body), args.repeat)
    print(f"{len(body) // 1000} KB body, {len(values)} known values: json.loads "
          f"{loads_s * 1e3:.1f} ms; mask {mask_s * 1e3:.1f} ms = {mask_s / loads_s:.2f}x loads")

    for make in HOSTILE:
        line, short = make(100_000), make(10_000)
        long_s = median(lambda line=line: mask_secrets(line), 3)
        short_s = median(lambda short=short: mask_secrets(short), 3)
        per_char = (long_s / len(line)) / (short_s / len(short))
        print(f"hostile {line[:24]!r}…: {long_s * 1e3:.1f} ms for {len(line)} chars; "
              f"per character {per_char:.2f}x a 10,000-character one")


def serve_state(root: Path, repeat: int) -> None:
    import os
    import tempfile

    os.environ.setdefault("UNET_CACHE_DIR", tempfile.mkdtemp(prefix="unet-bench-"))
    from unet.serve import create_app

    app = create_app(root, refresh=0)
    app.served.refresh()  # warms the index
    app.served._state = None
    started = time.perf_counter()
    app.served.refresh()
    build = time.perf_counter() - started
    state = app.served.current()

    def cold() -> None:
        state.tokens.clear()
        state.previous_tokens.clear()
        state.known_secrets()

    def refresh() -> None:
        state.previous_tokens, state.tokens = dict(state.tokens), {}
        state.known_secrets()

    cold_s, warm_s = median(cold, repeat), median(refresh, repeat)
    rest = build - cold_s
    print(f"serve, {len(state.inventory.devices)} devices: state built in {build:.2f} s; finding "
          f"its secrets {cold_s:.2f} s cold = {cold_s / rest:.2f}x the rest of the build, "
          f"{warm_s:.2f} s on a refresh = {warm_s / rest:.2f}x; "
          f"{len(state.mask.secrets.values) if state.mask else 0} values")
    app.close()


if __name__ == "__main__":
    main()
