"""__CENTERMEAN on random geometries: the mean of the vertices, each ring's closing one out."""

import math

from hypothesis import given

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
geo = import_testing("geometry_testing")


@fixture_settings(100)
@given(geo.geometries())
def test_mean_of_the_vertices(invoke, geometry):
    points = geo.vertices(geometry)
    expected = (
        math.fsum(p[0] for p in points) / len(points),
        math.fsum(p[1] for p in points) / len(points),
    )
    (result,) = invoke([[geo.gj(geometry)]])
    x, y = geo.point_wkt_xy(result)
    assert math.isclose(x, expected[0], abs_tol=1e-12) and math.isclose(
        y, expected[1], abs_tol=1e-12
    )


def test_ring_start_does_not_matter(invoke):
    ring = [[30, 10], [40, 40], [20, 40], [10, 20]]
    texts = [
        geo.gj({"type": "Polygon", "coordinates": [[*ring[i:], *ring[:i], ring[i]]]})
        for i in range(4)
    ]
    results = invoke([[t] for t in texts])
    assert {geo.point_wkt_xy(r) for r in results} == {(25.0, 27.5)}
