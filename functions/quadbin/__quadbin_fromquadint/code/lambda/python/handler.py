"""__QUADBIN_FROMQUADINT: the quadbin cell of the tile a quadint names."""

from __future__ import annotations

from quadbin_core import check_resolution, tile_to_cell

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(quadint: int) -> int:
    # A quadint is ((y << z | x) << 5) | z: the zoom in the low 5 bits, then x, then y.
    if quadint < 0:
        raise ValueError(f"Invalid quadint: {quadint}")
    z = quadint & 31
    check_resolution(z)
    x = (quadint >> 5) & ((1 << z) - 1)
    y = quadint >> (z + 5)
    if y >> z:
        raise ValueError(f"Invalid quadint: {quadint}")
    return tile_to_cell(x, y, z)
