"""__CENTROID against shapely (GEOS) on random geometries, and the cases CARTO gets wrong."""

import math

import shapely
from hypothesis import given

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
geo = import_testing("geometry_testing")


def _close(actual: tuple[float, float], expected: shapely.Point, scale: float) -> bool:
    tolerance = 1e-9 * (1 + scale)
    return math.isclose(actual[0], expected.x, abs_tol=tolerance) and math.isclose(
        actual[1], expected.y, abs_tol=tolerance
    )


@fixture_settings(120)
@given(geo.geometries())
def test_same_centroid_as_shapely(invoke, geometry):
    text = geo.gj(geometry)
    (result,) = invoke([[text]])
    expected = shapely.from_geojson(text).centroid
    scale = max(abs(c) for v in geo.vertices(geometry) for c in v)
    assert _close(geo.point_wkt_xy(result), expected, scale), (result, expected)


@fixture_settings(60)
@given(geo.multipolygons())
def test_multipolygon_centroid_is_area_weighted(invoke, polygons):
    # The area-weighted mean of the parts' centroids (shapely per part): what CARTO's shoelace
    # over the concatenated rings does not compute.
    text = geo.gj({"type": "MultiPolygon", "coordinates": polygons})
    parts = [shapely.from_geojson(geo.gj({"type": "Polygon", "coordinates": p})) for p in polygons]
    area = sum(p.area for p in parts)
    x = sum(p.area * p.centroid.x for p in parts) / area
    y = sum(p.area * p.centroid.y for p in parts) / area
    (result,) = invoke([[text]])
    cx, cy = geo.point_wkt_xy(result)
    scale = max(abs(c) for p in polygons for ring in p for v in ring for c in v)
    assert math.isclose(cx, x, abs_tol=1e-9 * (1 + scale))
    assert math.isclose(cy, y, abs_tol=1e-9 * (1 + scale))


def test_multipolygon_centroid_inside_its_hull(invoke):
    # Two squares: CARTO's concatenated shoelace puts the centroid outside both; GEOS gives
    # the area-weighted point on the segment between their centers.
    text = geo.gj(
        {
            "type": "MultiPolygon",
            "coordinates": [
                [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]],
                [[[20, 20], [30, 20], [30, 30], [20, 30], [20, 20]]],
            ],
        }
    )
    (result,) = invoke([[text]])
    assert geo.point_wkt_xy(result) == (15.0, 15.0)
