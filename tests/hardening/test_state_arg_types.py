"""Deploy and state (issue class 11): argument types holding commas (DECIMAL(38,10)) survive
the state table, in the new JSON form and in rows written before it; checked as text and on
the PostgreSQL stand-in (a real table, a real DROP)."""

from __future__ import annotations

import pytest

from engine.redshift import apply_sql, read_state, remove_sql
from engine.redshift.objects import SQL_UDF, SqlObject
from engine.redshift.state import (
    create_state_table,
    decode_arg_types,
    encode_arg_types,
    record_statements,
    state_table,
)
from tests.standin.conftest import fake_server, schema, session, standin  # noqa: F401 (fixtures)

TYPES = ("DECIMAL(38,10)", "BIGINT", "VARCHAR(MAX)", "NUMERIC(5, 2)")
FID = "m/f_dec"


@pytest.mark.parametrize("types", [TYPES, (), ("GEOMETRY",), ("DECIMAL(38,10)",)])
def test_arg_types_round_trip(types: tuple[str, ...]) -> None:
    assert decode_arg_types(encode_arg_types(types)) == types


@pytest.mark.parametrize(
    ("legacy", "types"),
    [
        ("DECIMAL(38,10), BIGINT", ("DECIMAL(38,10)", "BIGINT")),
        ("VARCHAR(MAX), INTEGER", ("VARCHAR(MAX)", "INTEGER")),
        ("NUMERIC(5, 2)", ("NUMERIC(5, 2)",)),
        ("", ()),
    ],
)
def test_rows_written_before_the_json_form_are_read(legacy: str, types: tuple) -> None:
    assert decode_arg_types(legacy) == types


@pytest.mark.parametrize("bad", ["[1, 2]", '{"a": "b"}', "[unclosed", '"BIGINT"'])
def test_a_malformed_column_is_a_value_error(bad: str) -> None:
    if not bad.startswith("["):
        # Not JSON-looking: read as the old form, whose types are then checked by SqlObject.
        with pytest.raises(ValueError):
            SqlObject(SQL_UDF, "f", decode_arg_types(bad), "BIGINT")
        return
    with pytest.raises(ValueError, match="arg_types"):
        decode_arg_types(bad)


def _create(name: str) -> list[str]:
    return [
        f"CREATE FUNCTION {name}.f_dec(DECIMAL(38,10), BIGINT) RETURNS BIGINT STABLE"
        " AS $$ SELECT $2 $$ LANGUAGE sql"
    ]


def _functions(db, name: str) -> set[str]:
    rows = db.query(
        "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = :schema",
        {"schema": name},
    )
    return {str(r[0]) for r in rows}


def _redeploy_then_remove(db, name: str) -> None:
    state = read_state(db, name)
    [deployed] = state.for_function(FID)
    assert deployed.obj.arg_types == ("DECIMAL(38,10)", "BIGINT")
    assert deployed.exists  # its key matches what pg_proc lists
    outcomes = apply_sql(remove_sql(state, [FID]), db)
    assert [o.ok for o in outcomes] == [True], [o.error for o in outcomes]
    assert "f_dec" not in _functions(db, name)
    assert read_state(db, name).for_function(FID) == []


def test_standin_decimal_arguments_are_recorded_and_removed(session, schema) -> None:  # noqa: F811
    obj = SqlObject(SQL_UDF, "f_dec", ("DECIMAL(38,10)", "BIGINT"), "BIGINT")
    session.run_transaction(
        [
            *create_state_table(schema),
            *_create(schema),
            *record_statements(schema, FID, [obj], "d1"),
        ]
    )
    [(stored,)] = session.query(f"SELECT arg_types FROM {state_table(schema)}")
    assert stored == '["DECIMAL(38,10)", "BIGINT"]'
    assert "f_dec" in _functions(session, schema)
    _redeploy_then_remove(session, schema)


def test_standin_old_comma_joined_rows_still_work(session, schema) -> None:  # noqa: F811
    session.run_transaction(
        [
            *create_state_table(schema),
            *_create(schema),
            f"INSERT INTO {state_table(schema)} (function_id, object_kind, object_name, arg_types,"
            f" return_type, marker) VALUES ('{FID}', 'sql', 'f_dec', 'DECIMAL(38,10), BIGINT',"
            f" 'BIGINT', 'carto-gateway:{FID}:d0')",
        ]
    )
    _redeploy_then_remove(session, schema)
