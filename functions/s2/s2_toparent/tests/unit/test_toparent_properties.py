"""S2_TOPARENT (both overloads) against s2sphere, s2cell and s2geometry on random cells."""

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
@given(st.lists(st.tuples(s2t.cells, st.integers(0, 30)), min_size=1, max_size=40))
def test_same_parent_as_the_references(invoke, drawn):
    rows = [[c, min(r, s2t.ref_level(c))] for c, r in drawn]
    results = invoke(rows)
    assert results == [s2t.ref_parent(c, r) for c, r in rows]
    assert results == [s2t.s2cell_parent(c, r) for c, r in rows]
    google = [s2geometry.S2CellId(s2t.unsigned(c)).parent(r).id() for c, r in rows]
    assert results == [s2t.signed(g) for g in google]


@SETTINGS
@given(st.lists(s2t.cells.filter(lambda c: s2t.ref_level(c) > 0), min_size=1, max_size=40))
def test_one_argument_rows_give_the_direct_parent(invoke, batch):
    # the S2_TOPARENT(INT8) overload sends one-argument rows to the same Lambda
    assert invoke([[c] for c in batch]) == [s2t.ref_parent(c) for c in batch]


@SETTINGS
@given(s2t.cells, st.integers(-5, 40))
def test_resolutions_out_of_range_are_refused(invoke, cell, resolution):
    level = s2t.ref_level(cell)
    if 0 <= resolution <= level:
        assert invoke([[cell, resolution]]) == [s2t.ref_parent(cell, resolution)]
        return
    if resolution < 0 or resolution > 30:
        message = f"Resolution must be between 0 and 30, got {resolution}"
    else:
        message = (
            rf"Parent resolution \({resolution}\) must be equal or smaller than cell "
            rf"resolution \({level}\)"
        )
    with pytest.raises(InvocationError, match=f"row 1 of 1: ValueError: {message}"):
        invoke([[cell, resolution]])


def test_a_face_cell_has_no_default_parent(invoke):
    with pytest.raises(InvocationError, match=r"row 2 of 2: .*a resolution 0 \(face\) cell"):
        invoke([[955378847514099712], [1152921504606846976]])


@SETTINGS
@given(s2t.invalid_ids, st.integers(0, 30))
def test_ids_that_are_no_cell_are_refused(invoke, value, resolution):
    with pytest.raises(
        InvocationError, match=rf"row 1 of 1: ValueError: Invalid S2 cell id: {value}"
    ):
        invoke([[value, resolution]])
