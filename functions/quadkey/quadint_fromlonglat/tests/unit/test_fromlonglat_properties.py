"""QUADINT_FROMLONGLAT against mercantile on random points (not stored)."""

import math
import re

import mercantile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.invoke import InvocationError

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


# ---------------------------------------------------------------- whole batches, row by row
#
# The handler answers the batch in one loop; each result must be the per-row definition's,
# and an error must name the first row (nulls aside) that the definition refuses.


def reference(lon, lat, z):
    """The per-row definition: the resolution checked, the latitude clipped to +-85.05, then
    mercantile's tile (which raises for NaN)."""
    if z < 0 or z > 29:
        raise ValueError("Invalid resolution, should be between 0 and 29")
    t = mercantile.tile(lon, max(min(lat, 85.05), -85.05), z)
    return quadint(t.x, t.y, z)


def check_batch(invoke, rows):
    expected = []
    for i, row in enumerate(rows):
        if None in row:
            expected.append(None)
            continue
        try:
            expected.append(reference(*row))
        except ValueError as exc:
            message = f"row {i + 1} of {len(rows)}: ValueError: {exc}"
            with pytest.raises(InvocationError, match=f"^{re.escape(message)}$"):
                invoke(rows)
            return
    assert invoke(rows) == expected


# every float, and the edges: the antimeridian, beyond it, the clip, the poles, tile borders
longitudes = st.one_of(
    st.floats(-200, 200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-200, 200),
    st.sampled_from([-180.0, 180.0, 0.0, -0.0, 90.0, -90.0, 179.99999999999997, 5e-324]),
)
latitudes = st.one_of(
    st.floats(-90, 90),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-90, 90),
    st.sampled_from([85.05, -85.05, 85.0511287798066, -85.0511287798066, 90.0, -90.0, 0.0]),
)
zooms = st.one_of(st.integers(0, 29), st.sampled_from([-1, 30, 31, -(1 << 40)]))


def with_nulls(row):
    return st.one_of(
        row, row, row, row.map(lambda r: [None, r[1], r[2]]), row.map(lambda r: [r[0], r[1], None])
    )


@SETTINGS
@given(st.lists(st.tuples(longitudes, latitudes, st.integers(0, 29)).map(list), min_size=1))
def test_valid_batches(invoke, rows):
    check_batch(invoke, rows)


@SETTINGS
@given(st.lists(with_nulls(st.tuples(longitudes, latitudes, zooms).map(list)), min_size=1))
def test_mixed_batches(invoke, rows):
    check_batch(invoke, rows)


@pytest.mark.parametrize(
    "row",
    [
        [math.nan, 10.0, 5],
        [10.0, math.nan, 5],
        [math.inf, 10.0, 5],
        [-math.inf, 10.0, 5],
        [10.0, math.inf, 5],
        [10.0, -math.inf, 5],
        [10.0, 10.0, 30],
    ],
)
def test_one_odd_row_among_valid_ones(invoke, row):
    check_batch(invoke, [[1.0, 2.0, 3], [-179.5, 85.1, 29], row, [0.0, 0.0, 0]])
