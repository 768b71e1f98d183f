"""QUADBIN_FROMLONGLAT against the reference library on random points (not stored)."""

import quadbin
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings

SETTINGS = fixture_settings(200)
longitudes = st.floats(-180.0, 180.0) | st.floats(-1e3, 1e3) | st.integers(-180, 180)
latitudes = st.floats(-90.0, 90.0) | st.sampled_from([85.05112877980659, -85.05112877980659])
points = st.tuples(longitudes, latitudes, st.integers(0, 26))


@SETTINGS
@given(st.lists(points, min_size=1, max_size=50))
def test_same_cell_as_reference(invoke, rows):
    expected = [quadbin.point_to_cell(lon, lat, res) for lon, lat, res in rows]
    assert invoke([list(r) for r in rows]) == expected


@SETTINGS
@given(
    st.lists(
        st.tuples(st.floats(-180.0, 179.999), st.floats(-85.0, 85.0), st.integers(0, 26)),
        min_size=1,
        max_size=50,
    )
)
def test_point_inside_its_cell(invoke, rows):
    for (lon, lat, _), cell in zip(rows, invoke([list(r) for r in rows]), strict=True):
        west, south, east, north = quadbin.cell_to_bounding_box(cell)
        # the projection rounds: a point a hair from an edge may land in the neighbour
        assert west - 1e-9 <= lon <= east + 1e-9
        assert south - 1e-9 <= lat <= north + 1e-9
