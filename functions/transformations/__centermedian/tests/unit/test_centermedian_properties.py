"""__CENTERMEDIAN on random point sets: the result minimises the sum of distances.

The reference is the definition: no vertex, no point near the result and not the mean has a
smaller sum of distances to the vertices (a convex function has no other local minimum).
"""

import math

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
geo = import_testing("geometry_testing")

point_sets = st.lists(
    st.tuples(st.integers(-50, 50), st.integers(-50, 50)).map(list), min_size=1, max_size=24
)


def total(p: tuple[float, float], points: list[list[int]]) -> float:
    return math.fsum(math.hypot(p[0] - x, p[1] - y) for x, y in points)


@fixture_settings(150)
@given(point_sets)
def test_no_better_point_nearby(invoke, points):
    (result,) = invoke([[geo.gj({"type": "MultiPoint", "coordinates": points}), 1000]])
    best = geo.point_wkt_xy(result)
    value = total(best, points)
    slack = 1e-9 * (1 + value)
    mean = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    candidates = [tuple(p) for p in points] + [mean]
    step = 1e-4
    candidates += [
        (best[0] + dx * step, best[1] + dy * step)
        for dx in (-1, 0, 1)
        for dy in (-1, 0, 1)
        if dx or dy
    ]
    for candidate in candidates:
        assert value <= total(candidate, points) + slack, (candidate, best)


@fixture_settings(60)
@given(
    st.lists(
        st.tuples(st.integers(-50, 50), st.integers(-50, 50)), min_size=3, max_size=12, unique=True
    ),
    st.integers(0, 11),
)
def test_ring_start_does_not_matter(invoke, vertices, shift):
    # CARTO counts a polygon's closing vertex twice, so its median moves with the ring's start.
    ring = [list(v) for v in vertices]
    shift %= len(ring)
    turned = ring[shift:] + ring[:shift]
    texts = [geo.gj({"type": "Polygon", "coordinates": [[*r, r[0]]]}) for r in (ring, turned)]
    a, b = (geo.point_wkt_xy(r) for r in invoke([[t, 1000] for t in texts]))
    assert math.isclose(a[0], b[0], abs_tol=1e-7) and math.isclose(a[1], b[1], abs_tol=1e-7)
