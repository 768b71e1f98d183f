"""QUADBIN_BOUNDARY: whole batches against the reference library, row by row (not stored).

Valid cells, cells that are not, and nulls, mixed in one batch: the whole response must be
the text a per-row handler of the reference writes, so a wrong row named in an error, a
result moved to another row or a float written differently (tiny coordinates next to the
equator or the prime meridian) fails.
"""

from hypothesis import given, settings

from pytest_carto import import_testing, row_by_row

bt = import_testing("batch_testing")
qr = import_testing("quadbin_rows")

SETTINGS = bt.fixture_settings(200)


def reference(cell):
    return qr.boundary_text(cell)


@SETTINGS
@given(qr.mixed(qr.cells.map(lambda c: [c]), qr.not_cells.map(lambda c: [c])))
def test_mixed_batches(respond, rows):
    assert respond(rows) == row_by_row(reference, rows)


@settings(SETTINGS, max_examples=10)
@given(bt.large_batches(qr.cells.map(lambda c: [c]), qr.not_cells))
def test_large_batches(respond, rows):
    assert respond(rows) == row_by_row(reference, rows)


def test_bad_row_after_good_ones(respond):
    """Hand-written: the third row is named."""
    rows = [[5209574053332910079], [5192650370358181887], [1234], [-1]]
    assert '"row 3 of 4: ValueError: Invalid quadbin cell: 1234"' in respond(rows)
    assert respond(rows) == row_by_row(reference, rows)
