"""ST_MAKEELLIPSE (four overloads) as SQL (stand-in, with --redshift)."""

import math

from pytest_carto import import_testing

sql = import_testing("public_sql").sql_fixture(__file__)

CENTER = "ST_POINT(-73.9385, 40.6643)"


def first_vertex(sql, call: str) -> tuple[float, float]:
    vertex = f"ST_POINTN(ST_EXTERIORRING({call}), 1)"
    return sql(f"ST_X({vertex})"), sql(f"ST_Y({vertex})")


def test_defaults(sql):
    call = f"{{schema}}.ST_MAKEELLIPSE({CENTER}, 5, 3)"
    assert sql(f"ST_NPOINTS({call})") == 65  # 64 steps and the closing vertex
    assert sql(f"ST_SRID({call})") == 4326
    # CARTO's documentation (and turf 6.5.0): the first vertex, 5 km east.
    x, y = first_vertex(sql, call)
    assert math.isclose(x, -73.87922034627275, abs_tol=1e-12) and y == 40.6643


def test_angle(sql):
    x, y = first_vertex(sql, f"{{schema}}.ST_MAKEELLIPSE({CENTER}, 5, 3, -30)")
    # turf 6.5.0: rotated about the center (CARTO's documentation is ~35 m off, see README).
    assert math.isclose(x, -73.88715365786175, abs_tol=1e-9)
    assert math.isclose(y, 40.68678300909311, abs_tol=1e-9)


def test_units_and_steps(sql):
    assert sql(f"ST_NPOINTS({{schema}}.ST_MAKEELLIPSE({CENTER}, 5, 3, -30, 'miles'))") == 65
    x, y = first_vertex(sql, f"{{schema}}.ST_MAKEELLIPSE({CENTER}, 5, 3, -30, 'miles', 80)")
    assert sql(f"ST_NPOINTS({{schema}}.ST_MAKEELLIPSE({CENTER}, 5, 3, -30, 'miles', 80))") == 81
    # turf 6.5.0
    assert math.isclose(x, -73.85585757866869, abs_tol=1e-9)
    assert math.isclose(y, 40.700482895785946, abs_tol=1e-9)
