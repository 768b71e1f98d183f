"""The catalog's own SQL on the stand-in: every function's SQL loads, and real deployed
functions answer through SQL as their documents say."""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
import quadbin
from botocore.config import Config

from engine.catalog.sqlkind import sql_order
from engine.lambda_api import LambdaApiServer, local_invoker
from engine.redshift.session import SqlStatementError

from .catalog_glue import (
    catalog_functions,
    deploy_local,
    engine_sql_phase,
    engine_sql_removal,
    function_by_id,
    function_statements,
)
from .conftest import needs_standin, standin_root

pytestmark = needs_standin

MADRID = (
    "POLYGON ((-3.71219873428345 40.413365349070865, -3.7144088745117 40.40965661286395,"
    " -3.70659828186035 40.409525904775634, -3.71219873428345 40.413365349070865))"
)
# quadbin_polyfill's documented cells for the Madrid triangle at resolution 17.
MADRID_CELLS = {
    5265786693164204031,
    5265786693163941887,
    5265786693153193983,
    5265786693164466175,
    5265786693164728319,
    5265786693165514751,
}
DEPLOYED = ("quadbin/quadbin_polyfill", "quadbin/quadbin_fromlonglat", "quadbin/quadbin_center")


@pytest.fixture
def fresh_schema(session):
    name = f"cat_{uuid.uuid4().hex[:12]}"
    session.run_transaction([f"CREATE SCHEMA {name}"])
    yield name
    session.run_transaction([f"DROP SCHEMA {name} CASCADE"])


def test_every_function_of_the_catalog_loads(session, fresh_schema):
    functions, _ = catalog_functions()
    assert len(functions) >= 20
    failures = {}
    # In the engine's order: a function whose SQL calls others (depends_on) after them.
    for function in sql_order(functions):
        statements = function_statements(function, fresh_schema, f"sa-{function.lambda_name}")
        try:
            session.run_transaction(statements)
            session.run_transaction(statements)  # CREATE OR REPLACE: a redeploy loads too
        except SqlStatementError as exc:
            failures[function.id] = str(exc)
    assert failures == {}
    # Every public name is callable in the schema, with the catalog's argument count.
    rows = session.query(
        "SELECT upper(p.proname), p.pronargs FROM pg_proc p JOIN pg_namespace n"
        " ON n.oid = p.pronamespace WHERE n.nspname = :schema",
        {"schema": fresh_schema},
    )
    for function in functions:
        assert (function.sql_name.upper(), len(function.arguments)) in set(rows), function.id


@dataclass
class Deployed:
    session: Any
    schema: str
    target: Any
    names: dict[str, str]  # function id -> deployed name
    api_url: str
    functions: dict[str, Any]


@pytest.fixture(scope="module")
def deployed(standin):
    """quadbin functions built and deployed on a local target, served on the Invoke API,
    and their SQL loaded in a schema of their own."""
    base = standin_root()
    functions = [function_by_id(f) for f in DEPLOYED]
    prefix = f"sa{uuid.uuid4().hex[:6]}-"
    target, names = deploy_local(functions, base, prefix)
    schema = f"qb_{uuid.uuid4().hex[:12]}"
    try:
        with LambdaApiServer(local_invoker(target, prefix)) as api, standin.connect(api.url) as s:
            statements = [f"CREATE SCHEMA {schema}"]
            for function in functions:
                statements += function_statements(function, schema, names[function.id])
            s.run_transaction(statements)
            yield Deployed(s, schema, target, names, api.url, {f.id: f for f in functions})
            s.run_transaction([f"DROP SCHEMA {schema} CASCADE"])
    finally:
        target.close()
        shutil.rmtree(base, ignore_errors=True)


def test_polyfill_of_the_documented_madrid_triangle(deployed):
    session, schema = deployed.session, deployed.schema
    (text,) = session.query(
        f"SELECT JSON_SERIALIZE({schema}.QUADBIN_POLYFILL(ST_GEOMFROMTEXT(:wkt), 17))",
        {"wkt": MADRID},
    )[0]
    assert set(json.loads(text)) == MADRID_CELLS
    # The same polygon in Web Mercator goes through the wrapper's ST_TRANSFORM branch.
    (text,) = session.query(
        f"SELECT JSON_SERIALIZE({schema}.QUADBIN_POLYFILL("
        "ST_TRANSFORM(ST_GEOMFROMTEXT(:wkt, 4326), 3857), 17))",
        {"wkt": MADRID},
    )[0]
    assert set(json.loads(text)) == MADRID_CELLS


