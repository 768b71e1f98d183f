"""`serve`, `query`: the functions deployed on the local target, over HTTP and through SQL.

    carto-gateway serve [--port 9001]          Lambda Invoke API (boto3, like sam local)
    carto-gateway serve --sql                  + redshift-local with their SQL loaded
    carto-gateway query "SELECT carto.QUADBIN_FROMLONGLAT(-3.7, 40.4, 10)"

Both serve what `carto-gateway deploy --target local` deployed under the prefix. `query` and
`serve --sql` start redshift-local (PostgreSQL + PostGIS + plpython3u standing in for
Redshift, see docs/redshift-local.md) with an empty database, load the SQL of those functions
into schema `carto` (`--schema` for another) and stop it again at the end: the database lives
as long as the command.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from engine.catalog.loader import CatalogError, find_repo_root, load_catalog
from engine.config import ConfigError, Settings, resolve_settings

DEFAULT_SCHEMA = "carto"


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _settings(args: argparse.Namespace, root: Path, *, sql: bool) -> Settings:
    flags: dict[str, Any] = {
        "CARTO_TARGET": "local",
        "RS_LAMBDA_PREFIX": getattr(args, "prefix", None) or None,
    }
    if sql:
        from engine.redshift.standin.tier import SQL_FLAGS

        flags.update(SQL_FLAGS)
        # schema = {RS_PREFIX}carto: `--schema` is spelt as the prefix before `carto`.
        schema = args.schema
        if not schema.endswith("carto"):
            raise ConfigError(f"--schema must end with 'carto' (got {schema!r})")
        flags["RS_PREFIX"] = schema[: -len("carto")]
        flags["PRODUCTION"] = "1" if schema == "carto" else "0"
    return resolve_settings(flags, repo_root=root)


def start_local_sql(settings: Settings, target: Any, *, out=print) -> Any:
    """redshift-local and the Invoke API, with the SQL of the functions deployed on `target`
    under the settings' prefix loaded into the settings' schema. The caller stops it."""
    from engine.catalog.sqlkind import with_sql_only
    from engine.deploy.sqlphase import run_sql_phase
    from engine.redshift.standin.tier import LocalSqlTier

    catalog = load_catalog(settings.repo_root)
    prefix = settings.lambda_prefix
    deployed = {d.function_id for d in target.read_state(prefix).values()}
    functions = [f for f in catalog.functions if f.id in deployed]
    if functions:  # and the SQL-only functions over them (no Lambda, so no state of their own)
        functions = with_sql_only(catalog.functions, functions)
    tier = LocalSqlTier.start(settings.repo_root, target, prefix, fresh=True)
    try:
        if not functions:
            out(
                f"nothing deployed on the local target under {prefix!r}: run"
                " `carto-gateway deploy --target local` first"
            )
        elif not run_sql_phase(functions, settings, target, prefix, out=out, open_session=tier):
            raise RuntimeError("loading the SQL into redshift-local failed (see above)")
    except BaseException:
        tier.stop()
        raise
    return tier


def load_sql_local(repo_root: Path, prefix: str, schema: str) -> int:
    """`deploy --sql local`: load the SQL of what is deployed on the local target under
    `prefix` into redshift-local (schema `schema`), report, stop. Exit code as deploy's."""
    from engine.redshift.standin import availability

    reason = availability()
    if reason is not None:
        _err(f"error: --sql local: {reason}")
        return 1
    args = argparse.Namespace(prefix=prefix, schema=schema)
    try:
        settings = _settings(args, repo_root, sql=True)
    except ConfigError as exc:
        _err(str(exc))
        return 2
    target = _local_target(settings)
    try:
        tier = start_local_sql(settings, target)
    except Exception as exc:
        _err(f"error: --sql local: {exc}")
        return 1
    finally:
        target.close()
    print(f"SQL loaded into {tier.description}, schema {schema}")
    tier.stop()
    print(
        "  its database lives as long as a command: run a query with"
        f' carto-gateway query "SELECT {schema}.<FUNCTION>(...)", or keep it running with'
        " carto-gateway serve --sql"
    )
    return 0


