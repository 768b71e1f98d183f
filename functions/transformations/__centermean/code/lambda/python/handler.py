"""__CENTERMEAN: the mean of a geometry's vertices, as WKT (ST_CENTERMEAN wraps it)."""

from __future__ import annotations

from geometry_core.centers import mean_center
from geometry_core.geojson import load, wkt_point

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(geom: str) -> str | None:
    center = mean_center(load(geom))
    return None if center is None else wkt_point(center)
