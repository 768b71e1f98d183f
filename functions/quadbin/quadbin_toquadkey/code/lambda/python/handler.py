"""QUADBIN_TOQUADKEY: the quadkey of a quadbin cell."""

from __future__ import annotations

from quadbin_core import check_cell, quadkey

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(quadbin: int) -> str:
    check_cell(quadbin)
    return quadkey(quadbin)
