"""QUADINT_FROMLONGLAT against mercantile on random points (not stored)."""

import math

import mercantile
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing, row_by_row

fixture_settings = import_testing("batch_testing").fixture_settings
quadint = import_testing("quadint_testing").quadint

SETTINGS = fixture_settings(150)

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
# The handler answers the batch in one loop; its whole response must be the per-row
# definition's: each result, and an error naming the first row (nulls aside) that the
# definition refuses.


def reference(lon, lat, z):
    """The per-row definition: the resolution checked, the latitude clipped to +-85.05, then
    mercantile's tile (which raises for NaN)."""
    if z < 0 or z > 29:
        raise ValueError("Wrong zoom: invalid resolution, should be between 0 and 29")
    t = mercantile.tile(lon, max(min(lat, 85.05), -85.05), z)
    return quadint(t.x, t.y, z)


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
@given(
    st.lists(
        st.tuples(longitudes, latitudes, st.integers(0, 29)).map(list), min_size=1, max_size=200
    )
)
def test_valid_batches(respond, rows):
    assert respond(rows) == row_by_row(reference, rows)


@SETTINGS
@given(
    st.lists(
        with_nulls(st.tuples(longitudes, latitudes, zooms).map(list)), min_size=1, max_size=200
    )
)
def test_mixed_batches(respond, rows):
    assert respond(rows) == row_by_row(reference, rows)


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
def test_one_odd_row_among_valid_ones(respond, row):
    rows = [[1.0, 2.0, 3], [-179.5, 85.1, 29], row, [0.0, 0.0, 0]]
    assert respond(rows) == row_by_row(reference, rows)
