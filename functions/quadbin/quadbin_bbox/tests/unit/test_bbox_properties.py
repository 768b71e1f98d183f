"""QUADBIN_BBOX against the reference library on random cells (not stored)."""

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


@SETTINGS
@given(st.lists(cells(), min_size=1, max_size=50))
def test_same_bbox_as_reference(invoke, batch):
    results = invoke([[c] for c in batch])
    assert [json.loads(r) for r in results] == [quadbin.cell_to_bounding_box(c) for c in batch]
