"""ST_BEZIERSPLINE (three overloads) as SQL (stand-in, with --redshift)."""

from pytest_carto import import_testing

sql = import_testing("public_sql").sql_fixture(__file__)

LINE = (
    "ST_GEOMFROMTEXT('LINESTRING (-76.091308 18.427501,-76.695556 18.729501,"
    "-76.552734 19.40443,-74.61914 19.134789,-73.652343 20.07657,-73.157958 20.210656)')"
)


def test_defaults(sql):
    call = f"{{schema}}.ST_BEZIERSPLINE({LINE})"
    assert sql(f"ST_NPOINTS({call})") == 501  # resolution 10000: 500 samples and the end
    assert sql(f"ST_SRID({call})") == 4326
    # CARTO's documented second point (sharpness 0.85), to the last digit.
    assert sql(f"ST_X(ST_POINTN({call}, 2))") == -76.09134585033101
    assert sql(f"ST_Y(ST_POINTN({call}, 2))") == 18.427508082543092


def test_resolution(sql):
    assert sql(f"ST_NPOINTS({{schema}}.ST_BEZIERSPLINE({LINE}, 1000))") == 51


def test_sharpness(sql):
    call = f"{{schema}}.ST_BEZIERSPLINE({LINE}, 10000, 0.9)"
    assert sql(f"ST_X(ST_POINTN({call}, 2))") == -76.09134541990707
    assert sql(f"ST_Y(ST_POINTN({call}, 2))") == 18.42750717125151
