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
    st.just([None, 3]),
    st.just(None),
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


@st.composite
def large_batches(draw):
    """2,000 to 5,000 rows (a sample of up to 30 valid rows repeated); sometimes one row
    anywhere holds an id that is no cell. (batch_testing.large_batches puts a one-value row
    there: of another width, which the runtime refuses before the handler.)"""
    sample = draw(st.lists(valid_rows, min_size=1, max_size=30))
    size = draw(st.integers(2000, 5000))
    rows = (sample * (size // len(sample) + 1))[:size]
    if draw(st.booleans()):
        rows[draw(st.integers(0, size - 1))] = [draw(s2t.invalid_ids), 0]
    return rows


@s2t.fixture_settings(10)
@given(large_batches())
def test_large_batches_answer_as_row_by_row(respond, rows):
    assert respond(rows) == row_by_row(definition, rows)


@SETTINGS
@given(
    bt.batches(
        s2t.cells.map(lambda c: [c]), st.one_of(s2t.invalid_ids.map(lambda v: [v]), st.just(None))
    )
)
def test_one_argument_batches_answer_as_row_by_row(respond, rows):
    # the S2_TOPARENT(INT8) overload's batches: one value per row, the whole batch per row
    assert respond(rows) == row_by_row(definition, rows)
