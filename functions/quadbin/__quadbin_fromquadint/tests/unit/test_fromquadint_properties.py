"""__QUADBIN_FROMQUADINT: quadint tiles map to the quadbin of the same tile (not stored)."""

import pytest
import quadbin
from hypothesis import given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
tiles = import_testing("quadbin_testing").tiles
quadint = import_testing("quadint_testing").quadint

SETTINGS = fixture_settings(150)


@SETTINGS
@given(st.lists(tiles(), min_size=1, max_size=200))
def test_same_tile(invoke, batch):
    quadints = [quadint(*t) for t in batch]
    assert invoke([[q] for q in quadints]) == [quadbin.tile_to_cell(t) for t in batch]


def error_of(q):
    z = q & 31
    if q < 0:
        return "Invalid quadint"
    if z > 26:
        return "Invalid resolution"
    if q >> (z + 5) >> z:
        return "Invalid quadint"
    return None


# Quadints and BIGINTs that are not: the first bad row (nulls aside) must be named.
values = st.one_of(
    tiles().map(lambda t: quadint(*t)),
    # the zoom field one lower: mostly a row outside the grid
    tiles().filter(lambda t: t[2] > 0).map(lambda t: ((t[1] << t[2] | t[0]) << 5) | (t[2] - 1)),
    st.integers(-(1 << 63), (1 << 63) - 1),
    st.none(),
)


@SETTINGS
@given(st.lists(values, min_size=1, max_size=40))
def test_mixed_batches_name_the_first_invalid_row(invoke, batch):
    n = len(batch)
    bad = [(i, error_of(q)) for i, q in enumerate(batch) if q is not None and error_of(q)]
    if bad:
        i, error = bad[0]
        with pytest.raises(InvocationError, match=f"row {i + 1} of {n}: ValueError: {error}"):
            invoke([[q] for q in batch])
        return
    expected = [
        None
        if q is None
        else quadbin.tile_to_cell(((q >> 5) & ((1 << (q & 31)) - 1), q >> ((q & 31) + 5), q & 31))
        for q in batch
    ]
    assert invoke([[q] for q in batch]) == expected
