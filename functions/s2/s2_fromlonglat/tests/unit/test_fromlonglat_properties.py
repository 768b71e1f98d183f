"""S2_FROMLONGLAT against s2sphere (CARTO's library) and s2geometry on random points."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

s2t = import_testing("s2_testing")
fixture_settings = s2t.fixture_settings

SETTINGS = fixture_settings(200)
rows = st.tuples(s2t.longitudes, s2t.latitudes, s2t.levels).map(list)


@SETTINGS
@given(st.lists(rows, min_size=1, max_size=40))
def test_same_cell_as_the_references(invoke, batch):
    results = invoke(batch)
    assert results == [s2t.ref_from_lonlat(*row) for row in batch]
    assert results == [s2t.google_from_lonlat(*row) for row in batch]


def test_poles_antimeridian_and_face_edges_at_every_level(invoke):
    batch = [
        [lon, lat, level]
        for lon in (-180.0, -135.0, -90.0, -45.0, 0.0, 45.0, 90.0, 135.0, 180.0)
        for lat in (-90.0, -45.0, 0.0, 45.0, 90.0)
        for level in range(31)
    ]
    assert invoke(batch) == [s2t.ref_from_lonlat(*row) for row in batch]


@SETTINGS
@given(s2t.longitudes, s2t.latitudes, s2t.levels)
def test_the_cell_holds_the_point(invoke, lon, lat, level):
    (cell,) = invoke([[lon, lat, level]])
    leaf = s2t.ref_from_lonlat(lon, lat, 30)
    assert s2t.ref_level(cell) == level
    assert s2t.ref_parent(leaf, level) == cell


@SETTINGS
@given(
    st.lists(
        st.tuples(st.floats(-720, 720), st.floats(-180, 180), s2t.levels).map(list), max_size=20
    )
)
def test_out_of_range_coordinates_wrap_as_the_references(invoke, batch):
    # the references take any finite degrees through sines and cosines; so does the function
    assert invoke(batch) == [s2t.ref_from_lonlat(*row) for row in batch]
    assert invoke(batch) == [s2t.google_from_lonlat(*row) for row in batch]


def test_non_finite_coordinates_are_refused(invoke):
    with pytest.raises(InvocationError, match=r"row 2 of 2: ValueError: Invalid latitude: inf"):
        invoke([[0.0, 0.0, 3], [0.0, float("inf"), 3]])
