"""S2_FROMUINT64REPR's whole-batch path against its per-row definition and the reference libraries,
on batches mixing valid rows, refused rows and nulls (s2_core.batch falls back row by row)."""

import re

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_shared, import_testing, row_by_row

bt = import_testing("batch_testing")
s2t = import_testing("s2_testing")
definition = import_shared("s2_core.cells").from_uint64_repr

SETTINGS = s2t.fixture_settings(100)

valid_rows = st.integers(0, (1 << 64) - 1).map(lambda u: [str(u)])
odd_rows = st.one_of(
    st.text("0123456789-+ ,x", max_size=22).map(lambda t: [t]),
    st.just([str(1 << 64)]),
    st.just([None]),
    st.just(None),
    st.just([5]),
)


def valid(*row):
    return (
        len(row) == 1
        and type(row[0]) is str
        and bool(re.fullmatch(r"[0-9]+", row[0]))
        and int(row[0]) < 1 << 64
    )


def reference(text):
    return s2t.signed(int(text))


@SETTINGS
@given(bt.batches(valid_rows, odd_rows))
def test_batches_answer_as_row_by_row(respond, rows):
    assert respond(rows) == row_by_row(definition, rows)


@SETTINGS
@given(bt.batches(valid_rows, odd_rows))
def test_batches_answer_as_the_references(respond, rows):
    s2t.check_mixed(respond(rows), rows, valid, reference)


@s2t.fixture_settings(10)
@given(bt.large_batches(valid_rows, st.text("0123456789- ,", max_size=22)))
def test_large_batches_answer_as_row_by_row(respond, rows):
    assert respond(rows) == row_by_row(definition, rows)
