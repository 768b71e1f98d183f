"""Literals for case inputs and `SELECT schema.NAME(...)` for the plugin's [redshift] items."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from engine.catalog.sqltext.split import split_statements
from engine.redshift import case_query, literal, literal_args, open_session, run_case_sql
from engine.redshift.cases import CaseSqlError


@pytest.mark.parametrize(
    ("value", "type_name", "sql"),
    [
        (None, "bigint", "CAST(NULL AS BIGINT)"),
        (5265786693164204031, "bigint", "CAST(5265786693164204031 AS BIGINT)"),
        (-3, "int", "CAST(-3 AS INTEGER)"),
        (2.0, "smallint", "CAST(2 AS SMALLINT)"),
        (0.1, "double", "CAST(0.1 AS DOUBLE PRECISION)"),
        (decimal.Decimal("1.25"), "decimal", "CAST(1.25 AS DECIMAL(38,10))"),
        (True, "boolean", "TRUE"),
        (False, "boolean", "FALSE"),
        ("it's", "string", "CAST('it''s' AS VARCHAR(MAX))"),
        ("a\\'; DROP TABLE t; --", "string", "CAST('a\\\\''; DROP TABLE t; --' AS VARCHAR(MAX))"),
        ("$$", "char", "CAST('$$' AS CHAR(1))"),
        ("2024-02-29", "date", "CAST('2024-02-29' AS DATE)"),
        (dt.date(2024, 2, 29), "date", "CAST('2024-02-29' AS DATE)"),
        ("2024-02-29 10:11:12.5", "timestamp", "CAST('2024-02-29 10:11:12.5' AS TIMESTAMP)"),
        (
            '{"type": "Point", "coordinates": [1, 2]}',
            "geometry",
            'ST_GEOMFROMGEOJSON(\'{"type": "Point", "coordinates": [1, 2]}\')',
        ),
        (
            {"type": "Point", "coordinates": [1, 2]},
            "geometry",
            'ST_GEOMFROMGEOJSON(\'{"type":"Point","coordinates":[1,2]}\')',
        ),
        ("POINT (1 2)", "geometry", "ST_GEOMFROMTEXT('POINT (1 2)')"),
        ({"a": ["it's"]}, "super", "JSON_PARSE('{\"a\":[\"it''s\"]}')"),
    ],
)
def test_literals(value, type_name: str, sql: str) -> None:
    assert literal(value, type_name) == sql


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        (float("nan"), "double"),
        (1.5, "int"),
        ("1", "int"),
        (True, "int"),
        (1, "boolean"),
        ("2024-02-29'; --", "date"),
        ("10:00", "timestamp"),
        (3, "string"),
        ("a\x00b", "string"),
        ("{not json", "geometry"),
    ],
)
def test_literals_refuse_bad_values(value, type_name: str) -> None:
    with pytest.raises((ValueError, TypeError)):
        literal(value, type_name)


def test_injection_attempts_stay_one_statement() -> None:
    for attack in [
        "'; DROP TABLE t; --",
        "\\'; DROP TABLE t; --",
        "$$; DROP TABLE t; $$",
        "*/; --",
    ]:
        sql = f"SELECT {literal(attack, 'string')}"
        assert split_statements(sql) == [sql]


def test_case_query_and_decoding(fn, fake_conn, settings_factory) -> None:
    f = fn("quadbin_polyfill", [("geog", "geometry"), ("resolution", "int")], "super")
    args = literal_args(f, {"geog": "POINT (1 2)", "resolution": 17})
    assert case_query(f, args, "dev_carto") == (
        "SELECT JSON_SERIALIZE(dev_carto.QUADBIN_POLYFILL(ST_GEOMFROMTEXT('POINT (1 2)'),"
        " CAST(17 AS INTEGER)))"
    )
    fake_conn.results["QUADBIN_POLYFILL"] = [("[5265786693164204031]",)]
    session = open_session(settings_factory(), connect=fake_conn.connect)
    assert run_case_sql(session, f, args, schema="dev_carto") == [5265786693164204031]


@pytest.mark.parametrize(
    ("output", "raw", "value"),
    [
        ("bigint", decimal.Decimal("5"), 5),
        ("date", dt.date(2024, 1, 2), "2024-01-02"),
        ("timestamp", dt.datetime(2024, 1, 2, 3, 4, 5), "2024-01-02 03:04:05"),
        (
            "geometry",
            '{"type":"Point","coordinates":[1,2]}',
            '{"type":"Point","coordinates":[1,2]}',
        ),
        ("string", None, None),
    ],
)
def test_decoding_matches_lambda_json(fn, fake_conn, settings_factory, output, raw, value) -> None:
    f = fn("f", [("a", "int")], output)
    fake_conn.results["SELECT"] = [(raw,)]
    session = open_session(settings_factory(), connect=fake_conn.connect)
    assert run_case_sql(session, f, ["1"], schema="dev_carto") == value
    if output == "geometry":
        assert fake_conn.statements[-1] == "SELECT ST_ASGEOJSON(dev_carto.F(1))"


def test_null_row_and_positional_inputs(fn) -> None:
    f = fn("f", [("a", "int"), ("b", "string")], "int")
    assert literal_args(f, None) == ["CAST(NULL AS INTEGER)", "CAST(NULL AS VARCHAR(MAX))"]
    assert literal_args(f, [1, "x"]) == ["CAST(1 AS INTEGER)", "CAST('x' AS VARCHAR(MAX))"]
    with pytest.raises(CaseSqlError, match="expected 2 inputs"):
        literal_args(f, [1])
    with pytest.raises(CaseSqlError, match="unknown argument"):
        literal_args(f, {"c": 1})


@pytest.mark.parametrize("expr", ["1); DROP TABLE t; --", "1 -- c", "1 /* c */", "", "'open"])
def test_sql_inputs_must_be_single_expressions(fn, expr: str) -> None:
    with pytest.raises(CaseSqlError):
        case_query(fn("f", [("a", "int")], "int"), [expr], "dev_carto")
