"""External functions through the stand-in: the event a Lambda receives, results, errors,
and the wrapper mistakes the engine must catch."""

from __future__ import annotations

import uuid

import pytest

from engine.redshift.session import SqlStatementError

from .conftest import needs_standin

pytestmark = needs_standin


def external(schema: str, name: str, args: str, returns: str, lambda_name: str, vol="STABLE"):
    return (
        f"CREATE OR REPLACE EXTERNAL FUNCTION {schema}.{name}({args})\nRETURNS {returns}\n{vol}\n"
        f"LAMBDA 'arn:aws:lambda:eu-west-1:000000000000:function:{lambda_name}'\n"
        "IAM_ROLE 'arn:aws:iam::000000000000:role/r'\nMAX_BATCH_ROWS 10 MAX_BATCH_SIZE 1 MB"
    )


def echo(event):
    """Returns each row's first argument, as a handler built on the runtime would."""
    rows = event["arguments"]
    return {"success": True, "num_records": len(rows), "results": [r[0] for r in rows]}


def test_event_fields_and_result(session, schema, fake_lambdas):
    fake_lambdas.handlers["ev"] = echo
    session.run_transaction(
        [external(schema, "ECHO", "VARCHAR(MAX), INTEGER", "VARCHAR(MAX)", "ev")]
    )
    assert session.query(f"SELECT {schema}.ECHO('madrid', 7)") == [("madrid",)]
    ((name, event),) = fake_lambdas.events
    assert name == "ev"
    assert uuid.UUID(event["request_id"])
    assert event["cluster"].startswith("arn:aws:redshift:eu-west-1:")
    assert event["user"] == "postgres" and event["database"] == "dev"
    assert event["external_function"] == f"{schema}.echo"
    assert isinstance(event["query_id"], int)
    assert event["num_records"] == 1
    assert event["arguments"] == [["madrid", 7]]


def test_one_row_per_call_and_types_through_json(session, schema, fake_lambdas):
    fake_lambdas.handlers["sum"] = lambda e: {
        "success": True,
        "results": [None if None in r else r[0] + r[1] for r in e["arguments"]],
    }
    session.run_transaction(
        [external(schema, "ADD", "BIGINT, DOUBLE PRECISION", "DOUBLE PRECISION", "sum")]
    )
    rows = session.query(
        f"SELECT v, {schema}.ADD(v, 0.5) FROM (VALUES (1), (5265786693164204031), (NULL)) t(v)"
        " ORDER BY v NULLS LAST"
    )
    assert rows == [(1, 1.5), (5265786693164204031, 5265786693164204031 + 0.5), (None, None)]
    assert len(fake_lambdas.events) == 3
    # BIGINT arrives exact (beyond 2**53) and NULL arrives as JSON null in its row.
    assert sorted((e["arguments"] for _, e in fake_lambdas.events), key=str) == sorted(
        [[[1, 0.5]], [[5265786693164204031, 0.5]], [[None, 0.5]]], key=str
    )


def test_decimal_boolean_date_arguments(session, schema, fake_lambdas):
    fake_lambdas.handlers["args"] = lambda e: {"success": True, "results": [str(e["arguments"][0])]}
    session.run_transaction(
        [external(schema, "SHOW", "DECIMAL(10,2), BOOLEAN, DATE, TIMESTAMP", "VARCHAR", "args")]
    )
    text = session.query(f"SELECT {schema}.SHOW(12.50, true, '2024-02-29', '2024-02-29 10:11:12')")
    assert text == [("[12.5, True, '2024-02-29', '2024-02-29 10:11:12']",)]


def test_handler_error_is_the_sql_error(session, schema, fake_lambdas):
    fake_lambdas.handlers["bad"] = lambda e: {
        "success": False,
        "error_msg": "Invalid resolution: should be between 0 and 26",
    }
    session.run_transaction([external(schema, "F", "BIGINT", "BIGINT", "bad")])
    with pytest.raises(SqlStatementError) as info:
        session.query(f"SELECT {schema}.F(27)")
    assert info.value.message.startswith("Invalid resolution: should be between 0 and 26")
    assert f"raised by {schema}.f (Lambda bad)" in info.value.message