def test_fromlonglat_matches_the_reference_per_row(deployed):
    session, schema = deployed.session, deployed.schema
    points = [(-3.7038, 40.4168, 10), (0.0, 0.0, 0), (179.9, -85.0, 26), (-3.7038, 40.4168, 17)]
    values = ", ".join(
        f"({i}, {lon}::float8, {lat}::float8, {res})" for i, (lon, lat, res) in enumerate(points)
    )
    rows = session.query(
        f"SELECT {schema}.QUADBIN_FROMLONGLAT(lon, lat, res)"
        f" FROM (VALUES {values}) AS t(i, lon, lat, res) ORDER BY i"
    )
    assert [r[0] for r in rows] == [quadbin.point_to_cell(*p) for p in points]


def test_center_geometry_of_the_documented_cell(deployed):
    session, schema = deployed.session, deployed.schema
    (text,) = session.query(f"SELECT ST_ASGEOJSON({schema}.QUADBIN_CENTER(5209574053332910079))")[0]
    point = json.loads(text)
    assert point["type"] == "Point"
    # function.yaml's documented value: POINT (33.75 -11.178401873711776).
    assert point["coordinates"] == pytest.approx([33.75, -11.178401873711776], abs=1e-12)


def test_nulls_propagate(deployed):
    session, schema = deployed.session, deployed.schema
    rows = session.query(
        f"SELECT {schema}.QUADBIN_POLYFILL(NULL, 17), {schema}.QUADBIN_FROMLONGLAT(NULL, 40.4, 10),"
        f" {schema}.QUADBIN_CENTER(NULL)"
    )
    assert rows == [(None, None, None)]


def test_handler_errors_surface_as_sql_errors(deployed):
    session, schema = deployed.session, deployed.schema
    # quadbin_fromlonglat's cases.yaml: resolution_too_high.
    with pytest.raises(SqlStatementError) as info:
        session.query(f"SELECT {schema}.QUADBIN_FROMLONGLAT(40.4168, -3.7038, 27)")
    # The runtime's error_msg names the row; the stand-in adds which function raised it.
    message = info.value.message
    assert "Invalid resolution: should be between 0 and 26" in message
    assert f"(raised by {schema}.quadbin_fromlonglat (Lambda " in message


def test_the_engines_sql_phase_deploys_converges_and_removes(session):
    # The SQL phase a deploy runs (state table, grants, records), unchanged, on the stand-in.
    functions, _ = catalog_functions()
    rs_prefix = f"t{uuid.uuid4().hex[:8]}_"
    schema = f"{rs_prefix}carto"
    try:
        outcomes, _ = engine_sql_phase(session, functions, rs_prefix, {})
        assert [(o.action.name, o.error) for o in outcomes if not o.ok] == []
        # A second deploy reads the state back (pg_proc, the state table) and changes nothing.
        outcomes, actions = engine_sql_phase(session, functions, rs_prefix, {})
        assert all(o.ok for o in outcomes)
        per_function = {a.name: a.kind.name for a in actions if a.kind.name != "ENSURE"}
        assert set(per_function) == {f"{schema}.{f.sql_name}" for f in functions}
        assert set(per_function.values()) == {"SKIP"}
        # remove drops every recorded object by its full signature.
        outcomes = engine_sql_removal(session, rs_prefix)
        assert outcomes and all(o.ok for o in outcomes)
        assert objects_left(session, schema, "f") == []
    finally:
        session.run_transaction([f"DROP SCHEMA IF EXISTS {schema} CASCADE"])


def test_remove_drops_the_catalogs_procedures_too(session):
    functions, _ = catalog_functions()
    rs_prefix = f"t{uuid.uuid4().hex[:8]}_"
    schema = f"{rs_prefix}carto"
    try:
        engine_sql_phase(session, functions, rs_prefix, {})
        # clustering's CREATE_CLUSTERKMEANS is a procedure: it was loaded...
        assert (
            "create_clusterkmeans",
            "character varying, character varying, character varying, integer",
        ) in objects_left(session, schema, "p")
        engine_sql_removal(session, rs_prefix)
        # ...and remove dropped it with the functions.
        assert objects_left(session, schema, "p") == []
    finally:
        session.run_transaction([f"DROP SCHEMA IF EXISTS {schema} CASCADE"])


