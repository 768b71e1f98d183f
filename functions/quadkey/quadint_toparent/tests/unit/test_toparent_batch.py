"""QUADINT_TOPARENT: whole batches against mercantile.parent (not stored).

The handler computes a batch of valid rows on lanes and sends any other batch row by row
through its per-row definition. Whatever the batch, its whole response must be the text a
per-row handler of `reference` writes: mercantile's parent for every row of integers, the
same error naming the same row otherwise. Arguments that are not integers (floats) fail as
the per-row definition fails on them.
"""

import mercantile
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing, row_by_row

bt = import_testing("batch_testing")
qt = import_testing("quadint_testing")
quadint = qt.quadint


def lambda_handler(q, resolution):
    """The reference, named as the per-row handler is (the name appears in argument-count
    errors): the quadint checked, then the resolution (below the quadint's zoom), then
    mercantile's parent."""
    x, y, z = qt.tile_of(q)
    if z == 0:
        raise ValueError("Wrong quadint zoom: a zoom 0 quadint has no parent")
    if resolution < 0 or resolution >= z:
        raise ValueError(
            f"Wrong resolution: invalid resolution, should be between 0 and {z - 1} "
            f"for a zoom {z} quadint"
        )
    if type(resolution) is float:  # shifting by a float fails as in the definition
        return x >> (z - resolution)
    parent = mercantile.parent(mercantile.Tile(x, y, z), zoom=int(resolution))
    return quadint(parent.x, parent.y, parent.z)


SETTINGS = bt.fixture_settings(300)


@st.composite
def valid_rows(draw):
    q = draw(qt.corner_quadints(min_z=1) | st.just(True))
    z = q & 31
    r = draw(st.sampled_from([0, z - 1]) | st.integers(0, z - 1))
    return [q, draw(st.just(r) | st.just(bool(r)))] if r <= 1 else [q, r]


invalid_quadints = st.one_of(qt.not_quadints, st.just(0))  # zoom 0: no parent
any_resolution = st.one_of(
    st.integers(-3, 40), st.integers(250, 300), st.floats(-1, 40), st.booleans(), st.none()
)
# Mostly batches the lanes take (valid rows), else anything.
batches = bt.batches(
    valid_rows(),
    st.one_of(
        st.tuples(invalid_quadints, any_resolution).map(list),
        st.tuples(qt.corner_quadints(), any_resolution).map(list),
        st.sampled_from([None, [None, 1], [4388, None]]),  # widths: the runtime checks them
    ),
)


@SETTINGS
@given(batches)
def test_same_response_as_per_row(respond, rows):
    assert respond(rows) == row_by_row(lambda_handler, rows)


@pytest.mark.parametrize(
    "rows",
    [
        [[quadint((1 << 29) - 1, (1 << 29) - 1, 29), 0], [quadint(5, 7, 29), 28]],
        [[True, 0], [True, False], [4388, True]],
        [[4388, 3], [4388, 4]],
        [[4388, 3], [4388, 3.0]],
        [[4388, 3], [4388, 256]],
    ],
)
def test_edges(respond, rows):
    assert respond(rows) == row_by_row(lambda_handler, rows)


def test_row_of_another_width(respond):
    """The runtime checks the rows' widths before the handler runs, and names the row."""
    assert respond([[4388, 3], [4388, 1, 1]]) == (
        '{"success":false,"error_msg":"row 2 of 2: 3 arguments where the batch\'s rows have 2"}'
    )
