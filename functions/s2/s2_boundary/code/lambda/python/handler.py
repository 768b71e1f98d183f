"""S2_BOUNDARY: a cell's boundary as WKT polygon text."""

from __future__ import annotations

from s2_core.geo import boundary_wkt

from carto_runtime import redshift_handler

lambda_handler = redshift_handler(boundary_wkt)
