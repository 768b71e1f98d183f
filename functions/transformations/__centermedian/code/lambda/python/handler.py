"""__CENTERMEDIAN: the geometric median of a geometry's vertices, as WKT (ST_CENTERMEDIAN
wraps it with n_iter = 100)."""

from __future__ import annotations

from geometry_core.centers import median_center
from geometry_core.geojson import load, wkt_point
from geometry_core.numbers import integer

from carto_runtime import redshift_handler

# Each iteration visits every vertex: this bounds a row's work (a 65,535-byte geometry has at
# most ~11,000 vertices) well inside the Lambda's timeout.
MAX_ITERATIONS = 1000


@redshift_handler
def lambda_handler(geom: str, n_iter: int) -> str | None:
    integer(n_iter, "n_iter", 0, MAX_ITERATIONS)
    center = median_center(load(geom), n_iter)
    return None if center is None else wkt_point(center)
