"""ST_GENERATEPOINTS: npoints random points inside a polygon, as GeoJSON text.

The count is checked (0-1,000, and its largest possible output against VARCHAR(MAX)) before
the geometry is read, and the polygon's share of its bounding box before anything is drawn
(see random_points).
"""

from __future__ import annotations

from random_points import check_count, generate, parse_region

from carto_runtime import redshift_handler

try:  # the runtime ships orjson when it can; both parse numbers identically
    from orjson import loads
except ImportError:  # pragma: no cover - depends on the artifact
    from json import loads


@redshift_handler
def lambda_handler(geojson: str, npoints: int) -> str:
    check_count(npoints)
    try:
        geometry = loads(geojson)
    except ValueError:
        raise ValueError(f"Invalid GeoJSON text: {geojson[:60]!r}") from None
    return generate(parse_region(geometry), npoints)
