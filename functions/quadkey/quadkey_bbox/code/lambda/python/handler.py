"""QUADKEY_BBOX: [west, south, east, north] of a quadkey, as JSON text."""

from __future__ import annotations

from quadint_core import quadkey_to_zxy
from quadint_core.geo import bbox_json

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(quadkey: str) -> str:
    z, x, y = quadkey_to_zxy(quadkey)
    return bbox_json(x, y, z)
