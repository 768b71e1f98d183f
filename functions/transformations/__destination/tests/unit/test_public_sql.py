"""ST_DESTINATION (both overloads) and __DESTINATION as SQL (stand-in, with --redshift)."""

import math

from geographiclib.geodesic import Geodesic

from pytest_carto import import_testing

sql = import_testing("public_sql").sql_fixture(__file__)

SPHERE = Geodesic(6_371_008.8, 0)
MADRID = "ST_MAKEPOINT(-3.70325, 40.4167)"


def xy(sql, expression: str) -> tuple[float, float]:
    return sql(f"ST_X({expression})"), sql(f"ST_Y({expression})")


def near(got: tuple[float, float], meters: float, bearing: float) -> bool:
    expected = SPHERE.Direct(40.4167, -3.70325, bearing, meters)
    return math.isclose(got[0], expected["lon2"], abs_tol=1e-9) and math.isclose(
        got[1], expected["lat2"], abs_tol=1e-9
    )


def test_kilometers_by_default(sql):
    assert near(xy(sql, f"{{schema}}.ST_DESTINATION({MADRID}, 10, 45)"), 10_000, 45)


def test_units(sql):
    got = xy(sql, f"{{schema}}.ST_DESTINATION({MADRID}, 10, 45, 'miles')")
    assert near(got, 16_093.44, 45)


def test_every_digit_of_a_float8_arrives(sql):
    # FLOAT8 travels as text through __DESTINATION: 17 significant digits survive.
    got = xy(sql, f"{{schema}}.ST_DESTINATION({MADRID}, 10.123456789012345, 45.000000000000014)")
    assert near(got, 10_123.456789012345, 45.000000000000014)


def test_internal_sql_function(sql):
    text = sql(
        "{schema}.__DESTINATION(ST_ASGEOJSON(" + MADRID + ")::VARCHAR(MAX), 10, 45, 'kilometers')"
    )
    assert text.startswith("POINT (-3.6196461743")
