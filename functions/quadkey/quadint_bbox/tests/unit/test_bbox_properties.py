"""QUADINT_BBOX: whole batches against mercantile, row by row (not stored).

The handler answers the batch at once (one loop for the bounds, one encoding for the
floats); each result must be the text json.dumps writes for mercantile.bounds (compact),
and an error must name the first row (nulls aside) that is not a valid quadint.
"""

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing, row_by_row

fixture_settings = import_testing("batch_testing").fixture_settings
qt = import_testing("quadint_testing")

SETTINGS = fixture_settings(150)


def reference(q):
    return qt.bounds_text(qt.tile_of(q))


quadints = qt.tiles(middle_lines=True).map(lambda t: qt.quadint(*t))
bad_quadints = qt.bad_quadints(middle_lines=True)


@SETTINGS
@given(st.lists(quadints, min_size=1, max_size=60))
def test_valid_batches(respond, batch):
    rows = [[q] for q in batch]
    assert respond(rows) == row_by_row(reference, rows)


@SETTINGS
@given(st.lists(st.one_of(quadints, quadints, bad_quadints, st.none()), min_size=1, max_size=30))
def test_mixed_batches(respond, batch):
    rows = [[q] for q in batch]
    assert respond(rows) == row_by_row(reference, rows)
