"""QUADINT_POLYFILL against quadbin's reference tile cover (not stored).

Both are the same tile-cover algorithm; away from the grid's edges and the polar rows
(where their treatments differ on purpose) they cover the same tiles.
"""

import json

import quadbin
from hypothesis import given
from hypothesis import strategies as st
from quadbin.utils import point_to_tile_fraction

from engine.invoke import InvocationError
from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
quadint = import_testing("quadint_testing").quadint
quadbin_testing = import_testing("quadbin_testing")

SETTINGS = fixture_settings(150)


@st.composite
def shapes(draw):
    z = draw(st.integers(2, 26))
    cell = 360.0 / (1 << z)
    lon = draw(st.floats(-170.0, 170.0))
    lat = draw(st.floats(-60.0, 60.0))
    offsets = st.tuples(st.floats(-10, 10), st.floats(-10, 10))
    coords = [
        [max(-179.0, min(179.0, lon + dx * cell)), max(-60.0, min(60.0, lat + dy * cell))]
        for dx, dy in draw(st.lists(offsets, min_size=2, max_size=6))
    ]
    if draw(st.booleans()):
        return json.dumps({"type": "Polygon", "coordinates": [[*coords, coords[0]]]}), z
    return json.dumps({"type": "LineString", "coordinates": coords}), z


def edge_touching_tiles(geometry, z):
    """Tiles whose closed square holds a vertex that lies exactly on a tile edge, though the
    vertex belongs (floor of its tile position, as every point does) to another tile."""
    kind = geometry["type"]
    rings = [geometry["coordinates"]] if kind == "LineString" else geometry["coordinates"]
    touched = set()
    for ring in rings:
        for lon, lat in ring:
            x, y, _ = point_to_tile_fraction(lon, lat, z)
            xs = {int(x), int(x) - 1} if x == int(x) else {int(x)}
            ys = {int(y), int(y) - 1} if y == int(y) else {int(y)}
            touched |= {quadint(i, j, z) for i in xs for j in ys} - {quadint(int(x), int(y), z)}
    return touched


@SETTINGS
@given(shapes())
def test_same_tiles_as_quadbin_reference(invoke, shape):
    geojson, z = shape
    geometry = json.loads(geojson)
    assert (
        quadbin_testing.reference_cover_cost(geometry, z) <= quadbin_testing.REFERENCE_COVER_BUDGET
    )
    expected = {quadint(*quadbin.cell_to_tile(c)) for c in quadbin.geometry_to_cells(geojson, z)}
    try:
        (result,) = invoke([[geojson, z]])
    except InvocationError:
        assert len(expected) > 3000
        return
    actual = set(json.loads(result))
    # Where a segment ends exactly on a tile edge (a vertex at latitude 0 or on a meridian of
    # the grid), the reference's walk accumulates its step parameter to 1 - 1 ulp and takes
    # one step past the end point, into a tile the geometry only touches: for the ring
    # [[0, 0], [0, -50.625], [0, 0]] at zoom 6 it adds tile (32, 31), north of the equator.
    # Ours ends at the end point's own tile (see the module README); nothing else may differ.
    assert actual <= expected
    assert expected - actual <= edge_touching_tiles(geometry, z)
