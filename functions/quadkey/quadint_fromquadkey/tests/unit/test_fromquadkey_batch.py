"""QUADINT_FROMQUADKEY: whole batches against mercantile.quadkey_to_tile (not stored).

The handler reads a batch of valid quadkeys at once and sends any other batch row by row
through the definition (quadint_core's quadkey_to_zxy and from_zxy). Whatever the batch, its
whole response must be the text the per-row handler of that definition writes: the same
results, or the same error naming the same row.
"""

import mercantile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_carto import import_shared, import_testing, row_by_row

quadkey_to_zxy = import_shared("quadint_core").quadkey_to_zxy
quadint = import_testing("quadint_testing").quadint


def lambda_handler(quadkey):
    """The reference, named as the per-row handler (the name appears in argument-count
    errors): the key checked as the definition checks it (the same error texts), then the
    tile from mercantile."""
    quadkey_to_zxy(quadkey)
    tile = mercantile.quadkey_to_tile(quadkey)
    return quadint(tile.x, tile.y, tile.z)


bt = import_testing("batch_testing")

SETTINGS = bt.fixture_settings(300)


valid = st.one_of(
    st.text("0123", max_size=29),
    st.integers(0, 29).map(lambda z: "3" * z),
    st.integers(0, 29).map(lambda z: "0" * z),
)
invalid = st.one_of(
    st.text("0123", min_size=30, max_size=40),
    st.text("0123", min_size=255, max_size=300),
    st.tuples(st.text("0123", max_size=28), st.text("456789aAfF \x00٣é-", min_size=1, max_size=1))
    .map("".join)
    .map(lambda k: k[::-1] if len(k) % 2 else k),
    st.integers(0, 33),
    st.floats(allow_nan=False),
    st.booleans(),
    st.lists(st.text("0123", max_size=2), max_size=2),
    st.none(),
)


@SETTINGS
@given(
    bt.batches(
        valid.map(lambda k: [k]),
        invalid.map(lambda k: [k]) | st.just(None),  # widths: the runtime checks them
    )
)
def test_same_response_as_per_row(respond, rows):
    """Mostly batches of valid keys (read at once), else anything."""
    assert respond(rows) == row_by_row(lambda_handler, rows)


@settings(SETTINGS, max_examples=25)
@given(bt.large_batches(valid.map(lambda k: [k]), invalid))
def test_large_batches(respond, rows):
    """Batches over several chunks, with an invalid key in any of them."""
    assert respond(rows) == row_by_row(lambda_handler, rows)


@pytest.mark.parametrize(
    "rows",
    [
        [[""]],
        [["3" * 29]],
        [["0" * 29], [""], ["1"], ["2"], ["3"]],
        [["3001"], ["30a1"]],
        [["3001"], ["3" * 30]],
        [["3001"], [3001]],
    ],
)
def test_edges(respond, rows):
    assert respond(rows) == row_by_row(lambda_handler, rows)


def test_row_of_another_width(respond):
    """The runtime checks the rows' widths before the handler runs, and names the row."""
    assert respond([["3001"], ["3001", "0"]]) == (
        '{"success":false,"error_msg":"row 2 of 2: 2 arguments where the batch\'s rows have 1"}'
    )
