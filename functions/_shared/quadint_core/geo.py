"""Geographic conversions of tiles, with mercantile 1.2.1's float expressions.

Quadint functions have always been defined through mercantile (bounds, tile); writing its
formulas operation by operation keeps results bit-identical without importing it.
"""

from __future__ import annotations

import math

_atan = math.atan
_sinh = math.sinh
_sin = math.sin
_log = math.log
_floor = math.floor
_degrees = math.degrees
_radians = math.radians
_pow = math.pow
_PI = math.pi
EPSILON = 1e-14  # mercantile's nudge towards the next tile
MAX_FROMLONGLAT_LATITUDE = 85.05  # QUADINT_FROMLONGLAT clips latitudes here


def bounds(x: int, y: int, z: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) in degrees: mercantile.bounds."""
    z2 = _pow(2, z)
    west = x / z2 * 360.0 - 180.0
    north = _degrees(_atan(_sinh(_PI * (1 - 2 * y / z2))))
    east = (x + 1) / z2 * 360.0 - 180.0
    south = _degrees(_atan(_sinh(_PI * (1 - 2 * (y + 1) / z2))))
    return west, south, east, north


def tile(lng: float, lat: float, zoom: int) -> tuple[int, int]:
    """(x, y) of the tile holding a point: mercantile.tile (no truncation)."""
    x = lng / 360.0 + 0.5
    sinlat = _sin(_radians(lat))
    try:
        y = 0.5 - 0.25 * _log((1.0 + sinlat) / (1.0 - sinlat)) / _PI
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"Invalid latitude {lat!r}: a pole has no Web Mercator tile") from None
    z2 = _pow(2, zoom)
    if x <= 0:
        xtile = 0
    elif x >= 1:
        xtile = int(z2 - 1)
    else:
        xtile = int(_floor((x + EPSILON) * z2))
    if y <= 0:
        ytile = 0
    elif y >= 1:
        ytile = int(z2 - 1)
    else:
        ytile = int(_floor((y + EPSILON) * z2))
    return xtile, ytile


def bbox_json(x: int, y: int, z: int) -> str:
    west, south, east, north = bounds(x, y, z)
    return f"[{west!r},{south!r},{east!r},{north!r}]"


def boundary_geojson(x: int, y: int, z: int) -> str:
    """The tile's polygon as json.dumps writes mercantile.feature's geometry (same text)."""
    w, s, e, n = bounds(x, y, z)
    return (
        f'{{"type": "Polygon", "coordinates": [[[{w!r}, {s!r}], [{w!r}, {n!r}], '
        f"[{e!r}, {n!r}], [{e!r}, {s!r}], [{w!r}, {s!r}]]]}}"
    )