def test_unhandled_function_error(session, schema, fake_lambdas):
    fake_lambdas.handlers["crash"] = lambda e: (
        200,
        "Unhandled",
        b'{"errorMessage": "division by zero", "errorType": "ZeroDivisionError"}',
    )
    session.run_transaction([external(schema, "F", "BIGINT", "BIGINT", "crash")])
    with pytest.raises(SqlStatementError, match="Unhandled: division by zero"):
        session.query(f"SELECT {schema}.F(1)")


def test_lambda_not_deployed(session, schema, fake_lambdas):
    session.run_transaction([external(schema, "F", "BIGINT", "BIGINT", "nowhere")])
    with pytest.raises(
        SqlStatementError, match=r"Lambda nowhere\): the Lambda function is not deployed"
    ):
        session.query(f"SELECT {schema}.F(1)")


def test_result_count_and_shape_checked(session, schema, fake_lambdas):
    fake_lambdas.handlers["two"] = lambda e: {"success": True, "results": [1, 2]}
    fake_lambdas.handlers["obj"] = lambda e: {"success": True, "results": [{"a": 1}]}
    session.run_transaction(
        [
            external(schema, "TWO", "BIGINT", "BIGINT", "two"),
            external(schema, "OBJ", "BIGINT", "VARCHAR(MAX)", "obj"),
        ]
    )
    with pytest.raises(SqlStatementError, match="the response has 2 results for 1 row"):
        session.query(f"SELECT {schema}.TWO(1)")
    with pytest.raises(SqlStatementError, match="is not a scalar"):
        session.query(f"SELECT {schema}.OBJ(1)")


def test_varchar_max_argument_and_result_limits(session, schema, fake_lambdas):
    fake_lambdas.handlers["len"] = lambda e: {
        "success": True,
        "results": [len(e["arguments"][0][0])],
    }
    fake_lambdas.handlers["big"] = lambda e: {"success": True, "results": ["x" * 65536]}
    session.run_transaction(
        [
            external(schema, "LEN", "VARCHAR(MAX)", "BIGINT", "len"),
            external(schema, "BIG", "BIGINT", "VARCHAR(MAX)", "big"),
        ]
    )
    assert session.query(f"SELECT {schema}.LEN(repeat('a', 65535))") == [(65535,)]
    with pytest.raises(SqlStatementError, match="argument 1 is 65536 bytes"):
        session.query(f"SELECT {schema}.LEN(repeat('a', 65536))")
    with pytest.raises(SqlStatementError, match="varchar_max_holds_at_most_65535_bytes"):
        session.query(f"SELECT {schema}.BIG(1)")


def test_volatility_and_signature_as_pg_proc_reports_them(session, schema, fake_lambdas):
    session.run_transaction(
        [
            external(schema, "S", "VARCHAR(MAX), INTEGER", "VARCHAR(MAX)", "x"),
            external(schema, "V", "BIGINT", "BIGINT", "x", vol="VOLATILE"),
        ]
    )
    rows = session.query(
        "SELECT p.proname, oidvectortypes(p.proargtypes), p.provolatile FROM pg_proc p"
        " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = :schema",
        {"schema": schema},
    )
    assert set(rows) == {("s", "character varying, integer", "s"), ("v", "bigint", "v")}


# -- the mistakes a wrapper can make: each fails when the SQL is loaded ---------------------

WRAPPER = "CREATE OR REPLACE FUNCTION {s}.F(BIGINT, INTEGER)\nRETURNS {ret}\nSTABLE\nAS $$\n" \
    "    SELECT {body}\n$$ LANGUAGE sql"  # fmt: skip


