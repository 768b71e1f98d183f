"""QUADBIN_FROMLONGLAT: the quadbin cell containing a point."""

from __future__ import annotations

from quadbin_core.geo import point_to_cell

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(longitude: float, latitude: float, resolution: int) -> int:
    return point_to_cell(longitude, latitude, resolution)
