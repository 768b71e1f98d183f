"""QUADBIN_CENTER against the reference library on random cells (not stored)."""

import json

import quadbin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def cells(draw):
    z = draw(st.integers(0, 26))
    x = draw(st.integers(0, (1 << z) - 1))
    y = draw(st.integers(0, (1 << z) - 1))
    return quadbin.tile_to_cell((x, y, z))


def coordinates(result):
    return (json.loads(result) if isinstance(result, str) else result)["coordinates"]


@SETTINGS
@given(st.lists(cells(), min_size=1, max_size=50))
def test_same_point_as_reference(invoke, batch):
    results = invoke([[c] for c in batch])
    assert [coordinates(r) for r in results] == [quadbin.cell_to_point(c) for c in batch]


@SETTINGS
@given(st.lists(cells(), min_size=1, max_size=50))
def test_center_is_inside_and_maps_back(invoke, batch):
    for cell, result in zip(batch, invoke([[c] for c in batch]), strict=True):
        lon, lat = coordinates(result)
        west, south, east, north = quadbin.cell_to_bounding_box(cell)
        assert west < lon < east and south < lat < north
        if abs(lat) < 85:  # beyond that the reference clips latitudes to 89 degrees... and rows
            assert quadbin.point_to_cell(lon, lat, quadbin.get_resolution(cell)) == cell
