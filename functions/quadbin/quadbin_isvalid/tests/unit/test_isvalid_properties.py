"""QUADBIN_ISVALID against the reference library on random integers (not stored)."""

import quadbin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# `invoke` holds no state between calls, so sharing it across examples is safe.
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def tiles(draw, max_z=26):
    z = draw(st.integers(0, max_z))
    return draw(st.integers(0, (1 << z) - 1)), draw(st.integers(0, (1 << z) - 1)), z


cells = tiles().map(quadbin.tile_to_cell)


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
@given(st.lists(values | st.none(), min_size=1))
def test_same_as_reference(invoke, batch):
    expected = [v is not None and quadbin.is_valid_cell(v) for v in batch]
    assert invoke([[v] for v in batch]) == expected
