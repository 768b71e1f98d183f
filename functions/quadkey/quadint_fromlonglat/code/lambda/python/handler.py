"""QUADINT_FROMLONGLAT: the quadint of the tile containing a point."""

from __future__ import annotations

from quadint_core import check_zoom, from_zxy
from quadint_core.geo import MAX_FROMLONGLAT_LATITUDE as LIMIT
from quadint_core.geo import tile

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(longitude: float, latitude: float, resolution: int) -> int:
    check_zoom(resolution)
    x, y = tile(longitude, max(min(latitude, LIMIT), -LIMIT), resolution)
    return from_zxy(resolution, x, y)
