"""Quadbin helpers for function tests: random tiles and cells (from the `quadbin` reference
library), and the coordinates of a GeoJSON result."""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any

import quadbin
from hypothesis import strategies as st


@st.composite
def tiles(draw: st.DrawFn, max_z: int = 26) -> tuple[int, int, int]:
    """(x, y, z), any tile of zoom 0 to `max_z`."""
    z = draw(st.integers(0, max_z))
    return draw(st.integers(0, (1 << z) - 1)), draw(st.integers(0, (1 << z) - 1)), z


# any valid cell, as the reference encodes the tile
cells = tiles().map(quadbin.tile_to_cell)


def coordinates(result: Any) -> Any:
    """The coordinates of a GeoJSON result, as JSON text or already decoded."""
    return (json.loads(result) if isinstance(result, str) else result)["coordinates"]


def reference_cover_cost(geometry: dict[str, Any], z: int) -> int:
    """How many tiles `quadbin.geometry_to_cells` stores for a Point, MultiPoint, LineString or
    Polygon at resolution `z`, bounded from above in closed form, so that a test can decide
    *before* calling the reference whether the call is affordable (each stored tile costs it
    about 265 bytes).

    The reference walks every segment tile by tile between the tiles of its end points and
    keeps every step in a list: |dx| + |dy| + 1 tiles a segment. A polygon then fills the
    scanline spans between its ring's crossings, which lie in the bounding box of the ring's
    tiles. Positions are the reference's own projection (`point_to_tile_fraction`), which wraps
    x modulo 2^z: longitude +180 lands on x = 0, the first column, not the last. So a segment
    from 179.99 to +180 runs across the whole world, 2^z tiles (2^26 at resolution 26, many GB),
    while the geometry itself is a few metres long: that is why +180 is special.
    """
    from quadbin.utils import point_to_tile_fraction

    def tile(position: Any) -> tuple[int, int]:
        x, y, _ = point_to_tile_fraction(position[0], position[1], z)
        return int(x), int(y)

    kind = geometry["type"]
    if kind == "Point":
        return 1
    if kind == "MultiPoint":
        return len(geometry["coordinates"])
    rings = [geometry["coordinates"]] if kind == "LineString" else geometry["coordinates"]
    cost = 0
    for ring in rings:
        tiles_ = [tile(p) for p in ring]
        cost += sum(abs(b[0] - a[0]) + abs(b[1] - a[1]) + 1 for a, b in pairwise(tiles_))
        if kind == "Polygon":
            xs = [t[0] for t in tiles_]
            ys = [t[1] for t in tiles_]
            cost += (max(xs) - min(xs) + 1) * (max(ys) - min(ys) + 1)
    return cost


def edge_vertex_tiles(
    geometry: dict[str, Any], z: int
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """For the vertices lying exactly on a tile edge: their own (x, y) tiles (the tile position
    rounded down, as for every point), and the tiles whose closed square holds such a vertex
    though it belongs to another one ("touched").

    There the reference's walk depends on how a float sum lands: its step parameter, summed
    1/|dx| at a time, must reach 1 at the end point, and may stop at 1 - 1 ulp (one step past
    the end point, into a touched tile) or at exactly 1 (the end point's own tile never
    entered). Ours steps exactly to the end point's own tile. Comparisons with the reference
    leave these tiles out; explicit cases and the vertex-coverage test pin our answer."""
    from quadbin.utils import point_to_tile_fraction

    kind = geometry["type"]
    own: set[tuple[int, int]] = set()
    touched: set[tuple[int, int]] = set()
    if kind in ("Point", "MultiPoint"):
        return own, touched
    rings = [geometry["coordinates"]] if kind == "LineString" else geometry["coordinates"]
    for ring in rings:
        for lon, lat in ring:
            x, y, _ = point_to_tile_fraction(lon, lat, z)
            tile = (int(x), int(y))
            if x != tile[0] and y != tile[1]:
                continue
            xs = {tile[0], tile[0] - 1} if x == tile[0] else {tile[0]}
            ys = {tile[1], tile[1] - 1} if y == tile[1] else {tile[1]}
            own.add(tile)
            touched |= {(i, j) for i in xs for j in ys} - {tile}
    return own, touched - own


# Above this many tiles (about 50 MB in the reference) a test does not call the reference.
REFERENCE_COVER_BUDGET = 200_000
