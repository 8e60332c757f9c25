"""`python -m tests.lab up|exec|down|list`: see the package docstring."""

from __future__ import annotations

import argparse
import json
import os
import sys

from tests.lab._lab import DEFAULT_NAME, LabError, _alive, down, labs, load, up


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.lab",
                                     description="A lab of FRR routers in network namespaces.")
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("up", help="start N routers and write their repository")
    start.add_argument("--devices", type=int, required=True, metavar="N")
    start.add_argument("--repo", required=True, metavar="DIR",
                       help="an empty or new directory for the network repository")
    start.add_argument("--name", default=DEFAULT_NAME)
    run = commands.add_parser("exec", help="run a command in the lab (or a router's) namespace")
    run.add_argument("--name", default=DEFAULT_NAME)
    run.add_argument("--device", metavar="ROUTER", help="run it in this router's namespace")
    run.add_argument("argv", nargs=argparse.REMAINDER, metavar="-- CMD...")
    stop = commands.add_parser("down", help="stop everything the lab started")
    stop.add_argument("--name", default=DEFAULT_NAME)
    stop.add_argument("--stale", action="store_true",
                      help="instead: remove every lab whose starting process has exited")
    commands.add_parser("list", help="the labs on this machine, one JSON line each")
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except LabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _up(args: argparse.Namespace) -> int:
    lab = up(args.devices, repo=args.repo, name=args.name)
    print(json.dumps(lab.describe()), flush=True)
    return 0


def _exec(args: argparse.Namespace) -> int:
    argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    if not argv:
        raise LabError("nothing to run: python -m tests.lab exec [--device R] -- CMD...")
    lab = load(args.name)
    os.execvpe("ip", lab.command(argv, device=args.device), {**os.environ, **lab.env()})


def _down(args: argparse.Namespace) -> int:
    if args.stale:
        for name in labs():
            lab = load(name)
            if lab.owner_pid and not _alive(lab.owner_pid):
                down(name)
                print(f"removed stale lab {name}", file=sys.stderr)
        return 0
    removed = down(args.name)
    print(f"lab {args.name} {'stopped' if removed else 'was not running'}", file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    for name in labs():
        print(json.dumps(load(name).describe()))
    return 0


COMMANDS = {"up": _up, "exec": _exec, "down": _down, "list": _list}

if __name__ == "__main__":
    sys.exit(main())
