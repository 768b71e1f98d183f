"""QUADINT_TOQUADKEY: whole batches against mercantile.quadkey (not stored).

The handler writes a batch of valid quadints at once (in chunks of rows) and sends any other
batch row by row through the definition (quadint_core's check_quadint and quadkey). Whatever
the batch, its whole response must be the text a per-row handler of `lambda_handler` below
writes (the quadint checked, then mercantile's quadkey of its tile): the same results, or the
same error naming the same row.
"""

import mercantile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_carto import import_testing, row_by_row

bt = import_testing("batch_testing")
qt = import_testing("quadint_testing")
quadint = qt.quadint


def lambda_handler(q):
    """The reference, named as the per-row handler (the name appears in argument-count
    errors): the quadint checked, then mercantile's quadkey."""
    return mercantile.quadkey(*qt.tile_of(q))


SETTINGS = bt.fixture_settings(300)

valid = qt.corner_quadints() | st.booleans()
invalid = qt.not_quadints


@SETTINGS
@given(bt.batches(valid.map(lambda q: [q]), invalid.map(lambda q: [q]) | st.just(None)))
def test_same_response_as_per_row(respond, rows):
    """Mostly batches of valid quadints (written at once), else anything."""
    assert respond(rows) == row_by_row(lambda_handler, rows)


@settings(SETTINGS, max_examples=25)
@given(bt.large_batches(valid.map(lambda q: [q]), invalid))
def test_large_batches(respond, rows):
    """Batches over several chunks, with an invalid row in any of them."""
    assert respond(rows) == row_by_row(lambda_handler, rows)


@pytest.mark.parametrize(
    "rows",
    [
        [[0]],
        [[False], [True], [0], [33]],
        [[4388], [0]],
        [[0], [0], [4388], [0]],
        [[quadint((1 << 29) - 1, (1 << 29) - 1, 29)], [quadint(0, 0, 29)]],
        [[4388], [-4388]],
        [[4388], [4388.0]],
        [[4388], [1 << 64]],
    ],
)
def test_edges(respond, rows):
    assert respond(rows) == row_by_row(lambda_handler, rows)


def test_row_of_another_width(respond):
    """The runtime checks the rows' widths before the handler runs, and names the row."""
    assert respond([[4388], [4388, 1]]) == (
        '{"success":false,"error_msg":"row 2 of 2: 2 arguments where the batch\'s rows have 1"}'
    )
