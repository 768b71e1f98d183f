"""S2_TOHILBERTQUADKEY against CARTO's definition (on s2sphere's projections), random cells."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

s2t = import_testing("s2_testing")
fixture_settings = s2t.fixture_settings

SETTINGS = fixture_settings(200)


@SETTINGS
@given(st.lists(s2t.cells, min_size=1, max_size=40))
def test_same_key_as_cartos_definition(invoke, batch):
    results = invoke([[c] for c in batch])
    assert results == [s2t.carto_quadkey(c) for c in batch]
    for cell, key in zip(batch, results, strict=True):
        face, digits = key.split("/")
        assert int(face) == s2t.unsigned(cell) >> 61 and len(digits) == s2t.ref_level(cell)


@SETTINGS
@given(s2t.cells)
def test_a_parents_key_is_a_prefix(invoke, cell):
    level = s2t.ref_level(cell)
    if level == 0:
        return
    key, parent_key = invoke([[cell], [s2t.ref_parent(cell)]])
    assert key[:-1] == parent_key


@SETTINGS
@given(s2t.invalid_ids)
def test_ids_that_are_no_cell_are_refused(invoke, value):
    with pytest.raises(
        InvocationError, match=rf"row 1 of 1: ValueError: Invalid S2 cell id: {value}"
    ):
        invoke([[value]])
