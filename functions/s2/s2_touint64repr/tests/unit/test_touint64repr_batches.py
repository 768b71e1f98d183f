"""S2_TOUINT64REPR's whole-batch path against its per-row definition and the reference libraries,
on batches mixing valid rows, refused rows and nulls (s2_core.batch falls back row by row)."""

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_shared, import_testing, row_by_row

bt = import_testing("batch_testing")
s2t = import_testing("s2_testing")
definition = import_shared("s2_core.cells").to_uint64_repr

SETTINGS = bt.fixture_settings(100)

valid_rows = st.one_of(s2t.cells, st.integers(s2t.INT8_MIN, s2t.INT8_MAX)).map(lambda v: [v])
odd_rows = st.one_of(
    st.integers(1 << 63, 1 << 70).map(lambda v: [v]),
    st.integers(-(1 << 70), s2t.INT8_MIN - 1).map(lambda v: [v]),
    st.just(["5"]),
    st.just([None]),
    st.just(None),
)


def valid(*row):
    return len(row) == 1 and type(row[0]) is int and s2t.INT8_MIN <= row[0] <= s2t.INT8_MAX


def reference(value):
    return str(value % (1 << 64))


@SETTINGS
@given(bt.batches(valid_rows, odd_rows))
def test_batches_answer_as_row_by_row(respond, rows):
    assert respond(rows) == row_by_row(definition, rows)


@SETTINGS
@given(bt.batches(valid_rows, odd_rows))
def test_batches_answer_as_the_references(respond, rows):
    s2t.check_mixed(respond(rows), rows, valid, reference)


@bt.fixture_settings(10)
@given(bt.large_batches(valid_rows, st.integers(1 << 63, 1 << 70)))
def test_large_batches_answer_as_row_by_row(respond, rows):
    assert respond(rows) == row_by_row(definition, rows)
