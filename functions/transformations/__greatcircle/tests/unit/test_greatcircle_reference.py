"""__GREATCIRCLE against geographiclib (Karney, WGS84), antipodal pairs included."""

import math

from geographiclib.geodesic import Geodesic
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
geo = import_testing("geometry_testing")

WGS84 = Geodesic.WGS84


def point(x: float, y: float) -> str:
    return geo.gj({"type": "Point", "coordinates": [x, y]})


@st.composite
def pairs(draw):
    """Two points; a third of the time the second is within a degree of the first's antipode."""
    lon, lat = draw(geo.longitudes), draw(geo.latitudes)
    if draw(st.integers(0, 2)) == 0:
        end = (lon + 180 + draw(st.floats(-1, 1)), -lat + draw(st.floats(-1, 1)))
        end = (((end[0] + 180) % 360) - 180, max(-90.0, min(90.0, end[1])))
    else:
        end = (draw(geo.longitudes), draw(geo.latitudes))
    return (lon, lat), end


@fixture_settings(80)
@given(st.lists(st.tuples(pairs(), st.integers(2, 40)), min_size=1, max_size=10))
def test_points_on_the_geodesic_evenly_spaced(invoke, batch):
    results = invoke([[point(*a), point(*b), n] for (a, b), n in batch])
    for ((a, b), n), result in zip(batch, results, strict=True):
        line = WGS84.InverseLine(a[1], a[0], b[1], b[0])
        if line.s13 == 0:
            assert result is None
            continue
        got = geo.line_wkt_xy(result)
        assert len(got) == n
        assert got[0] == a and got[-1] == b
        for i, (lon, lat) in enumerate(got):
            assert -180 <= lon <= 180
            expected = line.Position(line.s13 * i / (n - 1))
            apart = WGS84.Inverse(lat, lon, expected["lat2"], expected["lon2"])["s12"]
            assert apart < 1e-6, (i, (lon, lat), expected)


def test_documented_example_first_points(invoke):
    # CARTO's documentation (12 significant digits): the first two of 100 and of 20 points.
    start, end = point(-3.70325, 40.4167), point(-73.9385, 40.6643)
    hundred, twenty = invoke([[start, end, 100], [start, end, 20]])
    for result, second in (
        (hundred, (-4.32969777937, 40.6355528695)),
        (twenty, (-7.01193184681, 41.5188665219)),
    ):
        got = geo.line_wkt_xy(result)
        assert got[0] == (-3.70325, 40.4167)
        assert math.isclose(got[1][0], second[0], abs_tol=1e-10)
        assert math.isclose(got[1][1], second[1], abs_tol=1e-10)


def test_antipodal_path_reaches_its_end(invoke):
    # CARTO's Vincenty path from (0, 0) to (180, 0) ends at (-178.8, 0).
    (result,) = invoke([[point(0, 0), point(180, 0), 50]])
    got = geo.line_wkt_xy(result)
    assert got[-1] == (180.0, 0.0)
    before = got[-2]
    # The geodesic between antipodes on the ellipsoid runs over a pole, down a meridian.
    assert before[0] in (180.0, -180.0) and 0 < abs(before[1]) < 10
