"""QUADBIN_BOUNDARY: the polygon of a quadbin cell, as GeoJSON text."""

from __future__ import annotations

from quadbin_core import check_cell
from quadbin_core.geo import boundary_geojson

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(quadbin: int) -> str:
    check_cell(quadbin)
    return boundary_geojson(quadbin)
