"""QUADBIN_FROMZXY: the quadbin cell of tile z/x/y."""

from __future__ import annotations

from quadbin_core import check_tile, tile_to_cell

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(z: int, x: int, y: int) -> int:
    check_tile(x, y, z)
    return tile_to_cell(x, y, z)
