"""S2_FROMHILBERTQUADKEY against CARTO's definition (on s2sphere's projections), random keys."""

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
@given(st.lists(s2t.quadkeys, min_size=1, max_size=40))
def test_same_cell_as_cartos_definition(invoke, keys):
    results = invoke([[k] for k in keys])
    assert results == [s2t.carto_from_quadkey(k) for k in keys]
    assert [s2t.carto_quadkey(c) for c in results] == keys


@SETTINGS
@given(st.text("0123456789/ ", max_size=33))
def test_malformed_keys_are_refused(invoke, text):
    if re.fullmatch(r"[0-5]/[0-3]{0,30}", text):
        assert invoke([[text]]) == [s2t.carto_from_quadkey(text)]
    else:
        with pytest.raises(
            InvocationError, match="row 1 of 1: ValueError: Invalid Hilbert quadkey"
        ):
            invoke([[text]])
