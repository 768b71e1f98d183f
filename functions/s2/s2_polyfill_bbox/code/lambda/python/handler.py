"""S2_POLYFILL_BBOX: RegionCoverer's cells over a lat/lng box, as a JSON array."""

from __future__ import annotations

from s2_core.cover import polyfill_json

from carto_runtime import redshift_handler

lambda_handler = redshift_handler(polyfill_json)
