"""QUADINT_TOPARENT: the quadint containing a quadint at a lower zoom."""

from __future__ import annotations

from quadint_core import check_quadint, check_zoom, from_zxy

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(quadint: int, resolution: int) -> int:
    z, x, y = check_quadint(quadint)
    check_zoom(resolution, 0, z - 1)
    shift = z - resolution
    return from_zxy(resolution, x >> shift, y >> shift)
