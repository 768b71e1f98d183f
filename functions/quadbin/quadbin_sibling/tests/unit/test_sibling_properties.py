"""QUADBIN_SIBLING against the reference library on random cells (not stored)."""

import quadbin
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
cells = import_testing("quadbin_testing").cells

SETTINGS = fixture_settings(150)


@SETTINGS
@given(
    st.lists(
        st.tuples(cells, st.sampled_from(["up", "down", "left", "right", "UP"])),
        min_size=1,
        max_size=200,
    )
)
def test_same_as_reference(invoke, rows):
    expected = [quadbin.cell_sibling(c, d) for c, d in rows]
    assert invoke([list(r) for r in rows]) == expected
