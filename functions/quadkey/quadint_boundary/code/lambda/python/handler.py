"""QUADINT_BOUNDARY: the polygon of a quadint tile, as GeoJSON text."""

from __future__ import annotations

from quadint_core import check_quadint
from quadint_core.geo import boundary_geojson

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(quadint: int) -> str:
    z, x, y = check_quadint(quadint)
    return boundary_geojson(x, y, z)
