"""`carto-gateway`: one subcommand per module in this package.

Each command module exposes `register(subparsers)` which adds its parser and sets
`func=<callable(args) -> int>`. Exit codes: 0 success, 1 a deploy/run failure, 2 bad input
(invalid catalog, configuration or arguments).
"""

from __future__ import annotations

import argparse
import importlib
import sys

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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verbose:
        import logging

        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
