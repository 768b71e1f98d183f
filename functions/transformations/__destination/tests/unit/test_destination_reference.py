"""__DESTINATION against geographiclib on a sphere of radius 6,371,008.8 m (turf's)."""

import math

from geographiclib.geodesic import Geodesic
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
geo = import_testing("geometry_testing")

RADIUS = 6_371_008.8
SPHERE = Geodesic(RADIUS, 0)
METERS = {  # the length of each unit, by definition (test-side)
    "kilometers": 1000.0,
    "meters": 1.0,
    "centimeters": 0.01,
    "miles": 1609.344,
    "nauticalmiles": 1852.0,
    "yards": 0.9144,
    "feet": 0.3048,
    "inches": 0.0254,
    "radians": RADIUS,
    "degrees": RADIUS * math.pi / 180,
}
# Up to a turn of the globe either way, in any unit.
rows = st.tuples(
    geo.longitudes,
    geo.latitudes,
    st.floats(-4.1e7, 4.1e7, allow_nan=False),
    st.floats(-360, 360, allow_nan=False),
    st.sampled_from(sorted(METERS)),
).map(lambda r: (r[0], r[1], r[2] / METERS[r[4]], r[3], r[4]))


def point(x: float, y: float) -> str:
    return geo.gj({"type": "Point", "coordinates": [x, y]})


@fixture_settings(120)
@given(st.lists(rows, min_size=1, max_size=20))
def test_same_point_as_geographiclib(invoke, batch):
    results = invoke([[point(x, y), d, b, u] for x, y, d, b, u in batch])
    for (x, y, d, b, u), result in zip(batch, results, strict=True):
        expected = SPHERE.Direct(y, x, b, d * METERS[u])
        lon, lat = geo.point_wkt_xy(result)
        assert -180 <= lon <= 180
        apart = SPHERE.Inverse(lat, lon, expected["lat2"], expected["lon2"])["s12"]
        assert apart < 1e-3, (result, expected)


def test_text_arguments_as_redshift_sends_them(invoke):
    # __DESTINATION casts FLOAT8 to VARCHAR(MAX): the Lambda gets distance and bearing as text.
    madrid = point(-3.70325, 40.4167)
    as_text, as_numbers = invoke(
        [[madrid, "10", "45", "kilometers"], [madrid, 10.0, 45.0, "kilometers"]]
    )
    assert as_text == as_numbers
    lon, lat = geo.point_wkt_xy(as_text)
    assert math.isclose(lon, -3.61964617436, abs_tol=1e-10)
    assert math.isclose(lat, 40.4802614598, abs_tol=1e-10)
