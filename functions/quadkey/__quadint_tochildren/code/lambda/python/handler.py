"""__QUADINT_TOCHILDREN: the children of a quadint at a zoom, as JSON text."""

from __future__ import annotations

from quadint_core import MAX_ZOOM, check_quadint, check_zoom
from quadint_core.limits import max_cells, too_many

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(quadint: int, resolution: int) -> str:
    z, x, y = check_quadint(quadint)
    check_zoom(resolution, z + 1, MAX_ZOOM)
    levels = resolution - z
    count = 1 << (2 * levels)
    limit = max_cells(resolution)
    if count > limit:
        raise too_many("tochildren", count, limit, "Ask for fewer levels at once.")
    side = 1 << levels
    x0 = x << levels
    y0 = y << levels
    # Column by column, north to south within each, as CARTO's implementation lists them.
    shift = resolution + 5
    rows = [((y0 + j) << shift) | resolution for j in range(side)]
    return "[" + ", ".join(str(row | ((x0 + i) << 5)) for i in range(side) for row in rows) + "]"
