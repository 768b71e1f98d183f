"""`carto-gateway`: one subcommand per module in this package.

Each command module exposes `register(subparsers)` which adds its parser and sets
`func=<callable(args) -> int>`. Exit codes: 0 success, 1 a deploy/run failure, 2 bad input
(invalid catalog, configuration or arguments).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from engine.cli.output import parse_jobs, quiet_broken_pipe

# Order here is the order `--help` lists them.
COMMAND_MODULES = [
    "engine.cli.catalog_cmds",  # list, validate
    "engine.cli.build_cmds",  # build, deploy, invoke, status, remove
    "engine.cli.sql_cmds",  # sql
    "engine.cli.serve_cmds",  # serve, query (the local target over HTTP and SQL)
    "engine.cli.check_cmds",  # check
    "engine.cli.package_cmds",  # package
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="carto-gateway",
        description="Build, test and deploy Analytics Toolbox functions as Redshift Lambda UDFs.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for command in sub.choices.values():
        _common_args(command)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("carto-at-gateway")
    except PackageNotFoundError:  # the distribution package runs the engine uninstalled
        return "unknown"


def _common_args(command: argparse.ArgumentParser) -> None:
    """What every subcommand accepts the same way: `-v` after it too (SUPPRESS keeps a `-v`
    given before the subcommand), and --jobs checked as CARTO_JOBS is."""
    command.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="debug logging"
    )
    for action in command._actions:
        if action.dest == "jobs":
            action.type = parse_jobs


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verbose:
        import logging

        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at interpreter exit
        return code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `carto-gateway status | head`: the reader has what it wanted
        return quiet_broken_pipe()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
