"""QUADBIN_FROMQUADKEY against mercantile and quadbin on random quadkeys (not stored)."""

import mercantile
import pytest
import quadbin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.invoke import InvocationError

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
quadkeys = st.text(alphabet="0123", max_size=26)


@SETTINGS
@given(st.lists(quadkeys, min_size=1))
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
