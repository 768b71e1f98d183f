"""__MAKEELLIPSE: the vertices lie on the ellipse its semi-axes define, and rotate as turf's."""

import math

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
geo = import_testing("geometry_testing")

RADIUS = 6_371_008.8
METERS = {"kilometers": 1000.0, "meters": 1.0, "miles": 1609.344}

rows = st.tuples(
    geo.longitudes,
    st.floats(-80, 80),
    st.floats(0.01, 500),
    st.floats(0.01, 500),
    st.sampled_from(sorted(METERS)),
    st.integers(3, 200),
)


def point(x: float, y: float) -> str:
    return geo.gj({"type": "Point", "coordinates": [x, y]})


@fixture_settings(120)
@given(st.lists(rows, min_size=1, max_size=8))
def test_unrotated_vertices_on_the_ellipse(invoke, batch):
    # Semi-axes in degrees: east along the parallel, d / (R cos(lat)); north, d / R.
    results = invoke(
        [[point(x, y), repr(a), repr(b), "0", u, steps] for x, y, a, b, u, steps in batch]
    )
    for (x, y, a, b, u, steps), result in zip(batch, results, strict=True):
        ring = geo.geojson_xy(result, "Polygon")
        assert len(ring) == steps + 1 and ring[0] == ring[-1]
        da = math.degrees(a * METERS[u] / (RADIUS * math.cos(math.radians(y))))
        db = math.degrees(b * METERS[u] / RADIUS)
        assert math.isclose(ring[0][0], x + da, abs_tol=1e-9) and ring[0][1] == y
        for vx, vy in ring:
            # On the ellipse: the vertex's offset, scaled by k to reach it, is within float
            # noise; turf's longitude normalization ((lon + 540) % 360 - 180) keeps about
            # 1e-13 degree, absolute.
            k = math.sqrt(((vx - x) / da) ** 2 + ((vy - y) / db) ** 2)
            apart = abs(k - 1) * math.hypot(vx - x, vy - y)  # degrees off the ellipse
            assert apart <= 1e-11 + 1e-8 * max(da, db), (vx, vy)


@fixture_settings(80)
@given(
    st.floats(-170, 170),
    st.floats(-60, 60),
    st.floats(0.01, 2),
    st.floats(0.01, 2),
    st.floats(-720, 720),
    st.integers(3, 100),
)
def test_degrees_rotate_in_the_plane(invoke, x, y, a, b, angle, steps):
    # With units 'degrees' turf turns each vertex about the center by `angle`, clockwise.
    flat, turned = (
        geo.geojson_xy(r, "Polygon")
        for r in invoke(
            [[point(x, y), repr(a), repr(b), repr(t), "degrees", steps] for t in (0.0, angle)]
        )
    )
    for (fx, fy), (tx, ty) in zip(flat, turned, strict=True):
        radius = math.hypot(fx - x, fy - y)
        assert math.isclose(math.hypot(tx - x, ty - y), radius, abs_tol=1e-9)
        before = math.atan2(fy - y, fx - x)
        after = math.atan2(ty - y, tx - x)
        turn = math.remainder(math.degrees(before - after) - angle, 360)
        assert abs(turn) < 1e-6 or radius < 1e-9
