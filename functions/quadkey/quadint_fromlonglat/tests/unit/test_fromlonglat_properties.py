"""QUADINT_FROMLONGLAT against mercantile on random points (not stored)."""

import mercantile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# `invoke` holds no state between calls, so sharing it across examples is safe.
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def quadint(x, y, z):
    return ((y << z | x) << 5) | z


points = st.tuples(st.floats(-200, 200), st.floats(-90, 90), st.integers(0, 29))


@SETTINGS
@given(st.lists(points, min_size=1, max_size=50))
def test_same_as_mercantile(invoke, rows):
    expected = []
    for lon, lat, z in rows:
        t = mercantile.tile(lon, max(min(lat, 85.05), -85.05), z)
        expected.append(quadint(t.x, t.y, z))
    assert invoke([list(r) for r in rows]) == expected
