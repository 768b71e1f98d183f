"""ST_CENTERMEDIAN as SQL (stand-in, with --redshift)."""

import math

from pytest_carto import import_testing

sql = import_testing("public_sql").sql_fixture(__file__)

POLYGON = "ST_GEOMFROMTEXT('POLYGON ((30 10, 40 40, 20 40, 10 20, 30 10))')"


def test_st_centermedian(sql):
    # Where the diagonals of the quadrilateral cross, (260/11, 320/11), by hand.
    x = sql(f"ST_X({{schema}}.ST_CENTERMEDIAN({POLYGON}))")
    y = sql(f"ST_Y({{schema}}.ST_CENTERMEDIAN({POLYGON}))")
    assert math.isclose(x, 260 / 11, abs_tol=1e-9) and math.isclose(y, 320 / 11, abs_tol=1e-9)