def load_pair(session, schema, body, ret="SUPER", order=(0, 1)):
    statements = [
        external(schema, "__F", "BIGINT, INTEGER", "VARCHAR(MAX)", "x"),
        WRAPPER.format(s=schema, ret=ret, body=body),
    ]
    session.run_transaction([statements[i] for i in order])


def test_a_correct_wrapper_loads_and_runs(session, schema, fake_lambdas):
    fake_lambdas.handlers["x"] = lambda e: {"success": True, "results": ["[1, 2]"]}
    load_pair(session, schema, f"JSON_PARSE({schema}.__F($1, $2))")
    assert session.query(f"SELECT ({schema}.F(1, 2))[1]") == [(2,)]


MISSING = "function {s}.__f(bigint, integer) does not exist"


@pytest.mark.parametrize(
    ("body", "ret", "order", "index", "message"),
    [
        ("JSON_PARSE({s}.__F($1))", "SUPER", (0, 1), 1, "function {s}.__f(bigint) does not exist"),
        ("JSON_PARSE({s}.__G($1, $2))", "SUPER", (0, 1), 1, "function {s}.__g(bigint, integer)"),
        ("JSON_PARSE({s}.__F($1, $3))", "SUPER", (0, 1), 1, "there is no parameter $3"),
        ("JSON_PARSE({s}.__F($1, $2))", "BIGINT", (0, 1), 1, "return type mismatch"),
        ("JSON_PARSE({s}.__F($1, $2))", "SUPER", (1, 0), 0, MISSING),
    ],
    ids=["wrong-arity", "misspelled", "dollar-3", "returns-contradicts-body", "wrapper-first"],
)
def test_wrapper_mistakes_fail_with_the_engines_message(
    session, schema, body, ret, order, index, message
):
    with pytest.raises(SqlStatementError) as info:
        load_pair(session, schema, body.format(s=schema), ret, order)
    assert info.value.index == index
    assert message.format(s=schema) in info.value.message
    # The transaction was rolled back: neither object exists.
    assert session.query(
        "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = :schema",
        {"schema": schema},
    ) == [(0,)]


def test_create_or_replace_cannot_change_the_return_type(session, schema):
    load_pair(session, schema, f"JSON_PARSE({schema}.__F($1, $2))")
    with pytest.raises(SqlStatementError, match="cannot change return type of existing function"):
        load_pair(session, schema, f"JSON_PARSE({schema}.__F($1, $2))::text", ret="VARCHAR(MAX)")


def test_overloads_resolve_by_argument_types(session, schema, fake_lambdas):
    fake_lambdas.handlers["int"] = lambda e: {"success": True, "results": ["int"]}
    fake_lambdas.handlers["text"] = lambda e: {"success": True, "results": ["text"]}
    session.run_transaction(
        [
            external(schema, "O", "BIGINT", "VARCHAR(MAX)", "int"),
            external(schema, "O", "VARCHAR(MAX)", "VARCHAR(MAX)", "text"),
        ]
    )
    assert session.query(f"SELECT {schema}.O(1::bigint), {schema}.O('a'::varchar)") == [
        ("int", "text")
    ]
    with pytest.raises(SqlStatementError, match="does not exist"):
        session.query(f"SELECT {schema}.O(true)")


def test_grant_comment_drop_with_full_signatures(session, schema):
    load_pair(session, schema, f"JSON_PARSE({schema}.__F($1, $2))")
    session.run_transaction(
        [
            f"GRANT EXECUTE ON FUNCTION {schema}.F(BIGINT, INTEGER) TO PUBLIC",
            f"COMMENT ON FUNCTION {schema}.__F(BIGINT, INTEGER) IS 'internal; VARCHAR(MAX)'",
            f"DROP FUNCTION {schema}.F(BIGINT, INTEGER)",
            f"DROP FUNCTION {schema}.__F(BIGINT, INTEGER)",
        ]
    )
    with pytest.raises(SqlStatementError, match="does not exist") as info:
        session.run_transaction([f"DROP FUNCTION {schema}.F(BIGINT)"])
    assert info.value.index == 0
