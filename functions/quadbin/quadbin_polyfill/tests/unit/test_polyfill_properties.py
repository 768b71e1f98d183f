"""QUADBIN_POLYFILL against the reference library on random geometries (not stored)."""

import json

import pytest
import quadbin
from hypothesis import assume, given
from hypothesis import strategies as st
from quadbin.tilecover import from_tile_hash, to_tile_hash
from quadbin.utils import point_to_tile_fraction

from engine.invoke import InvocationError
from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
quadbin_testing = import_testing("quadbin_testing")


def polyfill(invoke, geojson: str, resolution: int) -> list[int]:
    (result,) = invoke([[geojson, resolution]])
    # SUPER travels as JSON text; accept an already decoded value too.
    return json.loads(result) if isinstance(result, str) else result


def assert_same_cells(actual, expected, geojson, resolution):
    """As multisets: where the reference's traversal leaves the grid, two of its tiles can
    encode to one cell, and the duplicate is part of its result. Tiles around a vertex that
    lies exactly on a tile edge are left out: the reference's float walk can step past such an
    end point, or stop before its tile; ours walks exactly to it (README, the
    ring_ending_on_the_equator case and test_covers_every_vertex pin those tiles)."""
    own, touched = quadbin_testing.edge_vertex_tiles(json.loads(geojson), resolution)
    # encoded as the reference encodes its tiles, through its tile hash
    own, touched = (
        {quadbin.tile_to_cell(from_tile_hash(to_tile_hash(x, y, resolution))) for x, y in tiles}
        for tiles in (own, touched)
    )
    ambiguous = own | touched
    assert sorted(c for c in actual if c not in ambiguous) == sorted(
        c for c in expected if c not in ambiguous
    )


@st.composite
def shapes(draw):
    """A resolution and a geometry a few dozen cells wide at that resolution."""
    resolution = draw(st.integers(0, 26))
    cell = 360.0 / (1 << resolution)
    # Whole numbers too: vertices on tile edges are where grid traversals go wrong.
    # +180 is drawn on purpose (clamped or whole): the reference wraps it to the first column,
    # so a segment ending there crosses the whole world (see reference_cover_cost).
    lon = draw(st.floats(-180.0, 180.0) | st.integers(-180, 180).map(float))
    lat = draw(st.floats(-85.0, 85.0) | st.integers(-85, 85).map(float))
    offset = st.floats(-20, 20) | st.integers(-20, 20).map(float)
    offsets = st.tuples(offset, offset)
    points = draw(st.lists(offsets, min_size=1, max_size=8))
    coords = [
        [max(-180.0, min(180.0, lon + dx * cell)), max(-85.0, min(85.0, lat + dy * cell))]
        for dx, dy in points
    ]
    kind = draw(st.sampled_from(["Polygon", "LineString", "MultiPoint"]))
    if kind == "Polygon":
        geometry = {"type": "Polygon", "coordinates": [[*coords, coords[0]]]}
    elif kind == "LineString":
        geometry = {"type": "LineString", "coordinates": [*coords, coords[0]]}
    else:
        geometry = {"type": "MultiPoint", "coordinates": coords}
    return json.dumps(geometry), resolution, coords


@fixture_settings(300)
@given(shapes())
def test_same_cells_as_reference(invoke, shape):
    geojson, resolution, _ = shape
    cost = quadbin_testing.reference_cover_cost(json.loads(geojson), resolution)
    if cost > quadbin_testing.REFERENCE_COVER_BUDGET:
        # Only a segment wrapped across the antimeridian costs this much here (the shapes are
        # a few dozen cells wide otherwise): a walk of at least 2^z - 40 tiles, far above the
        # 3,276-cell limit, which the handler refuses from the end points, without walking.
        with pytest.raises(InvocationError, match="the limit is 3,276 cells"):
            polyfill(invoke, geojson, resolution)
        return
    expected = quadbin.geometry_to_cells(geojson, resolution)
    try:
        actual = polyfill(invoke, geojson, resolution)
    except InvocationError as exc:
        assert len(set(expected)) > 3276, exc  # refused only when it cannot be returned
        return
    assert_same_cells(actual, expected, geojson, resolution)


@fixture_settings(200)
@given(shapes())
def test_covers_every_vertex(invoke, shape):
    geojson, resolution, coords = shape
    # A line whose vertices all project to the same tile position has no segment, hence no
    # cell, in the reference too (rows are clipped to 2^z - 1, so this happens in the last
    # row and at resolution 0): the property is about lines that have a length.
    positions = {point_to_tile_fraction(lon, lat, resolution)[:2] for lon, lat in coords}
    assume("MultiPoint" in geojson or len(positions) > 1)
    try:
        cells = polyfill(invoke, geojson, resolution)
    except InvocationError:
        return
    for lon, lat in coords:
        assert quadbin.point_to_cell(lon, lat, resolution) in cells


@fixture_settings(60)
@given(st.integers(0, 12), st.floats(-85.0, 85.0), st.integers(1, 20))
def test_antimeridian_wrap_at_cheap_resolutions(invoke, resolution, lat, width):
    """A ring touching +180, where the reference is cheap (2^12 tiles at most): the same cells
    (a ring reaching +180 wraps to the first column in both, as the reference defines it)."""
    cell = 360.0 / (1 << resolution)
    west = max(-180.0, 180.0 - width * cell)
    north = min(85.0, lat + cell)
    ring = [[west, lat], [180.0, lat], [180.0, north], [west, north], [west, lat]]
    geojson = json.dumps({"type": "Polygon", "coordinates": [ring]})
    cost = quadbin_testing.reference_cover_cost(json.loads(geojson), resolution)
    assert cost <= quadbin_testing.REFERENCE_COVER_BUDGET
    expected = quadbin.geometry_to_cells(geojson, resolution)
    try:
        actual = polyfill(invoke, geojson, resolution)
    except InvocationError as exc:
        assert len(set(expected)) > 3276, exc
        return
    assert_same_cells(actual, expected, geojson, resolution)
