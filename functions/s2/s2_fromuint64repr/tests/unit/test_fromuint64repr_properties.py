"""S2_FROMUINT64REPR: unsigned decimal text back to the INT8 of the same bits; bad text refused."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

s2t = import_testing("s2_testing")
fixture_settings = s2t.fixture_settings

SETTINGS = fixture_settings(200)


@SETTINGS
@given(st.lists(st.integers(0, (1 << 64) - 1), min_size=1, max_size=40))
def test_round_trip_with_the_unsigned_text(invoke, batch):
    results = invoke([[str(u)] for u in batch])
    assert results == [s2t.signed(u) for u in batch]
    assert all(-(1 << 63) <= r < 1 << 63 for r in results)


@SETTINGS
@given(st.text("0123456789-+ _x", max_size=25))
def test_only_unsigned_64_bit_decimals(invoke, text):
    if re.fullmatch(r"[0-9]+", text) and int(text) < 1 << 64 and len(text.lstrip("0")) <= 20:
        assert invoke([[text]]) == [s2t.signed(int(text))]
    else:
        with pytest.raises(InvocationError, match="Invalid uint64 representation"):
            invoke([[text]])
