"""Geographic coordinates of cells and cells of coordinates (Web Mercator tiles).

The float expressions mirror the reference library operation by operation, so that results
are bit-identical to it and not merely close.
"""

from __future__ import annotations

import math

from quadbin_core.cells import CELL_BASE, FOOTER, cell_to_tile, check_resolution, tile_to_cell

_exp = math.exp
_atan = math.atan
_sin = math.sin
_log = math.log
_floor = math.floor
_PI = math.pi

# The reference clips latitudes at +-89 degrees before projecting (then clips the tile row).
MAX_LATITUDE = 89.0


def tile_longitude(x: int, offset: float, z: int) -> float:
    return 180 * (2.0 * (x + offset) / (1 << z) - 1.0)


def tile_latitude(y: int, offset: float, z: int) -> float:
    expy = _exp(-(2.0 * (y + offset) / (1 << z) - 1) * _PI)
    return 360 * (_atan(expy) / _PI - 0.25)


def bbox(cell: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) in degrees."""
    x, y, z = cell_to_tile(cell)
    return (
        tile_longitude(x, 0, z),
        tile_latitude(y, 1, z),
        tile_longitude(x, 1, z),
        tile_latitude(y, 0, z),
    )


def center(cell: int) -> tuple[float, float]:
    x, y, z = cell_to_tile(cell)
    return tile_longitude(x, 0.5, z), tile_latitude(y, 0.5, z)


def point_to_cell(longitude: float, latitude: float, resolution: int) -> int:
    check_resolution(resolution)
    z2 = 1 << resolution
    lon = max(min(longitude, 180.0), -180.0)
    lat = max(min(latitude, MAX_LATITUDE), -MAX_LATITUDE)
    sinlat = _sin(lat * _PI / 180.0)
    x = z2 * (lon / 360.0 + 0.5)
    yfraction = 0.5 - 0.25 * _log((1 + sinlat) / (1 - sinlat)) / _PI
    y = max(min(z2 * yfraction, z2 - 1), 0)
    x = x % z2
    if x < 0:
        x = x + z2
    return tile_to_cell(int(_floor(x)), int(_floor(y)), resolution)


def boundary_geojson(cell: int) -> str:
    """The cell's polygon as GeoJSON text, the reference's cell_to_boundary coordinates in
    CARTO's QUADBIN_BOUNDARY order: south-west, north-west, north-east, south-east (clockwise)."""
    w, s, e, n = bbox(cell)
    return (
        f'{{"type":"Polygon","coordinates":[[[{w!r},{s!r}],[{w!r},{n!r}],[{e!r},{n!r}],'
        f"[{e!r},{s!r}],[{w!r},{s!r}]]]}}"
    )


def center_geojson(cell: int) -> str:
    lon, lat = center(cell)
    return f'{{"type":"Point","coordinates":[{lon!r},{lat!r}]}}'


__all__ = [
    "CELL_BASE",
    "FOOTER",
    "MAX_LATITUDE",
    "bbox",
    "boundary_geojson",
    "center",
    "center_geojson",
    "point_to_cell",
    "tile_latitude",
    "tile_longitude",
]
