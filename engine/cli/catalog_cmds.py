"""`list` and `validate`: read-only views of the catalog."""

from __future__ import annotations

import argparse
import json
import sys

from engine.catalog.loader import CatalogError, find_repo_root, load_catalog, validate_catalog


def add_selection_args(parser: argparse.ArgumentParser) -> None:
    """--modules/--functions, comma-separated, as every catalog-wide command takes them."""
    parser.add_argument("--modules", default="", help="comma-separated modules, e.g. quadbin")
    parser.add_argument("--functions", default="", help="comma-separated function names")


def split_list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def selected(args: argparse.Namespace):
    """(catalog, selected functions) or a CatalogError printed by the caller."""
    catalog = load_catalog()
    return catalog, catalog.select(split_list(args.modules), split_list(args.functions))


def report_catalog_error(exc: CatalogError) -> int:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    count = len(exc.problems)
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was changed", file=sys.stderr)
    return 2


def cmd_list(args: argparse.Namespace) -> int:
    try:
        _, functions = selected(args)
    except CatalogError as exc:
        return report_catalog_error(exc)
    if args.json:
        rows = [
            {
                "module": f.module,
                "name": f.name,
                "internal": f.is_internal,
                "status": f.status,
                "kind": f.kind,
                "lambda_name": f.lambda_name if f.has_lambda else None,
                "signature": f.public_signature,
                "external_signature": f.external_signature if f.has_lambda else None,
                "runtime": f.config.runtime if f.has_lambda else None,
                "architecture": f.config.architecture if f.has_lambda else None,
                "depends_on": list(f.depends_on),
            }
            for f in functions
        ]
        print(json.dumps(rows, indent=2))
        return 0
    module = None
    for f in functions:
        if f.module != module:
            module = f.module
            print(f"[{module}]")
        flags = " (internal)" if f.is_internal else ""
        flags += "" if f.has_lambda else " (SQL only)"
        status = "" if f.status == "production" else f" [{f.status}]"
        print(f"  {f.public_signature}{flags}{status}")
    print(f"{len(functions)} function{'s' if len(functions) != 1 else ''}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        root = find_repo_root()
    except CatalogError as exc:
        return report_catalog_error(exc)
    functions, problems = validate_catalog(root)
    if problems:
        return report_catalog_error(CatalogError(sorted(set(problems))))
    print(f"{len(functions)} functions valid")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="list the catalog's functions and their SQL signatures")
    add_selection_args(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("validate", help="validate every function.yaml and cases.yaml")
    p.set_defaults(func=cmd_validate)
