"""`sql`: print each selected function's rendered SQL for review (connects to nothing)."""

from __future__ import annotations

import argparse
import os
import sys

from engine.catalog.loader import CatalogError, find_repo_root, load_catalog
from engine.catalog.sqlkind import sql_order
from engine.catalog.sqltext.render import TemplateError
from engine.catalog.sqltext.validate import SqlValueError
from engine.cli.catalog_cmds import add_selection_args, report_catalog_error, split_list
from engine.cli.output import print_json
from engine.config import ConfigError, resolve_settings
from engine.naming import lambda_function_name
from engine.redshift.generate import SqlContext, function_sql
from engine.redshift.settings import (
    PLACEHOLDER_INVOKE_ROLE,
    RedshiftSettings,
    RedshiftSettingsError,
    placeholder_lambda_arn,
)


def cmd_sql(args: argparse.Namespace) -> int:
    try:
        catalog = load_catalog(find_repo_root())
        functions = catalog.select(split_list(args.modules), split_list(args.functions))
        flags = {
            "RS_LAMBDA_PREFIX": args.prefix or None,
            "PRODUCTION": "1" if args.production else None,
        }
        settings = resolve_settings(
            flags,
            repo_root=catalog.root,
            lambda_names=[f.lambda_name for f in catalog.functions],
        )
        rs = RedshiftSettings.from_settings(settings)
        ctx = SqlContext(rs.schema, rs.invoke_role or PLACEHOLDER_INVOKE_ROLE)
    except CatalogError as exc:
        return report_catalog_error(exc)
    except (ConfigError, RedshiftSettingsError, SqlValueError) as exc:
        print(exc, file=sys.stderr)
        return 2

    errors: list[str] = []
    blocks: list[str] = []
    loaded: list[tuple[str, list[str]]] = []  # for --run-local
    documents: list[dict[str, object]] = []  # for --json
    # A function whose SQL calls others (depends_on) comes after them: the script runs in order.
    for function in sql_order(functions):
        try:
            arn = placeholder_lambda_arn(
                settings, lambda_function_name(settings.lambda_prefix, function)
            )
            fsql = function_sql(function, ctx, arn)
        except TemplateError as exc:
            errors.extend(str(p) for p in exc.problems)
            continue
        except ValueError as exc:
            errors.append(f"{function.id}: {exc}")
            continue
        source = (
            "generated from function.yaml"
            if fsql.source == "generated"
            else os.path.relpath(fsql.source, catalog.root)
        )
        header = f"-- {function.id}: {source}"
        loaded.append((function.id, list(fsql.statements)))
        documents.append(
            {"function": function.id, "source": source, "statements": list(fsql.statements)}
        )
        blocks.append(header + "\n" + "\n\n".join(s + ";" for s in fsql.statements))
    if args.json:
        print_json(
            {
                "schema": ctx.schema,
                "prefix": settings.lambda_prefix,
                "invoke_role": rs.invoke_role or None,  # None: the placeholder role is used
                "functions": documents,
                "errors": errors,
            }
        )
    elif blocks:
        notes = []
        if not rs.invoke_role:
            notes.append(f"-- IAM role: placeholder {PLACEHOLDER_INVOKE_ROLE}")
        notes.append(
            f"-- schema {ctx.schema}; Lambda ARNs as deployed under {settings.lambda_prefix!r}"
        )
        print("\n".join(notes) + "\n\n" + "\n\n".join(blocks))
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        return 2
    if args.run_local:
        from engine.cli.serve_cmds import run_sql_local

        sys.stdout.flush()
        return run_sql_local(catalog.root, ctx.schema, loaded)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sql", help="print the SQL each function deploys to Redshift")
    add_selection_args(p)
    p.add_argument("--prefix", help="Lambda name prefix; overrides RS_LAMBDA_PREFIX")
    p.add_argument("--production", action="store_true", help="schema carto, not {RS_PREFIX}carto")
    p.add_argument(
        "--json", action="store_true", help="the statements, with their function, as JSON"
    )
    p.add_argument(
        "--run-local",
        action="store_true",
        help="also run it on redshift-local and report what fails to load (see query)",
    )
    p.set_defaults(func=cmd_sql)
