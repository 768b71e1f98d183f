"""What the SQL tier (redshift-local) costs per case, against the other tiers, in one run.

For a few quadbin functions, built and deployed on a temporary local target, each case (one
row) is run three ways, as the test levels run it:

- in-process: the handler imported from the artifact's sources, called on a one-row event
  (the `[case]` items);
- local:      the deployed artifact on the local target's warm worker (the `[local]` items);
- SQL:        `SELECT schema.NAME(<literals>)` on the stand-in, the external function
  calling the same warm worker through the Lambda Invoke API (the `[redshift]` items).

Printed: milliseconds per case for each, the ratios SQL/local and SQL/in-process, the whole
SQL tier against the whole local tier, the bulk cost per row of one `SELECT` over many rows
(one Lambda call per row on the stand-in), and the stand-in's start-up and SQL load times.

    .venv/bin/python benchmarks/sql_tier.py [--cases N] [--bulk-rows N]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import quadbin

from engine.catalog.loader import validate_catalog
from engine.config import Settings
from engine.deploy.api import deploy
from engine.deploy.targets.local.target import LocalTarget
from engine.invoke.events import make_event
from engine.invoke.inprocess import InProcessInvoker
from engine.lambda_api import LambdaApiServer, local_invoker
from engine.redshift.generate import SqlContext, function_sql
from engine.redshift.settings import PLACEHOLDER_INVOKE_ROLE
from engine.redshift.standin import RedshiftLocal, availability

ROOT = Path(__file__).resolve().parents[1]
rng = random.Random(20261206)


def lonlat() -> tuple[float, float]:
    return round(rng.uniform(-179, 179), 6), round(rng.uniform(-80, 80), 6)


def cell(res: int = 12) -> int:
    return quadbin.point_to_cell(*lonlat(), res)


def square(size: float = 0.002) -> str:
    lon, lat = lonlat()
    x0, y0, x1, y1 = lon, lat, lon + size, lat + size
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def geojson_of(wkt: str) -> str:
    coords = wkt[len("POLYGON((") : -2].split(",")
    ring = ",".join("[" + ",".join(c.split()) + "]" for c in coords)
    return '{"type":"Polygon","coordinates":[[' + ring + "]]}"


# function id -> (event row for one case, SQL argument expressions for the same case)
CaseMaker = Callable[[], tuple[list[Any], list[str]]]


def _fromlonglat() -> tuple[list[Any], list[str]]:
    lon, lat = lonlat()
    return [lon, lat, 10], [repr(lon), repr(lat), "10"]


def _toquadkey() -> tuple[list[Any], list[str]]:
    c = cell()
    return [c], [str(c)]


def _kring() -> tuple[list[Any], list[str]]:
    c = cell()
    return [c, 1], [str(c), "1"]


def _center() -> tuple[list[Any], list[str]]:
    c = cell()
    return [c], [str(c)]


def _polyfill() -> tuple[list[Any], list[str]]:
    wkt = square()
    return [geojson_of(wkt), 15], [f"ST_GEOMFROMTEXT('{wkt}')", "15"]


CASES: dict[str, CaseMaker] = {
    "quadbin/quadbin_fromlonglat": _fromlonglat,
    "quadbin/quadbin_toquadkey": _toquadkey,
    "quadbin/quadbin_kring": _kring,
    "quadbin/quadbin_center": _center,
    "quadbin/quadbin_polyfill": _polyfill,
}


def per_case(run: Callable[[Any], Any], items: list[Any]) -> float:
    """Milliseconds per item, best of three passes (the machine is shared)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for item in items:
            run(item)
        best = min(best, (time.perf_counter() - start) / len(items))
    return best * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100, help="cases per function")
    parser.add_argument("--bulk-rows", type=int, default=1000, help="rows of the bulk SELECT")
    args = parser.parse_args()
    reason = availability()
    if reason:
        print(f"redshift-local unavailable: {reason}", file=sys.stderr)
        return 2

    functions_found, _ = validate_catalog(ROOT)
    functions = [f for f in functions_found if f.id in CASES]
    base = Path(tempfile.mkdtemp(prefix="carto-sql-tier-"))
    base.chmod(0o755)
    prefix = f"bn{uuid.uuid4().hex[:6]}-"
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    target = LocalTarget(base / "local")
    invokers = {f.id: InProcessInvoker(f, ROOT / "functions" / "_shared") for f in functions}
    try:
        report = deploy(
            functions, Settings(repo_root=ROOT, lambda_prefix=prefix), target=target, out=str
        )
        if not report.ok:
            print(f"deploy failed: {report.errors}", file=sys.stderr)
            return 1
        names = report.deployed_names

        t0 = time.perf_counter()
        server = RedshiftLocal(base / "rsl").start()
        cold = time.perf_counter() - t0
        server.stop()
        t0 = time.perf_counter()
        server.start()
        warm = time.perf_counter() - t0
        with server, LambdaApiServer(local_invoker(target, prefix)) as api:
            session = server.connect(api.url)
            ctx = SqlContext(schema, PLACEHOLDER_INVOKE_ROLE)
            statements = [f"CREATE SCHEMA {schema}"]
            for f in functions:
                arn = f"arn:aws:lambda:us-east-1:000000000000:function:{names[f.id]}"
                statements += function_sql(f, ctx, arn).statements
            t0 = time.perf_counter()
            session.run_transaction(statements)
            load = time.perf_counter() - t0

            print(
                f"stand-in start: {cold:.2f} s cold (initdb), {warm:.2f} s warm;"
                f" SQL of {len(functions)} functions loaded in {load * 1000:.0f} ms"
            )
            print(f"{args.cases} cases per function, one row each; ms per case (best of 3)\n")
            header = f"{'function':<28}{'in-process':>11}{'local':>9}{'SQL':>9}"
            print(header + f"{'SQL/local':>11}{'SQL/in-proc':>13}")
            totals = {"in": 0.0, "local": 0.0, "sql": 0.0}
            for f in sorted(functions, key=lambda f: f.id):
                cases = [CASES[f.id]() for _ in range(args.cases)]
                events = [make_event(f, [row]) for row, _ in cases]
                call = f"{schema}.{f.sql_name}"
                queries = [f"SELECT {call}({', '.join(sql)})" for _, sql in cases]
                inproc = per_case(invokers[f.id].invoke, events)
                local = per_case(lambda e, n=names[f.id]: target.invoke(n, e), events)
                sql = per_case(session.query, queries)
                totals["in"] += inproc * len(cases)
                totals["local"] += local * len(cases)
                totals["sql"] += sql * len(cases)
                print(
                    f"{f.id.split('/')[1]:<28}{inproc:>11.3f}{local:>9.3f}{sql:>9.3f}"
                    f"{sql / local:>11.2f}{sql / inproc:>13.1f}"
                )
            print(
                f"\nwhole tiers: in-process {totals['in'] / 1000:.2f} s, local"
                f" {totals['local'] / 1000:.2f} s, SQL {totals['sql'] / 1000:.2f} s"
                f" (SQL/local {totals['sql'] / totals['local']:.2f})"
            )

            # One SELECT over many rows: Redshift would batch them, the stand-in calls the
            # Lambda once per row; compared with one local event carrying all the rows.
            fn = next(f for f in functions if f.id == "quadbin/quadbin_fromlonglat")
            rows = [_fromlonglat()[0] for _ in range(args.bulk_rows)]
            values = ", ".join(f"({lon}::float8, {lat}::float8)" for lon, lat, _ in rows)
            bulk_sql = (
                f"SELECT count({schema}.{fn.sql_name}(lon, lat, 10))"
                f" FROM (VALUES {values}) AS t(lon, lat)"
            )
            sql_row = per_case(session.query, [bulk_sql]) / len(rows)
            event = make_event(fn, rows)
            local_row = per_case(lambda e: target.invoke(names[fn.id], e), [event]) / len(rows)
            print(
                f"bulk, {len(rows)} rows of quadbin_fromlonglat: SQL {sql_row:.3f} ms/row"
                f" (one Lambda call per row), local batch {local_row * 1000:.1f} µs/row"
                f" (SQL/local {sql_row / local_row:.0f}x)"
            )
            session.run_transaction([f"DROP SCHEMA {schema} CASCADE"])
            session.close()
    finally:
        for invoker in invokers.values():
            invoker.close()
        target.close()
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
