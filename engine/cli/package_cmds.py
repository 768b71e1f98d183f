"""`package`: write the customer distribution zip (dist/carto-at-redshift-<version>.zip)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.catalog.loader import CatalogError, find_repo_root, load_catalog
from engine.catalog.sqlkind import with_dependencies
from engine.cli.catalog_cmds import add_selection_args, report_catalog_error, split_list
from engine.ops.package import PackageError, build_package, package_name, select_for_package


def cmd_package(args: argparse.Namespace) -> int:
    if args.version is not None:
        try:
            package_name(args.version)  # checked before anything is built
        except PackageError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    try:
        catalog = load_catalog(find_repo_root())
        selected = catalog.select(split_list(args.modules), split_list(args.functions))
    except CatalogError as exc:
        return report_catalog_error(exc)
    # The functions a selected one's SQL calls (depends_on) ship too, or its SQL cannot load.
    needed = with_dependencies(catalog.functions, selected)
    added = sorted(f.id for f in needed if f not in selected)
    if added:
        print(f"adding {len(added)} function(s) the selection's SQL calls: {', '.join(added)}")
    selected = needed
    functions = select_for_package(selected, args.production)
    left_out = [f.id for f in selected if f not in functions]
    if left_out:
        print(f"--production: leaving out {len(left_out)} development function(s)")
    out_dir = Path(args.out) if args.out else catalog.root / "dist"
    try:
        report = build_package(functions, catalog.root, out_dir, version=args.version)
    except PackageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if not functions else 1
    print(
        f"wrote {report.path} ({len(report.functions)} function(s), {report.files} files, "
        f"sha256 {report.sha256})"
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("package", help="write the customer distribution zip into dist/")
    add_selection_args(p)
    p.add_argument(
        "--production", action="store_true", help="leave out functions with status development"
    )
    p.add_argument("--version", help="package version (default: the project's version)")
    p.add_argument("--out", help="output folder (default: dist/ at the project root)")
    p.set_defaults(func=cmd_package)
