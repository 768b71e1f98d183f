"""S2_TOCHILDREN (both overloads) against s2sphere and s2geometry on random cells."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

s2t = import_testing("s2_testing")
fixture_settings = s2t.fixture_settings

SETTINGS = fixture_settings(100)


@SETTINGS
@given(st.lists(st.tuples(s2t.cells, st.integers(0, 5)), min_size=1, max_size=10))
def test_same_children_as_the_references(invoke, drawn):
    # at most 5 levels down: 1,024 children per row, 10 rows (bounded before the references run)
    rows = [[c, min(s2t.ref_level(c) + d, 30)] for c, d in drawn]
    results = [json.loads(r) for r in invoke(rows)]
    assert results == [s2t.ref_children(c, r) for c, r in rows]
    assert results == [s2t.google_children(c, r) for c, r in rows]


@SETTINGS
@given(st.lists(s2t.cells.filter(lambda c: s2t.ref_level(c) < 30), min_size=1, max_size=40))
def test_one_argument_rows_give_the_four_children(invoke, batch):
    # the S2_TOCHILDREN(INT8) overload sends one-argument rows to the same Lambda
    results = [json.loads(r) for r in invoke([[c] for c in batch])]
    assert results == [s2t.ref_children(c) for c in batch]


@SETTINGS
@given(s2t.cells, st.integers(-3, 40))
def test_refusals(invoke, cell, resolution):
    level = s2t.ref_level(cell)
    if level <= resolution <= min(level + 5, 30):
        (result,) = invoke([[cell, resolution]])
        assert json.loads(result) == s2t.ref_children(cell, resolution)
        return
    if resolution < 0 or resolution > 30:
        message = f"Resolution must be between 0 and 30, got {resolution}"
    elif resolution < level:
        message = (
            rf"Children resolution \({resolution}\) must be equal or greater than cell "
            rf"resolution \({level}\)"
        )
    else:
        message = f"S2_TOCHILDREN would return {4 ** (resolution - level):,} cells"
    with pytest.raises(InvocationError, match=f"row 1 of 1: ValueError: {message}"):
        invoke([[cell, resolution]])


def test_a_leaf_has_no_default_children(invoke):
    leaf = s2t.ref_from_lonlat(-3.7, 40.4, 30)
    with pytest.raises(InvocationError, match=r"row 2 of 2: .*a resolution 30 \(leaf\) cell"):
        invoke([[955378847514099712], [leaf]])
