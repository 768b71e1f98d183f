"""S2_FROMLONGLAT: the id of the cell at a resolution that holds a point."""

from __future__ import annotations

from s2_core.geo import from_lonlat

from carto_runtime import redshift_handler

lambda_handler = redshift_handler(from_lonlat)
