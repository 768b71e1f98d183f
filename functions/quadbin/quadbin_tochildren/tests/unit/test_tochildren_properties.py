"""QUADBIN_TOCHILDREN against the reference library on random cells (not stored)."""

import json

import pytest
import quadbin
from hypothesis import assume, given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
cells = import_testing("quadbin_testing").cells

SETTINGS = fixture_settings(150)


@SETTINGS
@given(cells, st.integers(1, 5))
def test_children_as_reference_and_back_to_parent(invoke, cell, levels):
    resolution = quadbin.get_resolution(cell) + levels
    assume(resolution <= 26)
    (result,) = invoke([[cell, resolution]])
    children = json.loads(result)
    assert children == quadbin.cell_to_children(cell, resolution)
    parent_resolution = quadbin.get_resolution(cell)
    assert {quadbin.cell_to_parent(c, parent_resolution) for c in children} == {cell}


def error_of(cell, resolution):
    if not quadbin.is_valid_cell(cell):
        return "Invalid quadbin cell"
    z = quadbin.get_resolution(cell)
    if resolution <= z or resolution > 26:
        return "Invalid resolution"
    if 4 ** (resolution - z) > 3276:
        return "tochildren would return"
    return None


# Rows asking for one number of levels (computed on every cell at once) mixed with rows that
# ask for another, refused rows, invalid cells, cells whose unchecked trailing bits are not all
# ones (valid from resolution 13 on) and nulls: answered as row by row, first failure named.
@SETTINGS
@given(
    st.integers(1, 6),
    st.lists(
        st.one_of(
            cells.map(lambda c: (c, None)),
            cells.map(lambda c: (c & ~1, None)),
            st.tuples(st.integers(-(1 << 63), (1 << 63) - 1), st.none()),
            st.tuples(cells, st.integers(-1, 30)),
            st.tuples(st.none(), st.none()),
        ),
        min_size=1,
        max_size=30,
    ),
)
def test_batches_match_row_by_row(invoke, levels, drawn):
    rows = []
    for cell, resolution in drawn:
        if cell is not None and resolution is None:
            resolution = min((cell >> 52 & 31) + levels, 26)
        rows.append([cell, resolution])
    n = len(rows)
    for i, (cell, resolution) in enumerate(rows):
        if cell is not None and (error := error_of(cell, resolution)):
            with pytest.raises(InvocationError, match=f"row {i + 1} of {n}: .*{error}"):
                invoke(rows)
            return
    expected = [None if c is None else quadbin.cell_to_children(c, r) for c, r in rows]
    assert [None if r is None else json.loads(r) for r in invoke(rows)] == expected
