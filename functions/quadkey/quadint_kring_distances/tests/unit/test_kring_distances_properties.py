"""QUADINT_KRING_DISTANCES: whole batches against the per-row definition (not stored).

The handler computes a batch of one size on every origin at once, anything else row by row.
Either way each result must be the per-row definition's text, and an error must name the
first row (nulls aside) that the definition refuses, with its message.
"""

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

bt = import_testing("batch_testing")
qt = import_testing("quadint_testing")

SETTINGS = bt.fixture_settings(150)


def reference(origin, size):
    """The per-row definition: the size limit first (from the zoom bits alone), then the
    quadint, the zoom and the size; the square wraps around the grid, row by row, each item
    with its Chebyshev distance from the origin."""
    square = qt.kring_square(origin, size, item_bytes=27 + len(str(size)))
    items = [f'{{"index": {q}, "distance": {max(abs(i), abs(j))}}}' for q, i, j in square]
    return "[" + ", ".join(items) + "]"


sizes = st.one_of(st.integers(-2, 4), st.integers(14, 20), st.none())


@SETTINGS
@given(
    st.lists(qt.origins, min_size=1, max_size=30),
    # small sizes, and sizes around the largest no zoom refuses (17)
    st.one_of(st.integers(0, 5), st.integers(15, 20)),
)
def test_valid_batches_of_one_size(invoke, batch, size):
    bt.check_batch(invoke, [[origin, size] for origin in batch], reference)


@SETTINGS
@given(st.lists(qt.tiles(min_z=1).filter(lambda t: t[2] <= 4), min_size=1, max_size=5), st.data())
def test_squares_wider_than_the_grid(invoke, batch, data):
    size = data.draw(st.integers(2, 20))
    bt.check_batch(invoke, [[qt.quadint(*t), size] for t in batch], reference)


@SETTINGS
@given(st.lists(qt.mixed_origins, min_size=1, max_size=30), sizes)
def test_mixed_batches_of_one_size(invoke, batch, size):
    bt.check_batch(invoke, [[origin, size] for origin in batch], reference)


@SETTINGS
@given(st.lists(st.tuples(qt.mixed_origins, sizes).map(list), min_size=1, max_size=30))
def test_mixed_sizes(invoke, rows):
    bt.check_batch(invoke, rows, reference)
