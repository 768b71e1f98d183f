"""Polyfill for quadints: the tile cover quadint functions have always used.

It is the same grid traversal and scanline fill as quadbin's (quadbin_core.cover), with the
differences of its own reference implementation kept, so that results are the same:

- the projection multiplies by a precomputed pi/180 and does not clip rows, so latitudes
  beyond +-85.0511 give rows outside the grid (encoded as the reference encodes them);
- points are placed with mercantile.tile (which nudges by 1e-14 towards the next tile);
- fill tiles are listed without being hashed, so overlapping polygons of one MultiPolygon
  can repeat a tile, as in the reference (a GeometryCollection is de-duplicated).

A pole (latitude exactly +-90) cannot be projected: an error, as in the reference. Tiles are
exact integers at every zoom (the reference decodes its tile hashes through floats, which
loses tiles above zoom 26).
"""

from __future__ import annotations

import math

from quadbin_core.cover import Cover, cover_geometry

from quadint_core.geo import tile
from quadint_core.limits import max_cells
from quadint_core.tiles import check_zoom, from_zxy

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds of every cold start
    from typing import Any

_sin = math.sin
_log = math.log
_floor = math.floor
_PI = math.pi
_D2R = math.pi / 180


def _check_zoom(zoom: int) -> None:
    check_zoom(zoom)


class QuadintCover(Cover):
    check_resolution = staticmethod(_check_zoom)

    def __init__(self, resolution: int) -> None:
        _check_zoom(resolution)
        super().__init__(resolution, max_cells(resolution), name="quadint_polyfill")
        self.fills: list[int] = []

    def fraction(self, position: Any) -> tuple[float, float]:
        lon = position[0]
        lat = position[1]
        z2 = self.z2
        sinlat = _sin(lat * _D2R)
        x = z2 * (lon / 360 + 0.5)
        try:
            y = z2 * (0.5 - 0.25 * _log((1 + sinlat) / (1 - sinlat)) / _PI)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"Invalid latitude {lat!r}: a pole has no Web Mercator tile") from None
        x = x % z2
        if x < 0:
            x = x + z2
        return x, y

    def point(self, position: Any) -> None:
        x, y = tile(position[0], position[1], self.z)
        self.keys.add(y * self.dim + x)
        self._check_size()

    def size(self) -> int:
        return len(self.keys) + len(self.fills)

    def fill(self, pairs: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
        keys = self.keys
        dim = self.dim
        for a, b in pairs:
            row = a[1] * dim
            self.fills.extend(k for k in range(row + a[0] + 1, row + b[0]) if k not in keys)

    def quadints(self) -> list[int]:
        z = self.z
        dim = self.dim
        # Traversed tiles decode like the reference's hashes (rows modulo 2^(z+1)); fill
        # tiles keep their row as computed.
        out = [from_zxy(z, key % dim, (key // dim) % dim) for key in self.keys]
        out += [from_zxy(z, key % dim, key // dim) for key in self.fills]
        return out


def cover_quadints(geometry: dict[str, Any], resolution: int) -> list[int]:
    """The quadints a GeoJSON geometry touches at `resolution`; raises TooManyCells."""
    cover = QuadintCover(resolution)
    cover_geometry(cover, geometry)
    quadints = cover.quadints()
    if geometry.get("type") == "GeometryCollection":
        quadints = list(set(quadints))
    return quadints
