"""QUADINT_BOUNDARY: whole batches against mercantile, row by row (not stored).

The handler answers the batch at once (one loop for the bounds, one encoding for the
floats); each result must be the text json.dumps writes for mercantile.feature's geometry,
and an error must name the first row (nulls aside) that is not a valid quadint.
"""

import json
import re

import mercantile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.invoke import InvocationError

# `invoke` holds no state between calls, so sharing it across examples is safe.
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def quadint(x, y, z):
    return ((y << z | x) << 5) | z


def reference(q):
    z = q & 31
    if q < 0 or z > 29 or q >> (2 * z + 5):
        raise ValueError(f"Invalid quadint: {q}")
    x, y = (q >> 5) & ((1 << z) - 1), q >> (z + 5)
    return json.dumps(mercantile.feature((x, y, z))["geometry"])


def check_batch(invoke, batch):
    rows = [[q] for q in batch]
    expected = []
    for i, q in enumerate(batch):
        if q is None:
            expected.append(None)
            continue
        try:
            expected.append(reference(q))
        except ValueError as exc:
            message = f"row {i + 1} of {len(rows)}: ValueError: {exc}"
            with pytest.raises(InvocationError, match=f"^{re.escape(message)}$"):
                invoke(rows)
            return
    assert invoke(rows) == expected


@st.composite
def tiles(draw):
    """(x, y, z), often on the grid's edges or next to its middle lines (the equator and the
    prime meridian, where bounds are tiny numbers that repr() writes with an exponent)."""
    z = draw(st.integers(0, 29))
    n = 1 << z
    edges = [0, 1, n // 2 - 1, n // 2, n // 2 + 1, n - 2, n - 1]
    coordinate = st.one_of(
        st.integers(0, n - 1), st.sampled_from(edges).map(lambda v: min(max(v, 0), n - 1))
    )
    return draw(coordinate), draw(coordinate), z


quadints = tiles().map(lambda t: quadint(*t))
bad_quadints = st.one_of(
    st.integers(-(1 << 63), -1),
    st.integers(0, 1 << 58).map(lambda v: v << 5 | 30),  # zoom 30
    st.integers(0, 1 << 58).map(lambda v: v << 5 | 31),
    st.builds(  # a row beyond the grid
        lambda t, k: quadint(t[0], t[1] + (k << t[2]), t[2]), tiles(), st.integers(1, 3)
    ),
    st.integers(0, (1 << 64) - 1),  # anything a lane could hold
)


@SETTINGS
@given(st.lists(quadints, min_size=1, max_size=60))
def test_valid_batches(invoke, batch):
    check_batch(invoke, batch)


@SETTINGS
@given(st.lists(st.one_of(quadints, quadints, bad_quadints, st.none()), min_size=1, max_size=30))
def test_mixed_batches(invoke, batch):
    check_batch(invoke, batch)
