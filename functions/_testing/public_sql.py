"""A function's public SQL wrappers run through the local Redshift stand-in (PostgreSQL with
PostGIS), its external function answered by the function's own handler in-process.

The [redshift] items call each case's function by its own name: for an internal function
(`__CENTROID`) that leaves the public wrappers its template also creates (`ST_CENTROID`,
`ST_CENTEROFMASS`) unexercised. `sql_fixture(test_file)` makes a module-scoped fixture: the
template deployed into a fresh schema, then `sql(expression)` -> the value of
`SELECT <expression>`, `{schema}` standing for the schema. It runs with `--redshift` (the SQL
tier) and skips, saying why, when the stand-in cannot start.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
IAM_ROLE = "arn:aws:iam::000000000000:role/public-sql"


def _slots() -> Path:
    """Where the servers live: fixed per checkout, so restarts are warm and a killed run's
    server is reclaimed by the next."""
    digest = hashlib.sha1(str(ROOT).encode()).hexdigest()[:10]
    base = Path(tempfile.gettempdir()) / f"carto-public-sql-{digest}"
    base.mkdir(mode=0o755, exist_ok=True)
    base.chmod(0o755)  # the server's own user must reach it
    return base


def _function(test_file: str):
    from engine.catalog.loader import load_function

    directory = Path(test_file).resolve().parents[2]
    function, problems = load_function(
        directory, directory.parent.name, ROOT / "functions" / "_shared"
    )
    assert function is not None, problems
    return function


def _session(request: pytest.FixtureRequest, test_file: str) -> Iterator[Callable[[str], Any]]:
    if not request.config.getoption("--redshift"):
        pytest.skip("the public SQL wrappers run with --redshift")
    from engine.lambda_api import LambdaApiServer
    from engine.redshift.generate import SqlContext, function_sql
    from engine.redshift.standin import RedshiftLocal, availability

    why = availability()
    if why is not None:
        pytest.skip(why)
    function = _function(test_file)
    respond = request.getfixturevalue("respond")

    def invoke(name: str, payload: bytes) -> tuple[int, str | None, bytes]:
        text = respond(json.loads(payload)["arguments"])
        return 200, None, json.dumps(text).encode()  # encoded once more, as Lambda does

    schema = f"public_sql_{uuid.uuid4().hex[:10]}"
    arn = f"arn:aws:lambda:eu-west-1:000000000000:function:{function.lambda_name}"
    with LambdaApiServer(invoke) as api:
        server = RedshiftLocal.in_free_slot(_slots())
        try:
            with server.connect(api.url) as session:
                session.run_transaction([f"CREATE SCHEMA {schema}"])
                sql = function_sql(function, SqlContext(schema, IAM_ROLE), arn)
                session.run_transaction(list(sql.statements))

                def query(expression: str) -> Any:
                    ((value,),) = session.query("SELECT " + expression.format(schema=schema))
                    return value

                try:
                    yield query
                finally:
                    session.run_transaction([f"DROP SCHEMA {schema} CASCADE"])
        finally:
            server.stop()


def sql_fixture(test_file: str):
    """A module-scoped `sql` fixture for the function whose tests/unit holds `test_file`."""

    @pytest.fixture(scope="module")
    def sql(request: pytest.FixtureRequest) -> Iterator[Callable[[str], Any]]:
        yield from _session(request, test_file)

    return sql
