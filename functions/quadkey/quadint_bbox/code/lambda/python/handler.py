"""QUADINT_BBOX: [west, south, east, north] of a quadint tile, as JSON text."""

from __future__ import annotations

from quadint_core import check_quadint
from quadint_core.geo import bbox_json

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(quadint: int) -> str:
    z, x, y = check_quadint(quadint)
    return bbox_json(x, y, z)
