"""QUADBIN_FROMZXY against the reference library on random tiles (not stored)."""

import pytest
import quadbin
from hypothesis import given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
tiles = import_testing("quadbin_testing").tiles

SETTINGS = fixture_settings(150)


@SETTINGS
@given(st.lists(tiles(), min_size=1, max_size=200))
def test_same_as_reference(invoke, batch):
    assert invoke([[z, x, y] for x, y, z in batch]) == [quadbin.tile_to_cell(t) for t in batch]


# Rows the whole-batch path must refuse exactly as the per-row definition does: the first bad
# row (nulls aside) is named, with the resolution checked before the tile.
coordinate = st.one_of(st.integers(0, 3), st.integers(-(1 << 63), (1 << 63) - 1), st.none())
mixed_rows = st.one_of(
    tiles().map(lambda t: [t[2], t[0], t[1]]),
    st.tuples(st.integers(-3, 30) | st.none(), coordinate, coordinate).map(list),
)


def error_of(z, x, y):
    if z < 0 or z > 26:
        return "Invalid resolution"
    if x < 0 or y < 0 or x >> z or y >> z:
        return "Invalid tile"
    return None


@SETTINGS
@given(st.lists(mixed_rows, min_size=1, max_size=40))
def test_mixed_batches_name_the_first_invalid_row(invoke, batch):
    n = len(batch)
    rows = [r for r in batch if None not in r]
    bad = [(i, error_of(*r)) for i, r in enumerate(batch) if None not in r and error_of(*r)]
    if bad:
        i, error = bad[0]
        with pytest.raises(InvocationError, match=f"row {i + 1} of {n}: ValueError: {error}"):
            invoke(batch)
        return
    expected = iter(quadbin.tile_to_cell((x, y, z)) for z, x, y in rows)
    assert invoke(batch) == [None if None in r else next(expected) for r in batch]
