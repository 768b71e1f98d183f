"""S2_TOTOKEN's whole-batch path against its per-row definition and the reference libraries,
on batches mixing valid rows, refused rows and nulls (s2_core.batch falls back row by row)."""

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_shared, import_testing, row_by_row

bt = import_testing("batch_testing")
s2t = import_testing("s2_testing")
definition = import_shared("s2_core.cells").to_token

SETTINGS = s2t.fixture_settings(100)

valid_rows = s2t.cells.map(lambda c: [c])
odd_rows = st.one_of(s2t.invalid_ids.map(lambda v: [v]), st.just([None]), st.just(None))


def valid(*row):
    return len(row) == 1 and s2t.is_valid(row[0])


def reference(cell):
    return s2t.ref_token(cell)


@SETTINGS
@given(bt.batches(valid_rows, odd_rows))
def test_batches_answer_as_row_by_row(respond, rows):
    assert respond(rows) == row_by_row(definition, rows)


@SETTINGS
@given(bt.batches(valid_rows, odd_rows))
def test_batches_answer_as_the_references(respond, rows):
    s2t.check_mixed(respond(rows), rows, valid, reference)


@s2t.fixture_settings(10)
@given(bt.large_batches(valid_rows, s2t.invalid_ids))
def test_large_batches_answer_as_row_by_row(respond, rows):
    assert respond(rows) == row_by_row(definition, rows)
