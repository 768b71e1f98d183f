"""QUADINT_POLYFILL against quadbin's reference tile cover (not stored).

Both are the same tile-cover algorithm; away from the grid's edges and the polar rows
(where their treatments differ on purpose) they cover the same tiles.
"""

import json

import quadbin
from hypothesis import assume, given
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
    # the grid), the reference's walk can take one step past the end point into a tile the
    # geometry only touches (for the ring [[0, 0], [0, -50.625], [0, 0]] at zoom 6, tile
    # (32, 31), north of the equator), or stop before the end point's own tile (the line
    # [[0, 0], [90, 0]] at zoom 2 misses (3, 2), where (90, 0) is). Ours walks exactly to the
    # end point's own tile (module README; the ring_ending_on_the_equator cases and
    # test_covers_every_vertex pin those tiles); everywhere else nothing may differ.
    own, touched = quadbin_testing.edge_vertex_tiles(geometry, z)
    own = {quadint(x, y, z) for x, y in own}
    touched = {quadint(x, y, z) for x, y in touched}
    assert actual - own - touched == expected - own - touched


@SETTINGS
@given(shapes())
def test_covers_every_vertex(invoke, shape):
    geojson, z = shape
    try:
        (result,) = invoke([[geojson, z]])
    except InvocationError:
        return  # refused: too many tiles
    tiles = set(json.loads(result))
    coords = json.loads(geojson)["coordinates"]
    positions = [
        point_to_tile_fraction(lon, lat, z)[:2]
        for lon, lat in coords[0 if "Polygon" in geojson else slice(None)]
    ]
    # A line of one repeated position has no segment, hence no tile, in the reference too.
    assume(len(set(positions)) > 1)
    for x, y in positions:
        assert quadint(int(x), int(y), z) in tiles
