"""S2_TOCHILDREN: a cell's children at a resolution, as a JSON array."""

from __future__ import annotations

from s2_core.cells import children_json

from carto_runtime import redshift_handler

lambda_handler = redshift_handler(children_json)
