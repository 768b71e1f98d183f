"""QUADBIN_TOQUADKEY against mercantile on random cells (not stored)."""

import random
import re

import mercantile
import pytest
import quadbin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
qb = import_testing("quadbin_testing")
tiles, cells = qb.tiles, qb.cells

SETTINGS = fixture_settings(150)


@SETTINGS
@given(st.lists(tiles(), min_size=1, max_size=200))
def test_same_as_mercantile(invoke, batch):
    results = invoke([[quadbin.tile_to_cell(t)] for t in batch])
    assert results == [mercantile.quadkey(*t) for t in batch]


# Anything a BIGINT column can hold, near cells or not: the batch is answered as a whole, so
# the first invalid row (nulls aside) must be the one named, as the per-row definition does.
values = st.one_of(
    cells,
    cells.map(lambda c: c ^ 1),  # a trailing bit cleared: invalid below resolution 26
    cells.map(lambda c: c | (27 << 52)),  # resolution field over 26
    st.integers(-(1 << 63), (1 << 63) - 1),
    st.none(),
)


@SETTINGS
@given(st.lists(values, min_size=1, max_size=40))
def test_mixed_batches_name_the_first_invalid_row(invoke, batch):
    n = len(batch)
    bad = [i for i, c in enumerate(batch) if c is not None and not quadbin.is_valid_cell(c)]
    if bad:
        i = bad[0]
        with pytest.raises(
            InvocationError,
            match=re.escape(f"row {i + 1} of {n}: ValueError: Invalid quadbin cell: {batch[i]}"),
        ):
            invoke([[c] for c in batch])
        return
    expected = [None if c is None else mercantile.quadkey(*quadbin.cell_to_tile(c)) for c in batch]
    assert invoke([[c] for c in batch]) == expected


# Batches bigger than quadbin_core.batch.CHUNK_ROWS go through the whole-batch path chunk by
# chunk: a bad cell in a later chunk must still name its row in the whole batch.
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(0, 2**32), st.integers(4096, 8999), st.booleans())
def test_big_batches_chunk_by_chunk(invoke, seed, bad_row, spoil):
    rng = random.Random(seed)  # 9,000 rows: more than hypothesis draws itself
    batch = []
    for _ in range(9000):
        z = rng.randint(0, 26)
        batch.append((rng.randrange(1 << z), rng.randrange(1 << z), z))
    rows = [[quadbin.tile_to_cell(t)] for t in batch]
    if spoil:
        rows[bad_row] = [rows[bad_row][0] | (27 << 52)]  # resolution field over 26
        message = f"row {bad_row + 1} of 9000: ValueError: Invalid quadbin cell: {rows[bad_row][0]}"
        with pytest.raises(InvocationError, match=re.escape(message)):
            invoke(rows)
        return
    assert invoke(rows) == [mercantile.quadkey(*t) for t in batch]