def objects_left(session, schema: str, kind: str) -> list[tuple[str, str]]:
    """(name, argument types) of the schema's functions ('f') or procedures ('p')."""
    return session.query(
        "SELECT p.proname, oidvectortypes(p.proargtypes) FROM pg_proc p"
        " JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = :schema AND p.prokind = :kind",
        {"schema": schema, "kind": kind},
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # the wrapper calls its external function with one argument instead of two
        (
            "__QUADBIN_KRING($1, $2)",
            "__QUADBIN_KRING($1)",
            "__quadbin_kring(bigint) does not exist",
        ),
        # a parameter the wrapper does not have
        ("__QUADBIN_KRING($1, $2)", "__QUADBIN_KRING($1, $3)", "there is no parameter $3"),
        # RETURNS contradicting the body (JSON_PARSE gives SUPER)
        ("RETURNS SUPER", "RETURNS BIGINT", "return type mismatch"),
    ],
    ids=["wrong-arity", "dollar-3", "returns-contradicts-body"],
)
def test_a_broken_catalog_wrapper_fails_with_the_engines_message(
    session, fresh_schema, old, new, message
):
    function = function_by_id("quadbin/quadbin_kring")
    statements = function_statements(function, fresh_schema, "sa-qb_kr")
    wrapper = [i for i, s in enumerate(statements) if "RETURNS SUPER" in s]
    assert len(wrapper) == 1 and old in statements[wrapper[0]]
    statements[wrapper[0]] = statements[wrapper[0]].replace(old, new)
    with pytest.raises(SqlStatementError) as info:
        session.run_transaction(statements)
    assert info.value.index == wrapper[0]
    assert message in info.value.message


def test_a_wrapper_loaded_before_its_external_function_fails(session, fresh_schema):
    function = function_by_id("quadbin/quadbin_kring")
    statements = function_statements(function, fresh_schema, "sa-qb_kr")
    with pytest.raises(SqlStatementError) as info:
        session.run_transaction(list(reversed(statements)))
    assert info.value.index == 0
    assert f"function {fresh_schema}.__quadbin_kring(bigint, integer) does not exist" in (
        info.value.message
    )


def test_function_yaml_examples_through_the_engines_case_runner(deployed):
    # What a `[redshift]` item does: the engine's case query and decoding, on the stand-in.
    from engine.redshift.cases import run_case_sql

    checked = 0
    for function in deployed.functions.values():
        for example in function.examples:
            sql_args = [str(a) for a in example.arguments]
            got = run_case_sql(deployed.session, function, sql_args, schema=deployed.schema)
            if function.output.type == "geometry":
                # GeoJSON back; the example is WKT `POINT (x y)`.
                x, y = example.output.removeprefix("POINT (").removesuffix(")").split()
                assert json.loads(got)["coordinates"] == pytest.approx([float(x), float(y)])
            elif example.unordered:
                assert sorted(got) == sorted(example.output)
            else:
                assert got == example.output
            checked += 1
    assert checked == 3


def test_boto3_invoke_returns_what_the_handler_returns_in_process(deployed):
    from engine.invoke.events import make_event
    from engine.invoke.inprocess import InProcessInvoker

    from .catalog_glue import REPO

    function = deployed.functions["quadbin/quadbin_fromlonglat"]
    events = [
        make_event(function, [[-3.7038, 40.4168, 10], None, [0.0, 0.0, 0]]),
        make_event(function, [[1.0, 2.0, 27]]),  # an error response, compared the same way
    ]
    client = boto3.client(
        "lambda",
        endpoint_url=deployed.api_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}),
    )

    def decoded(payload):
        value = json.loads(payload) if isinstance(payload, (str, bytes)) else payload
        return json.loads(value) if isinstance(value, str) else value

    invoker = InProcessInvoker(function, REPO / "functions" / "_shared")
    try:
        for event in events:
            response = client.invoke(
                FunctionName=deployed.names[function.id], Payload=json.dumps(event).encode()
            )
            assert response["StatusCode"] == 200 and "FunctionError" not in response
            got = decoded(response["Payload"].read())
            assert got == decoded(invoker.invoke(event))
            assert got["success"] is (event is events[0])
    finally:
        invoker.close()
