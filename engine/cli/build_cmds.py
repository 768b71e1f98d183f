"""`build`, `deploy`, `invoke`, `status`, `remove`: artifacts and the functions on a target."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from engine.catalog.loader import CatalogError, find_repo_root, load_catalog
from engine.cli.catalog_cmds import add_selection_args, report_catalog_error, split_list
from engine.cli.output import DRIFT_EXIT, human_out, print_json, report_json
from engine.config import ConfigError, Settings, resolve_settings


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _add_target_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--target", choices=["local", "aws"], help="overrides CARTO_TARGET")
    p.add_argument("--prefix", help="Lambda name prefix; overrides RS_LAMBDA_PREFIX")
    p.add_argument(
        "--production", action="store_true", default=None, help="schema carto (PRODUCTION=1)"
    )


def _add_aws_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--s3-bucket", help="bucket for zips over 50 MB; overrides CARTO_S3_BUCKET")


def _settings(args: argparse.Namespace, root: Path, lambda_names=()) -> Settings:
    flags = {
        "CARTO_TARGET": getattr(args, "target", None),
        "RS_LAMBDA_PREFIX": getattr(args, "prefix", None) or None,
        "PRODUCTION": "1" if getattr(args, "production", None) else None,
        "CARTO_S3_BUCKET": getattr(args, "s3_bucket", None) or None,
    }
    return resolve_settings(flags, repo_root=root, lambda_names=lambda_names)


def _target_failed(exc: Exception) -> int:
    """Configuration problems found when the target starts exit 2; the rest (credentials,
    network, permissions) exit 1. Either way one readable line, no traceback."""
    if isinstance(exc, ConfigError):
        return _bad_input(exc)
    _err(f"error: {exc}")
    return 1


def _load(args: argparse.Namespace, *, select: bool = True):
    """(catalog, selected functions, settings); raises CatalogError or ConfigError."""
    catalog = load_catalog(find_repo_root())
    functions = list(catalog.functions)
    if select:
        functions = catalog.select(split_list(args.modules), split_list(args.functions))
    # lambda name -> function id, so a too-long name's message points at its function.yaml
    names = {f.lambda_name: f.id for f in catalog.functions}
    return catalog, functions, _settings(args, catalog.root, names)


def _prefix(args: argparse.Namespace, settings: Settings) -> str:
    return args.prefix if getattr(args, "prefix", None) is not None else settings.lambda_prefix


def _table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _bad_input(exc: Exception) -> int:
    if isinstance(exc, CatalogError):
        return report_catalog_error(exc)
    _err(str(exc))
    return 2


# -- build -----------------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    from engine.build.builder import build_all, format_size, runtime_override

    try:
        catalog, functions, settings = _load(args)
    except (CatalogError, ConfigError) as exc:
        return _bad_input(exc)
    report = build_all(
        functions,
        catalog.shared_root,
        root=catalog.root,
        runtime=runtime_override(settings.values),
        jobs=args.jobs,
        force=args.force,
    )
    rows = [("function", "size", "unzipped", "digest", "deps cache")]
    for o in report.outcomes:
        if o.artifact is None:
            rows.append((o.function.id, "-", "-", "FAILED", "-"))
            continue
        cache = ("hit" if o.artifact.cache_hit else "miss") if o.has_requirements else "-"
        rows.append(
            (
                o.function.id,
                format_size(o.artifact.size),
                format_size(o.artifact.unzipped_size),
                o.artifact.digest[:12],
                cache,
            )
        )
    _table(rows)
    for o in report.outcomes:
        for warning in o.warnings:
            _err(f"warning: {warning}")
    for o in report.failures:
        _err(f"error: {o.error}")
    built = len(report.outcomes) - len(report.failures)
    print(f"{built} built, {len(report.failures)} failed; artifacts in .carto/build/")
    return 0 if report.ok else 1


# -- deploy / remove -------------------------------------------------------------------------


def cmd_deploy(args: argparse.Namespace) -> int:
    from engine.deploy.api import deploy

    try:
        catalog, functions, settings = _load(args)
    except (CatalogError, ConfigError) as exc:
        return _bad_input(exc)
    if args.prune and (args.modules or args.functions):
        _err("--prune deletes everything not selected; use it without --modules/--functions")
        return 2
    if args.sql == "local" and settings.target != "local":
        _err("--sql local loads what the local target runs; use it with --target local")
        return 2
    if args.diff or args.diff_base:
        if args.prune:
            _err("--prune deletes everything not selected; use it without --diff")
            return 2
        from engine.build.gitdiff import changed_functions

        try:
            changed = {f.id for f in changed_functions(catalog, args.diff_base)}
        except ConfigError as exc:
            return _bad_input(exc)
        functions = [f for f in functions if f.id in changed]
        against = args.diff_base or "HEAD"
        human_out(json=args.json)(f"--diff: {len(functions)} function(s) changed against {against}")
        if not functions:
            if args.json:
                print_json({"ok": True, "dry_run": args.dry_run, "plan": None, "outcomes": []})
            return 0
    from engine.catalog.sqlkind import with_dependencies
    from engine.redshift import SettingsIncomplete, SqlPlanError

    # The functions a selected one's SQL calls (depends_on) are deployed with it, and first.
    functions = with_dependencies(catalog.functions, functions)

    try:
        report = deploy(
            functions,
            settings,
            prefix=_prefix(args, settings),
            dry_run=args.dry_run,
            prune=args.prune,
            jobs=args.jobs or settings.jobs,
            root=catalog.root,
            sql=True,
            catalog_ids=[f.id for f in catalog.functions],
            out=human_out(json=args.json),  # with --json the words go to stderr
        )
    except (SqlPlanError, SettingsIncomplete) as exc:
        return _bad_input(exc)
    except Exception as exc:  # the target could not start or be read: nothing was changed
        return _target_failed(exc)
    if args.json:
        print_json(report_json(report))
    if args.sql == "local" and report.ok and not args.dry_run:  # also through redshift-local
        from engine.cli.serve_cmds import load_sql_local

        return load_sql_local(catalog.root, _prefix(args, settings), settings.schema)
    return 0 if report.ok else 1


def cmd_remove(args: argparse.Namespace) -> int:
    from engine.deploy.api import remove

    try:
        _, functions, settings = _load(args)
    except (CatalogError, ConfigError) as exc:
        return _bad_input(exc)
    selection = functions if (args.modules or args.functions or args.prune) else None
    if args.prune and (args.modules or args.functions):
        _err("--prune removes what the catalog no longer has; use it without a selection")
        return 2
    from engine.cli.confirm import can_ask, confirm, preview_out
    from engine.redshift import SettingsIncomplete

    def run(dry_run: bool, out) -> int:
        try:
            report = remove(
                selection,
                settings,
                prefix=_prefix(args, settings),
                prune=args.prune,
                dry_run=dry_run,
                jobs=args.jobs or settings.jobs,
                out=out,
                sql=True,  # first: the external functions must not outlive the Lambdas they call
            )
        except SettingsIncomplete as exc:
            return _bad_input(exc)
        except Exception as exc:  # the target could not start or be read: nothing was changed
            return _target_failed(exc)
        return 0 if report.ok else 1

    if args.dry_run or args.yes:
        return run(args.dry_run, human_out())
    if not can_ask():
        _err(
            "remove deletes deployed functions and their SQL objects: pass --yes to confirm "
            "(there is no terminal to ask on), or --dry-run to see what it would delete"
        )
        return 2
    code = run(True, preview_out())  # the plan, read-only, then the question
    if code != 0:
        return code
    if not confirm("Remove what is listed above?"):
        _err("remove cancelled: nothing was changed")
        return 1
    return run(False, human_out())


# -- invoke / status -------------------------------------------------------------------------


def _decode(payload: Any) -> Any:
    """The response object from a raw payload (which Lambda may have JSON-encoded twice)."""
    body = payload
    for _ in range(2):
        if isinstance(body, (bytes, bytearray)):
            body = body.decode("utf-8")
        if isinstance(body, str):
            try:
                body = json.loads(body)
            except ValueError:
                return body
    return body


_LAMBDA_NAME_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _read_event(args: argparse.Namespace, catalog, settings: Settings) -> tuple[str, dict]:
    """(deployed name, event) from NAME and --args / --event."""
    from engine.naming import lambda_function_name

    prefix = _prefix(args, settings)
    function = None
    if catalog is not None:
        try:
            function = catalog.get(args.name)
        except CatalogError:
            function = None
    deployed_name = lambda_function_name(prefix, function) if function else args.name
    if not _LAMBDA_NAME_RE.fullmatch(deployed_name):  # never a path: `..` must not climb out
        raise ValueError(
            f"{args.name!r} is neither a catalog function nor a Lambda function name "
            "(letters, digits, - and _, at most 64 characters)"
        )
    if args.event is not None:
        text = sys.stdin.read() if args.event == "-" else Path(args.event).read_text()
        event = json.loads(text)
        if not isinstance(event, dict):
            raise ValueError("the event must be a JSON object (a Redshift request)")
        return deployed_name, event
    if function is None:
        raise ValueError(
            f"{args.name!r} is not a catalog function, so --args cannot build its event; "
            "pass the whole request with --event FILE (or - for stdin)"
        )
    rows = json.loads(args.args)
    if not isinstance(rows, list) or not all(r is None or isinstance(r, list) for r in rows):
        raise ValueError("--args takes a JSON list of rows, e.g. [[1, 2], [3, 4], null]")
    from engine.invoke import make_event

    return deployed_name, make_event(function, rows, schema=settings.schema)


def cmd_invoke(args: argparse.Namespace) -> int:
    from engine.deploy.targets import get_target

    try:
        root = find_repo_root()
        try:
            catalog = load_catalog(root)
        except CatalogError:
            catalog = None  # a deployed name still works with --event
        settings = _settings(args, root)
        deployed_name, event = _read_event(args, catalog, settings)
    except (CatalogError, ConfigError, ValueError, OSError) as exc:
        return _bad_input(exc)
    try:
        target = get_target(settings)
        payload = target.invoke(deployed_name, event)
    except ConfigError as exc:
        return _bad_input(exc)
    except Exception as exc:  # not deployed, no interpreter, no credentials: all reported
        _err(f"error: {exc}")
        return 1
    body = _decode(payload)
    print(json.dumps(body) if not isinstance(body, str) else body)
    from engine.invoke.redshift_check import contract_problem

    problem = contract_problem(event, payload)
    if problem:  # an echo (moto without Docker), a crash, a wrong result count: never exit 0
        _err(problem)
        return 1
    ok = isinstance(body, dict) and body.get("success") is not False and "errorMessage" not in body
    return 0 if ok else 1


def cmd_status(args: argparse.Namespace) -> int:
    from engine.deploy.api import CHANGED, MISSING, ORPHANED, status

    try:
        catalog, selection, settings = _load(args)
    except (CatalogError, ConfigError) as exc:
        return _bad_input(exc)
    prefix = _prefix(args, settings)
    _err(f"target: {settings.target} ({settings.target_reason}); prefix {prefix!r}")
    if getattr(args, "verbose", False):  # each setting and where it came from, secrets masked
        for line in settings.describe():
            _err(f"  {line}")
    try:
        rows = status(list(catalog.functions), settings, prefix=prefix, root=catalog.root)
    except Exception as exc:  # the target could not start or be read
        return _target_failed(exc)
    if args.modules or args.functions:  # the whole catalog is planned (orphans); rows narrowed
        ids = {f.id for f in selection}
        rows = [r for r in rows if r.function_id in ids]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    drift = any(r.status in (CHANGED, MISSING, ORPHANED) for r in rows)
    code = DRIFT_EXIT if args.exit_code and drift else 0
    if args.json:
        print_json(
            {
                "target": settings.target,
                "prefix": prefix,
                "functions": [
                    {
                        "name": r.deployed_name,
                        "function": r.function_id,
                        "status": r.status,
                        "detail": r.detail,
                        "local_digest": r.local_digest,
                        "deployed_digest": r.deployed_digest,
                    }
                    for r in rows
                ],
                "counts": counts,
                "drift": drift,
            }
        )
        return code
    table = [("name", "function", "local", "deployed", "status")]
    for r in rows:
        state = f"{r.status} ({r.detail})" if r.detail else r.status
        table.append(
            (
                r.deployed_name,
                r.function_id or "-",
                (r.local_digest or "-")[:12],
                (r.deployed_digest or "-")[:12],
                state,
            )
        )
    _table(table)
    print(", ".join(f"{n} {k}" for k, n in counts.items()) or "nothing deployed, empty catalog")
    return code


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the Lambda zips into .carto/build/")
    add_selection_args(p)
    p.add_argument("--jobs", type=int, default=None, help="parallel builds (default 4)")
    p.add_argument("--force", action="store_true", help="rewrite zips even when unchanged")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("deploy", help="build, plan and deploy functions to the target")
    add_selection_args(p)
    _add_target_args(p)
    p.add_argument("--dry-run", action="store_true", help="print the plan; change nothing")
    p.add_argument("--prune", action="store_true", help="also delete managed orphans")
    p.add_argument(
        "--json", action="store_true", help="the plan and outcome as JSON on stdout (text: stderr)"
    )
    p.add_argument("--jobs", type=int, default=None, help="parallel deploy actions")
    p.add_argument(
        "--diff", action="store_true", help="only functions changed in git (tree vs HEAD)"
    )
    p.add_argument(
        "--diff-base", metavar="REF", help="--diff against the merge-base with REF instead"
    )
    _add_aws_args(p)
    p.add_argument(
        "--sql",
        choices=["local"],
        help="local: also load the SQL into redshift-local (target local; see query, serve)",
    )
    p.set_defaults(func=cmd_deploy)

    p = sub.add_parser("invoke", help="invoke a deployed function with Redshift rows or an event")
    p.add_argument("name", metavar="NAME", help="catalog function name or deployed name")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--args", help="JSON list of rows, e.g. '[[1, 2], null]'")
    what.add_argument("--event", help="file holding a Redshift event, or - for stdin")
    _add_target_args(p)
    p.set_defaults(func=cmd_invoke)

    p = sub.add_parser("status", help="what is deployed under the prefix, against the catalog")
    add_selection_args(p)
    _add_target_args(p)
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.add_argument(
        "--exit-code",
        action="store_true",
        help=f"exit {DRIFT_EXIT} when anything is changed, missing or orphaned (0: in sync)",
    )
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("remove", help="delete functions this tool deployed under the prefix")
    add_selection_args(p)
    _add_target_args(p)
    p.add_argument("--prune", action="store_true", help="only those no longer in the catalog")
    p.add_argument("--dry-run", action="store_true", help="print the plan; change nothing")
    p.add_argument("--jobs", type=int, default=None, help="parallel delete actions")
    p.add_argument(
        "-y", "--yes", action="store_true", help="do not ask first (required without a terminal)"
    )
    p.set_defaults(func=cmd_remove)
