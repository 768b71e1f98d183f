"""CREATE_CLUSTERKMEANS as SQL, on the PostgreSQL stand-in for Redshift, when it is installed.

The template's statements (the external function and the procedure) run unchanged; the
external function's calls reach this function's handler in-process (the `respond` fixture)
through the engine's Lambda API server. Skipped, with the install command, where the
stand-in cannot start. Expected labels come from scikit-learn's Lloyd KMeans.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from pathlib import Path

import numpy as np
import pytest

from pytest_carto import import_testing

pt = import_testing("processing_testing")
standin = pytest.importorskip("engine.redshift.standin")
UNAVAILABLE = standin.availability()
pytestmark = pytest.mark.skipif(UNAVAILABLE is not None, reason=str(UNAVAILABLE))

REPO = Path(__file__).resolve().parents[5]
LAMBDA = "kmeans-table-standin"


@pytest.fixture(scope="module")
def sql(respond):
    """A session with the template loaded in a fresh schema: (session, schema)."""
    from engine.catalog.loader import validate_catalog
    from engine.lambda_api import FunctionNotFound, LambdaApiServer
    from engine.redshift.generate import SqlContext, function_sql
    from engine.redshift.settings import PLACEHOLDER_INVOKE_ROLE

    (function,) = [
        f for f in validate_catalog(REPO)[0] if f.id == "clustering/__clusterkmeanstable"
    ]

    def lambdas(name: str, payload: bytes):
        if name != LAMBDA:
            raise FunctionNotFound(name)
        # The Lambda's payload is the handler's JSON text, itself a JSON string.
        return 200, None, json.dumps(respond(json.loads(payload)["arguments"])).encode()

    root = Path(tempfile.mkdtemp(prefix="carto-kmeans-standin-"))
    root.chmod(0o755)  # the server's user must reach it
    server = standin.RedshiftLocal(root / "rsl")
    try:
        server.start()
        with LambdaApiServer(lambdas) as api, server.connect(api.url) as session:
            schema = f"t_{uuid.uuid4().hex[:10]}"
            arn = f"arn:aws:lambda:us-east-1:000000000000:function:{LAMBDA}"
            statements = function_sql(function, SqlContext(schema, PLACEHOLDER_INVOKE_ROLE), arn)
            session.run_transaction([f"CREATE SCHEMA {schema}", *statements.statements])
            yield session, schema
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


POINTS = [(0, 0), (0, 0), None, (1, 1), (5, 5), (1, 1), (5.5, 5), (0.5, 0.2), None, (6, 4.5)]


def expected_labels(k: int) -> list[int | None]:
    """scikit-learn's labels (CARTO's order: repeats last), put back on each row."""
    points = [p for p in POINTS if p is not None]
    order = pt.carto_order(points)
    ordered = np.array([points[i] for i in order], dtype=float)
    labels = pt.sklearn_labels(ordered, min(k, len(set(points))))
    by_point = [0] * len(points)
    for i, label in zip(order, labels, strict=True):
        by_point[i] = label
    it = iter(by_point)
    return [None if p is None else next(it) for p in POINTS]


@pytest.fixture(scope="module")
def points_table(sql):
    session, schema = sql
    values = ", ".join(
        f"({i}, {'NULL' if p is None else f'ST_POINT({p[0]}, {p[1]})'})"
        for i, p in enumerate(POINTS, 1)
    )
    session.run_transaction(
        [
            f"CREATE TABLE {schema}.pts (id INT, geom GEOMETRY)",
            f"INSERT INTO {schema}.pts VALUES {values}",
        ]
    )
    return f"{schema}.pts"


def test_procedure(sql, points_table):
    """One test, so one server: a table, a query, and the arguments it refuses."""
    session, schema = sql
    ((message,),) = session.query(
        f"CALL {schema}.CREATE_CLUSTERKMEANS('{points_table}', '{schema}.out1', 'geom', 3)"
    )
    assert message == f"Table {schema}.out1 created with the clustering"
    rows = session.query(f"SELECT id, cluster_id FROM {schema}.out1 ORDER BY id")
    assert [label for _, label in rows] == expected_labels(3)
    columns = session.query(
        "SELECT column_name FROM information_schema.columns"
        f" WHERE table_schema = '{schema}' AND table_name = 'out1' ORDER BY ordinal_position"
    )
    assert [c for (c,) in columns] == ["id", "geom", "cluster_id"]

    # A query (it holds white space) is read as a subquery.
    session.query(
        f"CALL {schema}.CREATE_CLUSTERKMEANS('SELECT * FROM {points_table} WHERE id <= 10',"
        f" '{schema}.out2', 'geom', 2)"
    )
    rows = session.query(f"SELECT id, cluster_id FROM {schema}.out2 ORDER BY id")
    assert [label for _, label in rows] == expected_labels(2)

    for output, k, error in [
        ("no_schema", 2, "Invalid output table name no_schema"),
        ("a.b.c.d", 2, "Invalid output table name a.b.c.d"),
        (f"{schema}.out3", 0, "Invalid number of clusters 0"),
    ]:
        with pytest.raises(Exception, match=error):
            session.query(
                f"CALL {schema}.CREATE_CLUSTERKMEANS('{points_table}', '{output}', 'geom', {k})"
            )
