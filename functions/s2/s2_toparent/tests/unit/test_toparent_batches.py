"""S2_TOPARENT's whole-batch path against its per-row definition and the reference libraries,
on batches mixing valid rows, refused rows and nulls (s2_core.batch falls back row by row)."""

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_shared, import_testing, row_by_row

bt = import_testing("batch_testing")
s2t = import_testing("s2_testing")
definition = import_shared("s2_core.cells").parent

SETTINGS = s2t.fixture_settings(100)

valid_rows = st.tuples(s2t.cells, st.integers(0, 30)).map(
    lambda p: [p[0], min(p[1], s2t.ref_level(p[0]))]
)
odd_rows = st.one_of(
    st.tuples(s2t.invalid_ids, st.integers(0, 30)).map(list),
    st.tuples(s2t.cells, st.integers(-3, 40)).map(list),
    s2t.cells.map(lambda c: [c]),
    st.just([None, 3]),
    st.just(None),
    st.just([1, 2, 3]),
)


def valid(*row):
    if not 1 <= len(row) <= 2 or not s2t.is_valid(row[0]):
        return False
    level = s2t.ref_level(row[0])
    return level > 0 if len(row) == 1 else 0 <= row[1] <= level


def reference(cell, resolution=None):
    return s2t.ref_parent(cell, resolution)


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
