"""ST_CENTROID and ST_CENTEROFMASS as SQL (stand-in, with --redshift)."""

import math

from pytest_carto import import_testing

sql = import_testing("public_sql").sql_fixture(__file__)

POLYGON = "ST_GEOMFROMTEXT('POLYGON ((30 10, 40 40, 20 40, 10 20, 30 10))')"
TWO_SQUARES = (
    "ST_GEOMFROMTEXT('MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)),"
    " ((20 20, 20 22, 22 22, 22 20, 20 20)))')"
)


def test_st_centroid(sql):
    x = sql(f"ST_X({{schema}}.ST_CENTROID({POLYGON}))")
    y = sql(f"ST_Y({{schema}}.ST_CENTROID({POLYGON}))")
    assert math.isclose(x, 280 / 11, abs_tol=1e-12) and math.isclose(y, 890 / 33, abs_tol=1e-12)
    assert sql(f"ST_SRID({{schema}}.ST_CENTROID({POLYGON}))") == 4326


def test_st_centerofmass_is_st_centroid(sql):
    # (100 * 5 + 4 * 21) / 104 on both axes: the squares weighted by their areas.
    x = sql(f"ST_X({{schema}}.ST_CENTEROFMASS({TWO_SQUARES}))")
    assert math.isclose(x, 584 / 104, abs_tol=1e-12)
