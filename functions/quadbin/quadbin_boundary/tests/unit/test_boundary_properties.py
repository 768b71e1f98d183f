"""QUADBIN_BOUNDARY against the reference library on random cells (not stored)."""

import quadbin
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
qb = import_testing("quadbin_testing")
coordinates = qb.coordinates

SETTINGS = fixture_settings(200)


def carto_ring(cell):
    """The reference's ring (north-west, south-west, south-east, north-east) in CARTO's
    QUADBIN_BOUNDARY order: south-west, north-west, north-east, south-east, south-west."""
    nw, sw, se, ne, _ = quadbin.cell_to_boundary(cell)
    return [sw, nw, ne, se, sw]


@SETTINGS
@given(st.lists(qb.cells, min_size=1, max_size=50))
def test_same_polygon_as_reference(invoke, batch):
    results = invoke([[c] for c in batch])
    assert [coordinates(r) for r in results] == [[carto_ring(c)] for c in batch]
