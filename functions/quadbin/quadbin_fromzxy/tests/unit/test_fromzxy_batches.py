"""QUADBIN_FROMZXY: whole batches against the reference library, row by row (not stored).

Mostly valid tiles, with bad rows (resolution outside 0-26, x or y outside the grid) and nulls
anywhere in the batch: the whole response must be the text a per-row handler of the reference
writes, so a wrong row named in an error or a result moved to another row fails.
"""

import quadbin
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing, row_by_row

bt = import_testing("batch_testing")
qr = import_testing("quadbin_rows")

SETTINGS = bt.fixture_settings(200)

tiles = qr.edge_tiles().map(lambda t: [t[2], t[0], t[1]])
bad_tiles = st.one_of(
    st.tuples(st.integers(-3, -1) | st.integers(27, 40), st.integers(0, 3), st.integers(0, 3)),
    qr.edge_tiles().map(lambda t: (t[2], t[0] + (1 << t[2]), t[1])),  # x past the grid
    qr.edge_tiles().map(lambda t: (t[2], t[0], -1 - t[1])),  # y negative
).map(list)


def reference(z, x, y):
    if z < 0 or z > 26:
        raise ValueError("Invalid resolution: should be between 0 and 26")
    if x < 0 or y < 0 or x >> z or y >> z:
        raise ValueError(f"Invalid tile: x and y must be between 0 and {(1 << z) - 1} at z={z}")
    return quadbin.tile_to_cell((x, y, z))


@SETTINGS
@given(qr.mixed(tiles, bad_tiles | st.tuples(st.none(), st.just(0), st.just(0)).map(list)))
def test_mixed_batches(respond, rows):
    assert respond(rows) == row_by_row(reference, rows)


def test_bad_row_after_good_ones(respond):
    rows = [[4, 9, 8], [0, 0, 0], [30, 0, 0], [4, 16, 0]]
    text = respond(rows)
    assert '"row 3 of 4: ValueError: Invalid resolution: should be between 0 and 26"' in text
    assert text == row_by_row(reference, rows)
