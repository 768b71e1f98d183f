"""QUADINT_KRING: square sizes and neighbours on random quadints (not stored)."""

import json

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

bt = import_testing("batch_testing")
qt = import_testing("quadint_testing")

SETTINGS = bt.fixture_settings(150)


@SETTINGS
@given(st.integers(6, 29), st.integers(0, 10), st.data())
def test_size_and_neighbours(invoke, z, size, data):
    x = data.draw(st.integers(size, (1 << z) - 1 - size))
    y = data.draw(st.integers(size, (1 << z) - 1 - size))
    (result,) = invoke([[qt.quadint(x, y, z), size]])
    ring = json.loads(result)
    assert len(set(ring)) == len(ring) == (2 * size + 1) ** 2
    expected = {
        qt.quadint(x + i, y + j, z) for i in range(-size, size + 1) for j in range(-size, size + 1)
    }
    assert set(ring) == expected


# ---------------------------------------------------------------- whole batches, row by row
#
# The handler computes a batch of one size on every origin at once; anything else row by row.
# Either way each result must be the per-row definition's text, and an error must name the
# first row (nulls aside) that the definition refuses, with its message.


def reference(origin, size):
    """The per-row definition: the size limit first (from the zoom bits alone), then the
    quadint, the zoom and the size; the square wraps around the grid, row by row."""
    return json.dumps([q for q, _, _ in qt.kring_square(origin, size, item_bytes=2)])


@SETTINGS
@given(
    st.lists(qt.origins, min_size=1, max_size=30),
    # small sizes, and sizes around the largest no zoom refuses (27)
    st.one_of(st.integers(0, 5), st.integers(25, 30)),
)
def test_valid_batches_of_one_size(invoke, batch, size):
    bt.check_batch(invoke, [[origin, size] for origin in batch], reference)


@SETTINGS
@given(st.lists(qt.tiles(min_z=1).filter(lambda t: t[2] <= 4), min_size=1, max_size=5), st.data())
def test_squares_wider_than_the_grid(invoke, batch, data):
    # sizes up to the largest the handler computes at once, and above it
    size = data.draw(st.integers(2, 30))
    bt.check_batch(invoke, [[qt.quadint(*t), size] for t in batch], reference)


@SETTINGS
@given(
    st.lists(qt.mixed_origins, min_size=1, max_size=30),
    st.one_of(st.integers(-2, 4), st.integers(20, 40), st.none()),
)
def test_mixed_batches_of_one_size(invoke, batch, size):
    bt.check_batch(invoke, [[origin, size] for origin in batch], reference)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            qt.mixed_origins, st.one_of(st.integers(-2, 4), st.integers(20, 40), st.none())
        ).map(list),
        min_size=1,
        max_size=30,
    )
)
def test_mixed_sizes(invoke, rows):
    bt.check_batch(invoke, rows, reference)