def run_sql_local(repo_root: Path, schema: str, functions: list[tuple[str, list[str]]]) -> int:
    """`sql --run-local`: run each function's statements on redshift-local (an empty
    database, nothing deployed: the external functions are created, not called) and say
    which load and which fail, with the engine's message and the statement."""
    from engine.redshift.session import SqlStatementError
    from engine.redshift.standin import RedshiftLocal, availability
    from engine.redshift.standin.tier import slots_base

    reason = availability()
    if reason is not None:
        _err(f"error: --run-local: {reason}")
        return 1
    failed = 0
    server = RedshiftLocal.in_free_slot(slots_base(repo_root), fresh=True)
    try:
        # Never called: loading only needs an endpoint to write into the external functions.
        with server.connect("http://127.0.0.1:9") as session:
            session.run_transaction([f"CREATE SCHEMA IF NOT EXISTS {schema}"])
            for function_id, statements in functions:
                try:
                    session.run_transaction(statements)
                except SqlStatementError as exc:
                    failed += 1
                    first = exc.statement.strip().splitlines()[0][:100]
                    _err(
                        f"-- FAILED {function_id}: statement {exc.index + 1} ({first}): "
                        f"{exc.message}"
                    )
    finally:
        server.stop()
    _err(
        f"-- redshift-local: {len(functions) - failed} of {len(functions)} function(s) load"
        f" in {schema}; run them with carto-gateway query after a local deploy"
    )
    return 1 if failed else 0


def _local_target(settings: Settings) -> Any:
    from engine.deploy.targets import get_target

    return get_target(settings)


def cmd_serve(args: argparse.Namespace) -> int:
    from engine.lambda_api import LambdaApiServer, local_invoker

    try:
        settings = _settings(args, find_repo_root(), sql=args.sql)
    except (CatalogError, ConfigError) as exc:
        _err(str(exc))
        return 2
    target = _local_target(settings)
    prefix = settings.lambda_prefix
    tier = None
    try:
        server = LambdaApiServer(local_invoker(target, prefix), host=args.host, port=args.port)
        server.start()
    except OSError as exc:
        _err(f"error: cannot listen on {args.host}:{args.port}: {exc}")
        return 1
    try:
        names = sorted(target.read_state(prefix))
        print(f"Lambda Invoke API on {server.url} for {len(names)} function(s) under {prefix!r}")
        print(
            f"  boto3.client('lambda', endpoint_url='{server.url}', region_name='us-east-1')"
            ".invoke(FunctionName=..., Payload=...)"
        )
        if args.sql:
            tier = start_local_sql(settings, target)
            info = tier.conninfo
            print(f"SQL: {tier.description}, schema {settings.schema}")
            print(f"  psql -h {info['host']} -p {info['port']} -U {info['user']} {info['dbname']}")
        print("Ctrl-C stops it.", flush=True)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    except Exception as exc:
        _err(f"error: {exc}")
        return 1
    finally:
        server.stop()
        if tier is not None:
            tier.stop()
        target.close()
    return 0


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def cmd_query(args: argparse.Namespace) -> int:
    from engine.redshift.session import SqlStatementError

    try:
        settings = _settings(args, find_repo_root(), sql=True)
    except (CatalogError, ConfigError) as exc:
        _err(str(exc))
        return 2
    from engine.redshift.standin import availability

    reason = availability()
    if reason is not None:
        _err(f"error: {reason}")
        return 1
    target = _local_target(settings)
    lines: list[str] = []
    try:
        tier = start_local_sql(settings, target, out=lines.append)
    except Exception as exc:
        _err("\n".join(lines))
        _err(f"error: {exc}")
        target.close()
        return 1
    if args.verbose_load:
        print("\n".join(lines))
    try:
        with tier() as session:
            cursor = session.connection.cursor()
            status = 0
            try:
                cursor.execute(session.translate(args.sql))
            except Exception as exc:
                from engine.redshift.standin.session import server_message

                error = SqlStatementError(0, args.sql, server_message(exc))
                _err(f"error: {error.message}")
                status = 1
            else:
                if cursor.description:
                    print("\t".join(c.name for c in cursor.description))
                    for row in cursor.fetchall():
                        print("\t".join(_cell(v) for v in row))
                else:
                    print(cursor.statusmessage or "OK")
    finally:
        tier.stop()
        target.close()
    return status


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="serve the locally deployed functions through the Lambda Invoke API"
    )
    p.add_argument("--port", type=int, default=9001, help="TCP port (default 9001; 0: any)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    p.add_argument("--prefix", help="Lambda name prefix; overrides RS_LAMBDA_PREFIX")
    p.add_argument(
        "--sql", action="store_true", help="also start redshift-local with their SQL loaded"
    )
    p.add_argument("--schema", default=DEFAULT_SCHEMA, help="schema of the SQL (default carto)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "query", help="run one SQL statement on redshift-local over the local deployment"
    )
    p.add_argument("sql", metavar="SQL", help='e.g. "SELECT carto.QUADBIN_FROMLONGLAT(0, 0, 4)"')
    p.add_argument("--prefix", help="Lambda name prefix; overrides RS_LAMBDA_PREFIX")
    p.add_argument("--schema", default=DEFAULT_SCHEMA, help="schema of the SQL (default carto)")
    p.add_argument("--verbose-load", action="store_true", help="print how the SQL was loaded first")
    p.set_defaults(func=cmd_query)
