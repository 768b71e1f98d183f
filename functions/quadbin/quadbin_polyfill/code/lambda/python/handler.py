"""QUADBIN_POLYFILL: the quadbin cells that intersect a geometry, as a JSON array.

Cells are identical to the reference library's `geometry_to_cells` (quadbin 0.2.2); the cover
is computed by `quadbin_core.cover`, which refuses requests whose result could not be
returned (over MAX_CELLS cells) before doing their work.
"""

from __future__ import annotations

from quadbin_core import MAX_CELLS, check_resolution, int_array
from quadbin_core.cover import cover_cells

from carto_runtime import redshift_handler

try:  # the runtime ships orjson when it can; both parse numbers identically
    from orjson import loads
except ImportError:  # pragma: no cover - depends on the artifact
    from json import loads


@redshift_handler
def lambda_handler(geojson: str, resolution: int) -> str:
    check_resolution(resolution)
    try:
        geometry = loads(geojson)
    except ValueError:
        raise ValueError(f"Invalid GeoJSON text: {geojson[:60]!r}") from None
    return int_array(cover_cells(geometry, resolution, MAX_CELLS))
