"""PLACEKEY_ISVALID against the placekey library, not stored."""

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
pkt = import_testing("placekey_testing")


@fixture_settings(120)
@given(st.lists(pkt.placekey_like() | st.none(), min_size=1, max_size=60))
def test_same_as_the_library(invoke, batch):
    results = invoke([[text] for text in batch])
    assert results == [text is not None and pkt.reference_placekey_is_valid(text) for text in batch]


@fixture_settings(100)
@given(st.lists(pkt.cells(st.just(10)), min_size=1, max_size=60))
def test_placekeys_of_resolution_10_cells_are_valid(invoke, batch):
    assert invoke([[pkt.placekey.h3_int_to_placekey(c)] for c in batch]) == [True] * len(batch)


@fixture_settings(100)
@given(st.lists(pkt.near_misses(pkt.cells(st.just(10))), min_size=1, max_size=60))
def test_valid_exactly_when_the_cell_is(invoke, batch):
    """The where part of any 64-bit value: valid exactly when the resolution-10 index it decodes
    to is an H3 cell (CARTO checks the format only)."""
    keys = [pkt.placekey.h3_int_to_placekey(v % pkt.U64) for v in batch]
    expected = [pkt.reference_is_valid_cell(pkt.placekey.placekey_to_h3_int(k)) for k in keys]
    assert invoke([[k] for k in keys]) == expected
