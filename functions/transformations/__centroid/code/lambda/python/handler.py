"""__CENTROID: the centroid (center of mass) of a geometry, as WKT (ST_CENTROID and
ST_CENTEROFMASS wrap it)."""

from __future__ import annotations

from geometry_core.centers import centroid
from geometry_core.geojson import load, wkt_point

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(geom: str) -> str | None:
    center = centroid(load(geom))
    return None if center is None else wkt_point(center)
