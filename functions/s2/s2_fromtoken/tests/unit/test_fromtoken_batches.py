"""S2_FROMTOKEN's whole-batch path against its per-row definition and the reference libraries,
on batches mixing valid rows, refused rows and nulls (s2_core.batch falls back row by row)."""

import re

import s2geometry
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_shared, import_testing, row_by_row

bt = import_testing("batch_testing")
s2t = import_testing("s2_testing")
definition = import_shared("s2_core.cells").from_token

SETTINGS = s2t.fixture_settings(100)

valid_rows = st.tuples(s2t.cells, st.booleans()).map(
    lambda p: [s2t.ref_token(p[0]).upper() if p[1] else s2t.ref_token(p[0])]
)
odd_rows = st.one_of(
    st.text("0123456789abcdefABCDEFxX ,-", max_size=18).map(lambda t: [t]),
    st.just([None]),
    st.just(None),
    st.just([5]),
    st.sampled_from(["4", "c", "8", "2", "0", "00", "40", "4000", "C", "B1", "1", "b"]).map(
        lambda t: [t]
    ),
)


def valid(*row):
    if len(row) != 1 or type(row[0]) is not str:
        return False
    token = row[0]
    return (
        bool(re.fullmatch(r"[0-9a-fA-F]{1,16}", token))
        and s2geometry.S2CellId.FromToken(token).is_valid()
    )


def reference(token):
    return s2t.signed(s2geometry.S2CellId.FromToken(token).id())


@SETTINGS
@given(bt.batches(valid_rows, odd_rows))
def test_batches_answer_as_row_by_row(respond, rows):
    assert respond(rows) == row_by_row(definition, rows)


@SETTINGS
@given(bt.batches(valid_rows, odd_rows))
def test_batches_answer_as_the_references(respond, rows):
    s2t.check_mixed(respond(rows), rows, valid, reference)


@s2t.fixture_settings(10)
@given(bt.large_batches(valid_rows, st.text("0123456789abcdefX ,", max_size=18)))
def test_large_batches_answer_as_row_by_row(respond, rows):
    assert respond(rows) == row_by_row(definition, rows)
