"""S2_BOUNDARY against s2sphere (CARTO's library) and s2geometry on random cells."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

s2t = import_testing("s2_testing")
fixture_settings = s2t.fixture_settings

SETTINGS = fixture_settings(200)


def same_places(ring):
    """Longitudes where two texts may differ for one place: any at a pole, -180 for 180."""
    return [(0.0 if abs(lat) == 90 else 180.0 if lng == -180 else lng, lat) for lng, lat in ring]


@SETTINGS
@given(st.lists(s2t.cells, min_size=1, max_size=40))
def test_same_vertices_as_the_references(invoke, batch):
    for cell, text in zip(batch, invoke([[c] for c in batch]), strict=True):
        ring = s2t.wkt_ring(text)
        assert ring[:4] == s2t.ref_vertices(cell)
        # s2geometry's vertices carry a +0.0 where s2sphere's have -0.0 at some poles and on
        # the antimeridian (atan2 then gives 0 for 180 or 180 for -180): the same places
        assert same_places(ring[:4]) == same_places(s2t.google_vertices(cell))
        assert ring[4] == ring[0] and len(ring) == 5


@SETTINGS
@given(s2t.invalid_ids)
def test_ids_that_are_no_cell_are_refused(invoke, value):
    with pytest.raises(
        InvocationError, match=rf"row 1 of 1: ValueError: Invalid S2 cell id: {value}"
    ):
        invoke([[value]])
