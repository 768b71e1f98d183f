"""QUADBIN_CENTER against the reference library on random cells (not stored)."""

import quadbin
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
qb = import_testing("quadbin_testing")
coordinates = qb.coordinates

SETTINGS = fixture_settings(200)


@SETTINGS
@given(st.lists(qb.cells, min_size=1, max_size=50))
def test_same_point_as_reference(invoke, batch):
    results = invoke([[c] for c in batch])
    assert [coordinates(r) for r in results] == [quadbin.cell_to_point(c) for c in batch]


@SETTINGS
@given(st.lists(qb.cells, min_size=1, max_size=50))
def test_center_is_inside_and_maps_back(invoke, batch):
    for cell, result in zip(batch, invoke([[c] for c in batch]), strict=True):
        lon, lat = coordinates(result)
        west, south, east, north = quadbin.cell_to_bounding_box(cell)
        assert west < lon < east and south < lat < north
        if abs(lat) < 85:  # beyond that the reference clips latitudes to 89 degrees... and rows
            assert quadbin.point_to_cell(lon, lat, quadbin.get_resolution(cell)) == cell
