"""QUADBIN_KRING against the reference library on random cells (not stored)."""

import json

import pytest
import quadbin
from hypothesis import given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
cells = import_testing("quadbin_testing").cells

SETTINGS = fixture_settings(150)


def kring(invoke, cell, size):
    (result,) = invoke([[cell, size]])
    return json.loads(result)


@SETTINGS
@given(cells, st.integers(0, 6))
def test_same_cells_as_reference(invoke, cell, size):
    try:
        expected = quadbin.k_ring(cell, size)
    except TypeError:  # the reference fails when the square leaves the grid; so do we
        with pytest.raises(InvocationError, match="leaves the tile grid"):
            kring(invoke, cell, size)
        return
    assert kring(invoke, cell, size) == expected


@SETTINGS
@given(st.integers(6, 26), st.integers(0, 28), st.data())
def test_size_away_from_poles(invoke, z, size, data):
    margin = size + 1
    x = data.draw(st.integers(margin, (1 << z) - 1 - margin))
    y = data.draw(st.integers(margin, (1 << z) - 1 - margin))
    ring = kring(invoke, quadbin.tile_to_cell((x, y, z)), size)
    assert len(set(ring)) == len(ring) == (2 * size + 1) ** 2


def reference_ring(cell, size):
    """The reference's ring, or None where it fails (the square leaves the grid)."""
    try:
        return quadbin.k_ring(cell, size)
    except TypeError:
        return None


# Cells near the grid's edges (where squares leave it), anywhere, invalid values and nulls, all
# with one size: the batch is then computed on every cell at once, and must answer as row by
# row does, naming the first row that fails.
edge_cells = st.builds(
    lambda z, x, y: quadbin.tile_to_cell((x % (1 << z), y % (1 << z), z)),
    st.integers(0, 26),
    st.sampled_from([0, 1, 2, -1, -2, -3]),
    st.integers(0, 1 << 26),
)
values = st.one_of(edge_cells, cells, st.integers(-(1 << 63), (1 << 63) - 1), st.none())


@SETTINGS
@given(st.lists(values, min_size=1, max_size=30), st.integers(0, 3))
def test_batches_of_one_size_match_row_by_row(invoke, batch, size):
    n = len(batch)
    for i, cell in enumerate(batch):
        if cell is None:
            continue
        if not quadbin.is_valid_cell(cell):
            error = "Invalid input origin"
        elif reference_ring(cell, size) is None:
            error = "leaves the tile grid"
        else:
            continue
        with pytest.raises(InvocationError, match=f"row {i + 1} of {n}: ValueError: .*{error}"):
            invoke([[cell, size] for cell in batch])
        return
    results = invoke([[cell, size] for cell in batch])
    expected = [None if c is None else quadbin.k_ring(c, size) for c in batch]
    assert [None if r is None else json.loads(r) for r in results] == expected
