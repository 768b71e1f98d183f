"""QUADBIN_BBOX: [west, south, east, north] of a quadbin cell, as JSON text."""

from __future__ import annotations

from quadbin_core import check_cell
from quadbin_core.geo import bbox

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(quadbin: int) -> str:
    check_cell(quadbin)
    west, south, east, north = bbox(quadbin)
    return f"[{west!r},{south!r},{east!r},{north!r}]"
