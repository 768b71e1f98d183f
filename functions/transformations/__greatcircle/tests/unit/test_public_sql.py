"""ST_GREATCIRCLE (both overloads) as SQL (stand-in, with --redshift)."""

import math

from geographiclib.geodesic import Geodesic

from pytest_carto import import_testing

sql = import_testing("public_sql").sql_fixture(__file__)

ENDS = "ST_MAKEPOINT(-3.70325, 40.4167), ST_MAKEPOINT(-73.9385, 40.6643)"
LINE = Geodesic.WGS84.InverseLine(40.4167, -3.70325, 40.6643, -73.9385)


def second_point(sql, call: str) -> tuple[float, float]:
    return sql(f"ST_X(ST_POINTN({call}, 2))"), sql(f"ST_Y(ST_POINTN({call}, 2))")


def test_100_points_by_default(sql):
    call = f"{{schema}}.ST_GREATCIRCLE({ENDS})"
    assert sql(f"ST_NPOINTS({call})") == 100
    assert sql(f"ST_SRID({call})") == 4326
    expected = LINE.Position(LINE.s13 / 99)
    x, y = second_point(sql, call)
    assert math.isclose(x, expected["lon2"], abs_tol=1e-9)
    assert math.isclose(y, expected["lat2"], abs_tol=1e-9)


def test_n_points(sql):
    call = f"{{schema}}.ST_GREATCIRCLE({ENDS}, 20)"
    assert sql(f"ST_NPOINTS({call})") == 20
    x, y = second_point(sql, call)  # CARTO's documentation, 12 significant digits
    assert math.isclose(x, -7.01193184681, abs_tol=1e-10)
    assert math.isclose(y, 41.5188665219, abs_tol=1e-10)
