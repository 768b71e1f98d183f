"""QUADBIN_BOUNDARY: whole batches against the reference library, row by row (not stored).

Valid cells, cells that are not, and nulls, mixed in one batch: the whole response must be
the text a per-row handler of the reference writes (quadbin_rows.one_cell_batch_tests), so a
wrong row named in an error, a result moved to another row or a float written differently
(tiny coordinates next to the equator or the prime meridian) fails.
"""

from pytest_carto import import_testing

qr = import_testing("quadbin_rows")

test_mixed_batches, test_large_batches, test_bad_row_after_good_ones = qr.one_cell_batch_tests(
    qr.boundary_text
)
