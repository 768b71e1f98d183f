"""S2_TOTOKEN against s2sphere, s2cell and s2geometry on random cells; other ids refused."""

import pytest
import s2geometry
from hypothesis import given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

s2t = import_testing("s2_testing")
fixture_settings = s2t.fixture_settings

SETTINGS = fixture_settings(200)


@SETTINGS
@given(st.lists(s2t.cells, min_size=1, max_size=40))
def test_same_token_as_the_references(invoke, batch):
    results = invoke([[c] for c in batch])
    assert results == [s2t.ref_token(c) for c in batch]
    assert results == [s2t.s2cell_token(c) for c in batch]
    assert results == [s2geometry.S2CellId(s2t.unsigned(c)).ToToken() for c in batch]


@SETTINGS
@given(s2t.invalid_ids)
def test_ids_that_are_no_cell_are_refused(invoke, value):
    with pytest.raises(
        InvocationError, match=rf"row 1 of 1: ValueError: Invalid S2 cell id: {value}"
    ):
        invoke([[value]])
