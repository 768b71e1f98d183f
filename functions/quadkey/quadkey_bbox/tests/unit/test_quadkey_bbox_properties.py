"""QUADKEY_BBOX: whole batches against mercantile, row by row (not stored).

The handler reads every key of the batch at once and answers with one loop for the bounds
and one encoding for the floats; each result must be the compact text json.dumps writes for
mercantile.bounds, and an error must name the first row (nulls aside) that is not a quadkey.
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


def reference(key):
    if len(key) > 29 or key.strip("0123") != "":
        raise ValueError(f"Invalid quadkey {key[:40]!r}: up to 29 digits 0-3")
    return json.dumps(
        list(mercantile.bounds(mercantile.quadkey_to_tile(key))), separators=(",", ":")
    )


def check_batch(invoke, batch):
    rows = [[key] for key in batch]
    expected = []
    for i, key in enumerate(batch):
        if key is None:
            expected.append(None)
            continue
        try:
            expected.append(reference(key))
        except ValueError as exc:
            message = f"row {i + 1} of {len(rows)}: ValueError: {exc}"
            with pytest.raises(InvocationError, match=f"^{re.escape(message)}$"):
                invoke(rows)
            return
    assert invoke(rows) == expected


@st.composite
def tiles(draw):
    """(x, y, z), often on the grid's edges or next to its middle lines."""
    z = draw(st.integers(0, 29))
    n = 1 << z
    edges = [0, 1, n // 2 - 1, n // 2, n // 2 + 1, n - 2, n - 1]
    coordinate = st.one_of(
        st.integers(0, n - 1), st.sampled_from(edges).map(lambda v: min(max(v, 0), n - 1))
    )
    return draw(coordinate), draw(coordinate), z


keys = st.one_of(
    tiles().map(lambda t: mercantile.quadkey(*t)), st.text(alphabet="0123", max_size=29)
)
bad_keys = st.one_of(
    st.text(alphabet="0123", min_size=30, max_size=300),  # too long
    st.text(min_size=1, max_size=8).filter(lambda k: k.strip("0123")),  # anything else
    st.text(alphabet="01234 \u0661\u00e9_", min_size=1, max_size=8),  # near misses
)


@SETTINGS
@given(st.lists(keys, min_size=1, max_size=60))
def test_valid_batches(invoke, batch):
    check_batch(invoke, batch)


@SETTINGS
@given(st.lists(st.one_of(keys, keys, bad_keys, st.none()), min_size=1, max_size=30))
def test_mixed_batches(invoke, batch):
    check_batch(invoke, batch)
