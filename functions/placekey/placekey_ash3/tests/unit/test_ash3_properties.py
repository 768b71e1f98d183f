"""PLACEKEY_ASH3 against the placekey library, not stored."""

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
pkt = import_testing("placekey_testing")


@fixture_settings(100)
@given(st.lists(pkt.cells(st.just(10)), min_size=1, max_size=100))
def test_resolution_10_cells_round_trip(invoke, batch):
    """A resolution-10 cell's placekey (the library's) decodes back to the cell."""
    results = invoke([[pkt.placekey.h3_int_to_placekey(c)] for c in batch])
    assert results == [format(c, "x") for c in batch]


@fixture_settings(120)
@given(st.lists(pkt.placekey_like(), min_size=1, max_size=60))
def test_placekey_like_texts_as_the_library(invoke, batch):
    results = invoke([[text] for text in batch])
    assert results == [pkt.reference_placekey_to_h3(text) for text in batch]


@fixture_settings(60)
@given(pkt.cells(st.integers(0, 15).filter(lambda r: r != 10)))
def test_other_resolutions_do_not_decode_to_a_cell(invoke, cell):
    """The placekey of a cell at another resolution decodes to a resolution-10 index with
    digits that are 7 (coarser) or dropped (finer): NULL unless that index is a cell."""
    key = pkt.placekey.h3_int_to_placekey(cell)
    (result,) = invoke([[key]])
    decoded = pkt.placekey.placekey_to_h3_int(key)
    assert result == (format(decoded, "x") if pkt.reference_is_valid_cell(decoded) else None)
    assert result != format(cell, "x")
