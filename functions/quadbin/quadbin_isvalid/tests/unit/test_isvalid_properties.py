"""QUADBIN_ISVALID against the reference library on random integers (not stored)."""

import quadbin
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
cells = import_testing("quadbin_testing").cells

SETTINGS = fixture_settings(150)


# Near misses of every test: a trailing bit, the resolution field (27-31 included), the header
# and mode bits; nulls are false.
values = st.one_of(
    st.integers(-(1 << 63), (1 << 63) - 1),
    cells,
    cells.map(lambda c: c ^ (1 << 3)),
    st.tuples(cells, st.integers(0, 31)).map(lambda t: t[0] & ~(31 << 52) | t[1] << 52),
    st.tuples(cells, st.integers(57, 62)).map(lambda t: t[0] ^ (1 << t[1])),
)


@SETTINGS
@given(st.lists(values | st.none(), min_size=1, max_size=200))
def test_same_as_reference(invoke, batch):
    expected = [v is not None and quadbin.is_valid_cell(v) for v in batch]
    assert invoke([[v] for v in batch]) == expected
