"""QUADINT_FROMLONGLAT over a whole batch in one loop.

The per-row work is a few float operations; a call per row (the handler's, check_zoom's,
geo.tile's, from_zxy's) would cost more than it. The loop inlines them with the same float
expressions as geo.tile (mercantile.tile), everything in local variables and per-zoom values
from lists. Anything the loop does not take as geo.tile does (NaN, a value of another type)
makes it stop; from that row on, each row is answered by `fromlonglat`, the definition, which
raises what it raises.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from carto_runtime import RowError
from quadint_core.geo import EPSILON, MAX_FROMLONGLAT_LATITUDE, tile
from quadint_core.tiles import MAX_ZOOM, check_zoom, from_zxy

# radians(v) is v * (pi / 180.0) in CPython, to the bit: the same double product.
_D2R = math.pi / 180.0
# Per zoom: pow(2, z) and int(pow(2, z) - 1), as geo.tile computes them.
_SCALES = [math.pow(2, z) for z in range(MAX_ZOOM + 1)]
_LAST = [int(s - 1) for s in _SCALES]


def fromlonglat(longitude: float, latitude: float, resolution: int) -> int:
    """One row: the definition the loop must match."""
    check_zoom(resolution)
    limit = MAX_FROMLONGLAT_LATITUDE
    x, y = tile(longitude, max(min(latitude, limit), -limit), resolution)
    return from_zxy(resolution, x, y)


def fromlonglat_rows(rows: Sequence[Sequence[float]]) -> list[int]:
    """fromlonglat over (longitude, latitude, resolution) rows; RowError names a failing row."""
    sin = math.sin
    log = math.log
    floor = math.floor
    pi = math.pi
    d2r = _D2R
    eps = EPSILON
    top = MAX_FROMLONGLAT_LATITUDE
    bottom = -top
    max_zoom = MAX_ZOOM
    scales = _SCALES
    last = _LAST
    out: list[int] = []
    append = out.append
    try:
        for lon, lat, z in rows:
            if not 0 <= z <= max_zoom:
                break
            # max(min(lat, top), bottom), NaN kept
            if lat > top:
                lat = top
            elif lat < bottom:
                lat = bottom
            z2 = scales[z]
            x = lon / 360.0 + 0.5
            sinlat = sin(lat * d2r)
            y = 0.5 - 0.25 * log((1.0 + sinlat) / (1.0 - sinlat)) / pi
            if 0 < x < 1:
                x = floor((x + eps) * z2)
            elif x <= 0:
                x = 0
            elif x >= 1:
                x = last[z]
            else:  # NaN: the definition raises
                break
            if 0 < y < 1:
                y = floor((y + eps) * z2)
            elif y <= 0:
                y = 0
            elif y >= 1:
                y = last[z]
            else:
                break
            append((y << z | x) << 5 | z)
    except Exception:  # a row the loop cannot take: the definition answers it below
        pass
    if len(out) < len(rows):
        _finish(rows, out)
    return out


def _finish(rows: Sequence[Sequence[float]], out: list[int]) -> None:
    """Answer the rows after the last one in `out` with the definition, naming any failure."""
    append = out.append
    try:
        for i in range(len(out), len(rows)):
            append(fromlonglat(*rows[i]))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
