"""`check`: pre-flight checks of credentials, permissions, roles, Redshift and names."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.catalog.loader import CatalogError, find_repo_root, load_catalog
from engine.cli.output import err, print_json
from engine.config import ConfigError, resolve_settings
from engine.ops.checks import FAIL, PASS, SKIP, Result, run_checks


def _catalog_names(root: Path) -> tuple[dict[str, str], Result | None]:
    """{lambda name: function id} of the whole catalog; a FAIL result when it is invalid."""
    try:
        catalog = load_catalog(root)
    except CatalogError as exc:
        first = exc.problems[0] if exc.problems else exc
        return {}, Result(
            "Catalog",
            FAIL,
            f"{len(exc.problems)} problem(s), first: {first}",
            "run `carto-gateway validate` and fix what it lists",
        )
    return {f.lambda_name: f.id for f in catalog.functions}, None


def cmd_check(args: argparse.Namespace) -> int:
    try:
        root = find_repo_root()
    except CatalogError:
        root = Path.cwd()  # an installed package without a catalog still checks the rest
    names, catalog_problem = _catalog_names(root)
    flags = {
        "RS_LAMBDA_PREFIX": args.prefix or None,
        "PRODUCTION": "1" if args.production else None,
    }
    try:
        # Names are checked below as one result, not as an exception here.
        settings = resolve_settings(flags, repo_root=root)
    except ConfigError as exc:
        results = [
            Result("Configuration", FAIL, line, "edit .env or the environment")
            for line in str(exc).splitlines()
        ]
    else:
        env_file = root / ".env"
        source = str(env_file) if env_file.is_file() else f"no .env in {root} (environment only)"
        # a line of the report; with --json stdout holds the document alone
        (err if args.json else print)(f"configuration: {source}, target {settings.target}")
        results = run_checks(settings, names)
    if catalog_problem is not None:
        results.insert(0, catalog_problem)
    counts = {s: sum(r.status == s for r in results) for s in (PASS, FAIL, SKIP)}
    if args.json:
        print_json(
            {
                "ok": not counts[FAIL],
                "results": [
                    {"check": r.name, "status": r.status, "detail": r.detail, "fix": r.fix}
                    for r in results
                ],
                "counts": {"passed": counts[PASS], "failed": counts[FAIL], "skipped": counts[SKIP]},
            }
        )
        return 1 if counts[FAIL] else 0
    for result in results:
        for line in result.lines():
            print(line)
    print(f"{counts[PASS]} passed, {counts[FAIL]} failed, {counts[SKIP]} skipped")
    return 1 if counts[FAIL] else 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check", help="pre-flight checks: credentials, permissions, roles, Redshift, names"
    )
    p.add_argument("--prefix", help="Lambda name prefix; overrides RS_LAMBDA_PREFIX")
    p.add_argument("--production", action="store_true", help="check the schema carto")
    p.add_argument("--json", action="store_true", help="the results as JSON on stdout")
    p.set_defaults(func=cmd_check)
