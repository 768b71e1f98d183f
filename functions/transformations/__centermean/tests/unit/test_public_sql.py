"""ST_CENTERMEAN as SQL (stand-in, with --redshift)."""

from pytest_carto import import_testing

sql = import_testing("public_sql").sql_fixture(__file__)

POLYGON = "ST_GEOMFROMTEXT('POLYGON ((30 10, 40 40, 20 40, 10 20, 30 10))')"


def test_st_centermean(sql):
    # CARTO's documented example: the mean of the 4 vertices.
    assert sql(f"ST_X({{schema}}.ST_CENTERMEAN({POLYGON}))") == 25.0
    assert sql(f"ST_Y({{schema}}.ST_CENTERMEAN({POLYGON}))") == 27.5
    assert sql(f"ST_SRID({{schema}}.ST_CENTERMEAN({POLYGON}))") == 4326
