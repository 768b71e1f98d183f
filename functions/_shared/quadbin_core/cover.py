"""Polyfill: the cells a GeoJSON geometry touches ("intersects" coverage).

Same algorithm and float arithmetic as the reference library (a tile-cover port): a grid
traversal along every line and ring, then a scanline fill between the ring crossings of each
tile row. Results are the same set of cells. What differs is the bookkeeping (cells are kept
as integer keys in a set instead of hashes decoded through floats) and the limits: the
request is refused as soon as the result is known to exceed MAX_CELLS, before the work for
it is done, because such a result cannot be returned anyway.

Where the reference crashes (a vertex at exactly +-90 degrees latitude divides by zero) the
tile row is clipped as the reference clips every other latitude.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import pairwise

from quadbin_core.cells import CELL_BASE, FOOTER, check_resolution, tile_to_cell
from quadbin_core.limits import TooManyCells

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds of every cold start
    from typing import Any

_sin = math.sin
_log = math.log
_floor = math.floor
_PI = math.pi
_INF = float("inf")


class Cover:
    """Cells of one request at resolution z, capped at `limit`.

    Tiles are kept as keys y * 2^(z+1) + x, the reference's own tile hash (divided by 32):
    its grid traversal can overshoot the grid by one tile (x or y of -1 or 2^z) when a
    segment ends exactly on the grid's edge, and such tiles must decode as they do there.
    """

    def __init__(self, resolution: int, limit: int, name: str = "polyfill") -> None:
        self.check_resolution(resolution)
        self.z = resolution
        self.z2 = 1 << resolution
        self.dim = 2 << resolution
        self.limit = limit
        self.name = name
        self.keys: set[int] = set()

    check_resolution = staticmethod(check_resolution)

    # -- limits ----------------------------------------------------------------------------

    def refuse(self, at_least: int | None = None) -> None:
        many = f"at least {at_least:,}" if at_least is not None else f"more than {self.limit:,}"
        raise TooManyCells(
            f"{self.name} would return {many} cells at resolution {self.z}; the limit is "
            f"{self.limit:,} cells per row (one result must fit in a 65,535-byte "
            "VARCHAR(MAX)). Use a lower resolution or split the geometry"
        )

    def size(self) -> int:
        """How many cells the result holds so far."""
        return len(self.keys)

    def _check_size(self) -> None:
        if self.size() > self.limit:
            self.refuse()

    # -- projection ------------------------------------------------------------------------

    def fraction(self, position: Any) -> tuple[float, float]:
        """Fractional tile coordinates of a [lon, lat] position (the reference's formula)."""
        lon = position[0]
        lat = position[1]
        z2 = self.z2
        sinlat = _sin(lat * _PI / 180.0)
        x = z2 * (lon / 360.0 + 0.5)
        if sinlat == 1.0:
            y = 0
        elif sinlat == -1.0:
            y = z2 - 1
        else:
            yfraction = 0.5 - 0.25 * _log((1 + sinlat) / (1 - sinlat)) / _PI
            y = max(min(z2 * yfraction, z2 - 1), 0)
        x = x % z2
        if x < 0:
            x = x + z2
        return x, y

    # -- geometries ------------------------------------------------------------------------

    def point(self, position: Any) -> None:
        x, y = self.fraction(position)
        self.keys.add(int(_floor(y)) * self.dim + int(_floor(x)))
        self._check_size()

    def line(self, coords: Any, ring: list[tuple[int, int]] | None = None) -> None:
        """Grid traversal of a line; with `ring`, also records the tile where a row starts."""
        keys = self.keys
        dim = self.dim
        points = [self.fraction(p) for p in coords]
        prev_x = prev_y = y = None
        for (x0, y0), (x1, y1) in pairwise(points):
            dx = x1 - x0
            dy = y1 - y0
            if dy == 0 and dx == 0:
                continue
            x = _floor(x0)
            y = _floor(y0)
            # Every tile of one segment is distinct: a segment longer than the limit is
            # refused from its end points, before walking it.
            steps = abs(_floor(x1) - x) + abs(_floor(y1) - y)
            if steps > self.limit + 2:
                self.refuse(steps - 1)
            sx = 1 if dx > 0 else -1
            sy = 1 if dy > 0 else -1
            t_max_x = _INF if dx == 0 else abs(((1 if dx > 0 else 0) + x - x0) / dx)
            t_max_y = _INF if dy == 0 else abs(((1 if dy > 0 else 0) + y - y0) / dy)
            tdx = _INF if dx == 0 else abs(sx / dx)
            tdy = _INF if dy == 0 else abs(sy / dy)
            if x != prev_x or y != prev_y:
                keys.add(y * dim + x)
                if ring is not None and y != prev_y:
                    ring.append((x, y))
                prev_x = x
                prev_y = y
            # The walk takes exactly one step per column and per row between the end points'
            # own tiles, so it ends in the end point's tile. (The reference stops when its
            # accumulated step parameter reaches 1; where an end point lies exactly on a tile
            # edge, the sum can stop at 1 - 1 ulp and step into a tile the segment only
            # touches: [[0, 0], [0, -50.625]] back to [0, 0] at zoom 6 reached row 31, north
            # of the equator.)
            left_x = abs(_floor(x1) - x)
            left_y = abs(_floor(y1) - y)
            while left_x or left_y:
                if left_x and (not left_y or t_max_x < t_max_y):
                    t_max_x += tdx
                    x += sx
                    left_x -= 1
                else:
                    t_max_y += tdy
                    y += sy
                    left_y -= 1
                keys.add(y * dim + x)
                if ring is not None and y != prev_y:
                    ring.append((x, y))
                prev_x = x
                prev_y = y
            if self.size() > self.limit:
                self.refuse()
        if ring and y == ring[0][1]:
            ring.pop()

    def polygon(self, rings: Any) -> None:
        crossings: list[tuple[int, int]] = []
        for coords in rings:
            ring: list[tuple[int, int]] = []
            self.line(coords, ring)
            n = len(ring)
            before = ring[n - 1][1] if n else None
            for j in range(n):
                y = ring[j][1]
                after = ring[(j + 1) % n][1]
                # A crossing unless the tile row is a local extremum or repeats the next one.
                if (y > before or y > after) and (y < before or y < after) and y != after:
                    crossings.append(ring[j])
                before = y
        crossings.sort(key=_row_then_column)
        # Spans of one row are disjoint, so their total is a lower bound of the result.
        pairs = list(zip(crossings[0::2], crossings[1::2], strict=False))
        total = sum(max(0, b[0] - a[0] - 1) for a, b in pairs)
        if total > self.limit:
            self.refuse(total)
        self.fill(pairs)
        self._check_size()

    def fill(self, pairs: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
        """Add the tiles strictly between each pair of crossings, on the first one's row."""
        keys = self.keys
        dim = self.dim
        for a, b in pairs:
            row = a[1] * dim
            keys.update(range(row + a[0] + 1, row + b[0]))

    def geometry(self, geometry: dict[str, Any]) -> None:
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind == "GeometryCollection":
            for part in geometry["geometries"]:
                self.geometry(part)
            return
        handler = _HANDLERS.get(kind)  # type: ignore[arg-type]
        if handler is None:
            raise ValueError(
                f"Unsupported geometry type {kind!r}: expected Point, MultiPoint, LineString, "
                "MultiLineString, Polygon, MultiPolygon or GeometryCollection"
            )
        handler(self, geometry["coordinates"])

    def cells(self) -> list[int]:
        z = self.z
        z2 = self.z2
        dim = self.dim
        cells = []
        for key in self.keys:
            x = key % dim
            y = (key // dim) % dim
            if x < z2 and y < z2:
                cells.append(tile_to_cell(x, y, z))
            else:  # a tile off the grid: the reference's own (overflowing) encoding
                cells.append(overflowing_tile_to_cell(x, y, z))
        return cells


def _row_then_column(tile: tuple[int, int]) -> tuple[int, int]:
    return tile[1], tile[0]


def _points(cover: Cover, coords: Any) -> None:
    for position in coords:
        cover.point(position)


def _lines(cover: Cover, coords: Any) -> None:
    for line in coords:
        cover.line(line)


def _polygons(cover: Cover, coords: Any) -> None:
    for polygon in coords:
        cover.polygon(polygon)


def _point(cover: Cover, coords: Any) -> None:
    cover.point(coords)


def _line(cover: Cover, coords: Any) -> None:
    cover.line(coords)


def _polygon(cover: Cover, coords: Any) -> None:
    cover.polygon(coords)


# Every entry calls the cover's own method, so that a subclass's rule (quadint_core.cover
# places points with mercantile.tile) applies to a Point as to each point of a MultiPoint.
_HANDLERS: dict[str, Callable[[Cover, Any], None]] = {
    "Point": _point,
    "MultiPoint": _points,
    "LineString": _line,
    "MultiLineString": _lines,
    "Polygon": _polygon,
    "MultiPolygon": _polygons,
}


# Errors of our own that already say what is wrong; anything else comes from bad GeoJSON.
_CLEAR_ERRORS = ("Unsupported geometry", "Invalid latitude")


def cover_geometry(cover: Cover, geometry: dict[str, Any]) -> None:
    """Run a cover over a parsed GeoJSON geometry, turning malformed input into one error."""
    try:
        cover.geometry(geometry)
    except TooManyCells:
        raise
    except (KeyError, TypeError, IndexError, ValueError, OverflowError) as exc:
        if isinstance(exc, ValueError) and str(exc).startswith(_CLEAR_ERRORS):
            raise
        raise ValueError(f"Invalid GeoJSON geometry ({type(exc).__name__}: {exc})") from None


def cover_cells(geometry: dict[str, Any], resolution: int, limit: int) -> list[int]:
    """Every cell the geometry touches at `resolution`; raises TooManyCells."""
    cover = Cover(resolution, limit)
    cover_geometry(cover, geometry)
    return cover.cells()


_SPREAD = (
    (16, 0x0000FFFF0000FFFF),
    (8, 0x00FF00FF00FF00FF),
    (4, 0x0F0F0F0F0F0F0F0F),
    (2, 0x3333333333333333),
    (1, 0x5555555555555555),
)


def overflowing_tile_to_cell(x: int, y: int, z: int) -> int:
    """The reference's encoding step by step, for x or y up to 2^(z+1) - 1.

    Only reached for the off-grid tiles described in `Cover`: the reference encodes them
    with the same masks, so their extra bit lands in a neighbouring row; reproducing that
    keeps the results identical.
    """
    x <<= 32 - z
    y <<= 32 - z
    for shift, mask in _SPREAD:
        x = (x | (x << shift)) & mask
        y = (y | (y << shift)) & mask
    return CELL_BASE | (z << 52) | ((x | (y << 1)) >> 12) | (FOOTER >> (z * 2))
