"""Which cases become `[redshift]` items, and how GEOMETRY results are compared (no server)."""

from __future__ import annotations

import json

import pytest

from engine.catalog.cases import Case
from engine.catalog.compare import compare
from pytest_carto.sql_items import at_sql_precision, unreachable_through_sql

from .catalog_glue import function_by_id

POLYFILL = "quadbin/quadbin_polyfill"  # (geography GEOMETRY, resolution INT) -> SUPER
CENTER = "quadbin/quadbin_center"  # (quadbin BIGINT) -> GEOMETRY
SQUARE = '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}'


def case(row, *, expected=None, error=None, sql_inputs=None) -> Case:
    return Case(
        name="c",
        row=row,
        expected=expected,
        expected_error=error,
        unordered=False,
        tolerance=0.0,
        compare="exact",
        sql_inputs=sql_inputs,
        line=1,
    )


@pytest.mark.parametrize(
    "geography",
    [
        "POLYGON((0 0, 1 0, 1 1, 0 0))",  # WKT: SQL would make a valid geometry of it
        '{"type":"Feature","geometry":null}',  # not a geometry
        '{"type":"Polygon","coordinates":[[[0,0],[10,"a"],[10,10],[0,0]]]}',  # not a number
        '{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":["x",1]}]}',
        "not json",
    ],
)
def test_a_handler_error_about_geojson_text_is_not_a_sql_case(geography):
    function = function_by_id(POLYFILL)
    why = unreachable_through_sql(function, case([geography, 5], error="Invalid"))
    assert why is not None and "not a GeoJSON geometry" in why


def test_valid_geojson_or_a_result_or_sql_inputs_stay_sql_cases():
    function = function_by_id(POLYFILL)
    assert unreachable_through_sql(function, case([SQUARE, 30], error="resolution")) is None
    # WKT expecting a result: as SQL it is the same geometry, so the same answer.
    assert unreachable_through_sql(function, case(["POINT(0 0)", 5], expected=[1])) is None
    given = case(["POLYGON((0 0, 1 0, 1 1, 0 0))", 5], error="x", sql_inputs=("NULL", "5"))
    assert unreachable_through_sql(function, given) is None
    assert unreachable_through_sql(function, case(None, expected=None)) is None


def test_a_text_argument_over_varchar_max_is_not_a_sql_case():
    function = function_by_id(POLYFILL)
    ring = [[i / 1e4, 0.5] for i in range(6000)] + [[0, 0], [0, 0.5]]
    big = json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
    assert len(big.encode()) > 65535
    why = unreachable_through_sql(function, case([big, 5], expected=[1]))
    assert why is not None and "at most 65,535" in why


def test_geometry_is_compared_at_st_asgeojsons_fifteen_digits():
    function = function_by_id(CENTER)
    expected = {"type": "Point", "coordinates": [-179.99999731779099, 85.05112854842118]}
    sql = '{"type":"Point","coordinates":[-179.999997317791,85.0511285484212]}'
    exact = case([1], expected=expected)
    assert compare(sql, exact, "geometry") is not None  # 17 digits against 15 differ...
    relaxed = at_sql_precision(function, exact)
    assert compare(sql, relaxed, "geometry") is None  # ...and agree at 15 significant digits
    # One unit in the 13th digit is a real difference and still fails.
    off = '{"type":"Point","coordinates":[-179.999997317701,85.0511285484212]}'
    assert compare(off, relaxed, "geometry") is not None


def test_other_outputs_keep_their_tolerance():
    function = function_by_id(POLYFILL)
    exact = case([SQUARE, 5], expected=[1, 2])
    assert at_sql_precision(function, exact) is exact
