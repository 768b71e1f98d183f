"""QUADINT_KRING_DISTANCES: whole batches against the per-row definition (not stored).

The handler computes a batch of one size on every origin at once, anything else row by row.
Either way each result must be the per-row definition's text, and an error must name the
first row (nulls aside) that the definition refuses, with its message.
"""

import re

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


def digits(z):
    last = (1 << z) - 1
    return len(str(quadint(last, last, z)))


def reference(origin, size):
    """The per-row definition: the size limit first (from the zoom bits alone), then the
    quadint, the zoom and the size; the square wraps around the grid, row by row, each item
    with its Chebyshev distance from the origin."""
    z = origin & 31
    if size > 0:
        total = (2 * size + 1) ** 2 * (digits(z) + 27 + len(str(size)))
        if total > 65535:
            raise ValueError(
                f"a k-ring of size {size} at zoom {z} would take up to {total:,} bytes; the "
                f"limit is 65,535 bytes per row (one VARCHAR(MAX) result)"
            )
    if origin < 0 or z > 29 or origin >> (2 * z + 5):
        raise ValueError(f"Invalid quadint: {origin}")
    if z == 0:
        raise ValueError("Invalid origin: the zoom 0 quadint has no neighbours")
    if size < 0:
        raise ValueError("Invalid size, should be 0 or greater")
    n = 1 << z
    x, y = (origin >> 5) & (n - 1), origin >> (z + 5)
    items = [
        f'{{"index": {quadint((x + i) % n, (y + j) % n, z)}, "distance": {max(abs(i), abs(j))}}}'
        for j in range(-size, size + 1)
        for i in range(-size, size + 1)
    ]
    return "[" + ", ".join(items) + "]"


def check_batch(invoke, rows):
    """The handler's answer to `rows` is the definition's, row by row."""
    expected = []
    for i, row in enumerate(rows):
        if None in row:
            expected.append(None)
            continue
        try:
            expected.append(reference(*row))
        except ValueError as exc:
            message = f"row {i + 1} of {len(rows)}: ValueError: {exc}"
            with pytest.raises(InvocationError, match=f"^{re.escape(message)}$"):
                invoke(rows)
            return
    assert invoke(rows) == expected


@st.composite
def tiles(draw, min_z=0):
    """(x, y, z), often on the grid's edges (where squares wrap) or its middle."""
    z = draw(st.integers(min_z, 29))
    n = 1 << z
    coordinate = st.one_of(
        st.integers(0, n - 1), st.sampled_from([0, 1, n // 2, n - 2, n - 1]).map(lambda v: v % n)
    )
    return draw(coordinate), draw(coordinate), z


origins = tiles(min_z=1).map(lambda t: quadint(*t))
bad_origins = st.one_of(
    st.just(0),  # zoom 0: no neighbours
    st.integers(-(1 << 63), -1),
    st.integers(0, 1 << 58).map(lambda v: v << 5 | 30),  # zoom 30
    st.integers(0, 1 << 58).map(lambda v: v << 5 | 31),
    st.builds(  # a row beyond the grid
        lambda t, k: quadint(t[0], t[1] + (k << t[2]), t[2]), tiles(), st.integers(1, 3)
    ),
    st.integers(0, (1 << 64) - 1),  # anything a lane could hold
)
# origins with a few nulls and bad ones among them
mixed_origins = st.one_of(origins, origins, origins, bad_origins, st.none())
sizes = st.one_of(st.integers(-2, 4), st.integers(14, 20), st.none())


@SETTINGS
@given(
    st.lists(origins, min_size=1, max_size=30),
    # small sizes, and sizes around the largest no zoom refuses (17)
    st.one_of(st.integers(0, 5), st.integers(15, 20)),
)
def test_valid_batches_of_one_size(invoke, batch, size):
    check_batch(invoke, [[origin, size] for origin in batch])


@SETTINGS
@given(st.lists(tiles(min_z=1).filter(lambda t: t[2] <= 4), min_size=1, max_size=5), st.data())
def test_squares_wider_than_the_grid(invoke, batch, data):
    size = data.draw(st.integers(2, 20))
    check_batch(invoke, [[quadint(*t), size] for t in batch])


@SETTINGS
@given(st.lists(mixed_origins, min_size=1, max_size=30), sizes)
def test_mixed_batches_of_one_size(invoke, batch, size):
    check_batch(invoke, [[origin, size] for origin in batch])


@SETTINGS
@given(st.lists(st.tuples(mixed_origins, sizes).map(list), min_size=1, max_size=30))
def test_mixed_sizes(invoke, rows):
    check_batch(invoke, rows)
