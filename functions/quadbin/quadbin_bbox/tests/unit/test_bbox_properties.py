"""QUADBIN_BBOX against the reference library on random cells (not stored)."""

import json

import quadbin
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
qb = import_testing("quadbin_testing")

SETTINGS = fixture_settings(200)


@SETTINGS
@given(st.lists(qb.cells, min_size=1, max_size=50))
def test_same_bbox_as_reference(invoke, batch):
    results = invoke([[c] for c in batch])
    assert [json.loads(r) for r in results] == [quadbin.cell_to_bounding_box(c) for c in batch]
