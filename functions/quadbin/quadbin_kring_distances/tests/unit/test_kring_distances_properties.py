"""QUADBIN_KRING_DISTANCES against the reference library on random cells (not stored)."""

import json

import quadbin
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
cells = import_testing("quadbin_testing").cells

SETTINGS = fixture_settings(150)


@SETTINGS
@given(cells, st.integers(0, 6))
def test_same_as_reference(invoke, cell, size):
    try:
        expected = quadbin.k_ring_distances(cell, size)
    except TypeError:  # the ring leaves the grid: an error in both
        return
    (result,) = invoke([[cell, size]])
    assert json.loads(result) == expected
