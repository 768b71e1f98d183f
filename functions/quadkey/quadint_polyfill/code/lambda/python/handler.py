"""QUADINT_POLYFILL: the quadints that intersect a geometry, as a JSON array.

The tile cover is quadint_core.cover: quadbin_core's traversal with the differences of the
quadint reference kept (see there). Requests whose result could not be returned are refused
before their work is done.
"""

from __future__ import annotations

from quadbin_core import int_array
from quadint_core import check_zoom
from quadint_core.cover import cover_quadints

from carto_runtime import redshift_handler

try:  # the runtime ships orjson when it can; both parse numbers identically
    from orjson import loads
except ImportError:  # pragma: no cover - depends on the artifact
    from json import loads


@redshift_handler
def lambda_handler(geojson: str, resolution: int) -> str:
    check_zoom(resolution)
    try:
        geometry = loads(geojson)
    except ValueError:
        raise ValueError(f"Invalid GeoJSON text: {geojson[:60]!r}") from None
    return int_array(cover_quadints(geometry, resolution))
