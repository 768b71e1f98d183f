"""S2_TOUINT64REPR: the id s2geometry reads from the same 64 bits, for any INT8."""

import s2geometry
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

s2t = import_testing("s2_testing")
fixture_settings = s2t.fixture_settings

SETTINGS = fixture_settings(200)


@SETTINGS
@given(
    st.lists(st.one_of(s2t.cells, st.integers(s2t.INT8_MIN, s2t.INT8_MAX)), min_size=1, max_size=40)
)
def test_unsigned_text_of_the_same_bits(invoke, batch):
    results = invoke([[v] for v in batch])
    # s2geometry's S2CellId holds a uint64: the C++ side wraps a negative Python int into it
    assert results == [str(s2geometry.S2CellId(s2t.unsigned(v)).id()) for v in batch]
    assert [int(r) % (1 << 64) for r in results] == [v % (1 << 64) for v in batch]
