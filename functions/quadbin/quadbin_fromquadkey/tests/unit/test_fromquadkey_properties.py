"""QUADBIN_FROMQUADKEY against mercantile and quadbin on random quadkeys (not stored)."""

import random

import mercantile
import pytest
import quadbin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings

SETTINGS = fixture_settings(150)
quadkeys = st.text(alphabet="0123", max_size=26)


@SETTINGS
@given(st.lists(quadkeys, min_size=1, max_size=200))
def test_same_as_reference(invoke, keys):
    expected = [quadbin.tile_to_cell(tuple(mercantile.quadkey_to_tile(k))) for k in keys]
    assert invoke([[k] for k in keys]) == expected


def valid(key):
    return isinstance(key, str) and len(key) <= 26 and set(key) <= set("0123")


# Keys that are not quadkeys: other characters (a space, a sign, an underscore or a non-ASCII
# digit, all of which int() would take), too long, or not text at all.
values = st.one_of(
    quadkeys,
    quadkeys.map(lambda k: k + "0" * (27 - len(k))),
    st.tuples(quadkeys, st.sampled_from([" ", "4", "+", "_", "٣", "é"]), quadkeys).map("".join),
    st.integers(0, 3),
    st.none(),
)


@SETTINGS
@given(st.lists(values, min_size=1, max_size=40))
def test_mixed_batches_name_the_first_invalid_row(invoke, batch):
    n = len(batch)
    bad = [i for i, k in enumerate(batch) if k is not None and not valid(k)]
    if bad:
        i = bad[0]
        with pytest.raises(InvocationError, match=rf"row {i + 1} of {n}: \w+Error: "):
            invoke([[k] for k in batch])
        return
    expected = [
        None if k is None else quadbin.tile_to_cell(tuple(mercantile.quadkey_to_tile(k)))
        for k in batch
    ]
    assert invoke([[k] for k in batch]) == expected


# Batches bigger than quadbin_core.batch.CHUNK_ROWS go through the whole-batch path chunk by
# chunk: a bad key in a later chunk must still name its row in the whole batch.
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(0, 2**32), st.integers(4096, 8999), st.booleans())
def test_big_batches_chunk_by_chunk(invoke, seed, bad_row, spoil):
    rng = random.Random(seed)  # 9,000 rows: more than hypothesis draws itself
    keys = ["".join(rng.choices("0123", k=rng.randint(0, 26))) for _ in range(9000)]
    rows = [[k] for k in keys]
    if spoil:
        rows[bad_row] = [keys[bad_row] + "4"]
        with pytest.raises(InvocationError, match=f"row {bad_row + 1} of 9000: ValueError: "):
            invoke(rows)
        return
    expected = [quadbin.tile_to_cell(tuple(mercantile.quadkey_to_tile(k))) for k in keys]
    assert invoke(rows) == expected
