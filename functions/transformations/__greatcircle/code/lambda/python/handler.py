"""__GREATCIRCLE: the geodesic between two points on the WGS84 ellipsoid, as a WKT LineString
of n_points points evenly spaced by distance (ST_GREATCIRCLE wraps it, n_points = 100).

Karney's algorithm (geographiclib) converges for every pair of points, antipodal ones
included, to within nanometers.
"""

from __future__ import annotations

from geographiclib.geodesic import Geodesic
from geometry_core.geojson import Position, load, point, wkt_linestring
from geometry_core.limits import MAX_WKT_LINE_POINTS
from geometry_core.numbers import integer
from geometry_core.sphere import normalize_longitude

from carto_runtime import redshift_handler

WGS84 = Geodesic.WGS84
_OUT = Geodesic.LATITUDE | Geodesic.LONGITUDE
_NOT_POINTS = "start_point and end_point should be Points"


def _checked(p: Position) -> Position:
    if not -90.0 <= p[1] <= 90.0:
        raise ValueError(f"latitude must be between -90 and 90, got {p[1]!r}")
    return normalize_longitude(p[0]), p[1]


@redshift_handler
def lambda_handler(start_point: str, end_point: str, n_points: int) -> str | None:
    integer(n_points, "n_points", 2, MAX_WKT_LINE_POINTS)
    start = point(load(start_point), _NOT_POINTS)
    end = point(load(end_point), _NOT_POINTS)
    if start is None or end is None:
        return None
    start, end = _checked(start), _checked(end)
    line = WGS84.InverseLine(start[1], start[0], end[1], end[0], _OUT | Geodesic.DISTANCE_IN)
    if line.s13 == 0.0:  # the same place: there is no path
        return None
    step = line.s13 / (n_points - 1)
    inner = [line.Position(i * step, _OUT) for i in range(1, n_points - 1)]
    # The end points are the inputs themselves, not the geodesic's rounding of them.
    return wkt_linestring([start, *((g["lon2"], g["lat2"]) for g in inner), end])
