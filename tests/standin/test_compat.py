"""Each shim of the compatibility schema, checked against values worked out by hand."""

from __future__ import annotations

import json

import psycopg
import pytest

from engine.redshift.session import SqlStatementError

from .conftest import needs_standin

pytestmark = needs_standin


def one(session, sql, params=None):
    rows = session.query(sql, params)
    assert len(rows) == 1 and len(rows[0]) == 1, rows
    return rows[0][0]


def test_compat_schema_is_first_on_the_search_path(standin):
    # A fresh connection, not the one the set-up ran on: the database's default applies.
    with psycopg.connect(**standin.conninfo(), autocommit=True) as conn:
        path = conn.execute("SHOW search_path").fetchone()[0]
    assert path.split(",")[0].strip() == "redshift_compat"


def test_super_is_jsonb_with_subscripts_and_equality(session):
    assert one(session, "SELECT pg_typeof(JSON_PARSE('[1]'))::text") == "super"
    assert one(session, """SELECT (JSON_PARSE('[10, {"a": 20}]'))[1]['a']""") == 20
    assert one(session, """SELECT JSON_PARSE('{"a":1}') = JSON_PARSE('{ "a" : 1 }')""") is True
    # BIGINT quadbin cells stay exact (no float on the way).
    assert one(session, "SELECT JSON_PARSE('[5265786693164204031]')") == [5265786693164204031]


def test_json_parse_refuses_invalid_json_and_passes_null(session):
    with pytest.raises(SqlStatementError, match="invalid input syntax for type json"):
        session.query("SELECT JSON_PARSE('[1,')")
    assert one(session, "SELECT JSON_PARSE(NULL) IS NULL") is True


def test_json_serialize_writes_compact_json(session):
    source = '{"k": "a \\"b\\": c, d", "n": [1, 2.50, null, true]}'
    text = one(session, "SELECT JSON_SERIALIZE(JSON_PARSE(:j))", {"j": source})
    # jsonb keeps numbers as written and orders keys; blanks outside strings are dropped.
    assert text == '{"k":"a \\"b\\": c, d","n":[1,2.50,null,true]}'
    assert json.loads(text) == json.loads(source)


def test_json_serialize_refuses_more_than_65535_bytes(session):
    ok = one(
        session,
        "SELECT octet_length(JSON_SERIALIZE(JSON_PARSE(:j)))",
        {"j": '"' + "a" * 65533 + '"'},
    )
    assert ok == 65535
    with pytest.raises(SqlStatementError, match="65536 bytes; VARCHAR holds at most 65535"):
        session.query("SELECT JSON_SERIALIZE(JSON_PARSE(:j))", {"j": '"' + "a" * 65534 + '"'})


def test_varchar_max_holds_65535_bytes_not_characters(session):
    # 'é' is two bytes in UTF-8: 32,767 of them fit (65,534 bytes), 32,768 do not.
    assert one(session, "SELECT octet_length(repeat('é', 32767)::VARCHAR(MAX))") == 65534
    assert one(session, "SELECT octet_length(repeat('a', 65535)::VARCHAR(MAX))") == 65535
    with pytest.raises(SqlStatementError, match="varchar_max_holds_at_most_65535_bytes"):
        session.query("SELECT repeat('é', 32768)::VARCHAR(MAX)")


def test_st_asgeojson_writes_15_significant_digits(session):
    text = one(
        session,
        "SELECT ST_ASGEOJSON(ST_GEOMFROMTEXT('POINT(-3.70379 40.4167754123456789)'))",
    )
    # 40.4167754123456789 to 15 significant digits is 40.4167754123457 (PostGIS's own
    # default, 9 decimal places, would write 40.416775412).
    assert text == '{"type":"Point","coordinates":[-3.70379,40.4167754123457]}'
    polygon = one(
        session,
        "SELECT ST_ASGEOJSON(ST_SETSRID(ST_GEOMFROMTEXT("
        "'POLYGON((0 0, 1 0, 1 1.123456789012345678, 0 0))'), 4326))",
    )
    # No "crs" member, whatever the SRID: Redshift writes none.
    assert json.loads(polygon) == {
        "type": "Polygon",
        "coordinates": [[[0, 0], [1, 0], [1, 1.12345678901235], [0, 0]]],
    }


def test_st_asgeojson_precision_argument_and_null(session):
    text = one(session, "SELECT ST_ASGEOJSON(ST_GEOMFROMTEXT('POINT(-3.70379 40.41677)'), 4)")
    assert text == '{"type":"Point","coordinates":[-3.704,40.42]}'
    assert one(session, "SELECT ST_ASGEOJSON(NULL::geometry) IS NULL") is True


def test_geometry_round_trips_through_geojson(session):
    wkt = "POLYGON((-3.71 40.41,-3.714 40.409,-3.706 40.409,-3.71 40.41))"
    same = one(
        session,
        "SELECT ST_EQUALS(ST_GEOMFROMGEOJSON(ST_ASGEOJSON(ST_GEOMFROMTEXT(:w, 4326))),"
        " ST_GEOMFROMTEXT(:w, 4326))",
        {"w": wkt},
    )
    assert same is True
    with pytest.raises(SqlStatementError, match=r"unknown .*SRID"):
        session.query("SELECT ST_TRANSFORM(ST_GEOMFROMTEXT('POINT(1 2)'), 4326)")


def test_is_valid_json_and_json_extract_path_text(session):
    assert one(session, """SELECT IS_VALID_JSON('{"a": 1}')""") is True
    assert one(session, "SELECT IS_VALID_JSON('{a: 1}')") is False
    assert one(session, """SELECT JSON_EXTRACT_PATH_TEXT('{"a": {"b": "c"}}', 'a', 'b')""") == "c"
    assert one(session, """SELECT JSON_EXTRACT_PATH_TEXT('{"a": 1}', 'z') IS NULL""") is True
