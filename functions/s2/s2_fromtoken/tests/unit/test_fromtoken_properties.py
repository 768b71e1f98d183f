"""S2_FROMTOKEN against s2sphere, s2cell and s2geometry on random cells and random text."""

import re

import pytest
import s2geometry
from hypothesis import given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

s2t = import_testing("s2_testing")
fixture_settings = s2t.fixture_settings

SETTINGS = fixture_settings(200)


@SETTINGS
@given(st.lists(s2t.cells, min_size=1, max_size=40), st.booleans())
def test_tokens_of_cells_read_back(invoke, batch, upper):
    tokens = [s2t.ref_token(c) for c in batch]
    if upper:
        tokens = [t.upper() for t in tokens]
    results = invoke([[t] for t in tokens])
    assert results == batch
    assert results == [s2t.s2cell_from_token(t.lower()) for t in tokens]


@SETTINGS
@given(st.text("0123456789abcdefABCDEFxX -", min_size=0, max_size=18))
def test_any_text_as_s2geometry_reads_it(invoke, text):
    valid = re.fullmatch(r"[0-9a-fA-F]{1,16}", text) is not None
    google = s2geometry.S2CellId.FromToken(text)
    if valid and google.is_valid():
        assert invoke([[text]]) == [s2t.signed(google.id())]
    else:
        with pytest.raises(InvocationError, match=r"row 1 of 1: ValueError: Invalid S2 token"):
            invoke([[text]])
