"""__BEZIERSPLINE: turf's Bezier spline through a LineString, as GeoJSON (ST_BEZIERSPLINE wraps
it; resolution 10000 and sharpness 0.85 by default). Sharpness arrives as text (the wrapper
casts its FLOAT8 to VARCHAR(MAX)); a number is accepted too."""

from __future__ import annotations

from geometry_core.geojson import check_finite, geojson_linestring, linestring, load
from geometry_core.limits import MAX_GEOJSON_LINE_POINTS
from geometry_core.numbers import real
from geometry_core.spline import point_count, spline

from carto_runtime import redshift_handler


def _largest_resolution() -> int:
    """The largest resolution whose line fits one VARCHAR(MAX) (point_count only grows)."""
    low, high = 1, 2**31 - 1
    while low < high:
        mid = (low + high + 1) // 2
        if point_count(mid) <= MAX_GEOJSON_LINE_POINTS:
            low = mid
        else:
            high = mid - 1
    return low


MAX_RESOLUTION = _largest_resolution()


@redshift_handler
def lambda_handler(linestring_json: str, resolution: int, sharpness: object) -> str:
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 1:
        raise ValueError(f"resolution must be a positive number of ms, got {resolution!r}")
    if resolution > MAX_RESOLUTION:
        raise ValueError(
            f"resolution {resolution:,} gives {point_count(resolution):,} points; one result"
            f" holds at most {MAX_GEOJSON_LINE_POINTS:,} (65,535 bytes): use a resolution of"
            f" at most {MAX_RESOLUTION:,}"
        )
    sharp = real(sharpness, "sharpness")
    points = linestring(load(linestring_json), "geom should be a LineString")
    if len(points) < 2:
        raise ValueError(f"geom should be a LineString of 2 or more points, got {len(points)}")
    line = spline(points, resolution, sharp)
    check_finite(line, "the spline")
    return geojson_linestring(line)
