"""QUADBIN_SIBLING: the neighbouring cell in a direction, NULL past the grid's edge."""

from __future__ import annotations

from quadbin_core import check_cell, sibling

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(quadbin: int, direction: str) -> int | None:
    check_cell(quadbin)
    return sibling(quadbin, direction)
