"""QUADBIN_SIBLING: whole batches against the reference library, row by row (not stored).

Valid cells with one direction (the whole-batch path) or several, cells that are not,
directions that are not and nulls, mixed in one batch: the whole response must be the text a
per-row handler of the reference writes, so a wrong row named in an error or a result (or a
null past the grid's edge) moved to another row fails.
"""

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing, row_by_row

bt = import_testing("batch_testing")
qr = import_testing("quadbin_rows")

SETTINGS = bt.fixture_settings(200)

names = st.sampled_from(["up", "down", "left", "right", "UP", "Left", "dOWN"])
bad_names = st.sampled_from(["north", "", "up "])


@st.composite
def batches(draw):
    one = draw(names)
    directions = st.just(one) if draw(st.booleans()) else names
    valid = st.tuples(qr.cells, directions).map(list)
    bad = st.one_of(
        st.tuples(qr.not_cells, directions).map(list),
        st.tuples(qr.cells, bad_names).map(list),
        st.tuples(st.none(), directions).map(list),
        st.tuples(qr.cells, st.none()).map(list),
    )
    return draw(qr.mixed(valid, bad, max_size=60))


def reference(cell, direction):
    return qr.sibling(cell, direction)


@SETTINGS
@given(batches())
def test_mixed_batches(respond, rows):
    assert respond(rows) == row_by_row(reference, rows)


def test_edges_and_bad_rows(respond):
    first = 5192650370358181887 + 0  # resolution 0: no sibling
    rows = [[5209574053332910079, "up"], [first, "up"], [1234, "up"], [5209574053332910079, "x"]]
    text = respond(rows)
    assert '"row 3 of 4: ValueError: Invalid quadbin cell: 1234"' in text
    assert text == row_by_row(reference, rows)
