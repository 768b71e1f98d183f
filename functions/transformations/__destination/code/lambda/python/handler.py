"""__DESTINATION_INTERNAL: the point at a distance and bearing from a point on the sphere, as
WKT. Distance and bearing arrive as text (the SQL function __DESTINATION casts its FLOAT8
arguments to VARCHAR(MAX) so that no digit is lost); numbers are accepted too."""

from __future__ import annotations

from geometry_core.geojson import load, point, wkt_point
from geometry_core.numbers import real
from geometry_core.sphere import angular_distance, destination

from carto_runtime import redshift_handler

# CARTO's short unit names, accepted as the units they stand for.
ALIASES = {
    "m": "meters",
    "km": "kilometers",
    "mi": "miles",
    "ft": "feet",
    "in": "inches",
    "yd": "yards",
    "cen": "centimeters",
    "naut": "nauticalmiles",
}


@redshift_handler
def lambda_handler(geom: str, distance: object, bearing: object, units: str) -> str | None:
    origin = point(load(geom), "geom should be a Point")
    units = units.strip().lower()
    delta = angular_distance(real(distance, "distance"), ALIASES.get(units, units))
    heading = real(bearing, "bearing")
    if origin is None:  # an empty point goes nowhere
        return None
    if not -90.0 <= origin[1] <= 90.0:
        raise ValueError(f"latitude must be between -90 and 90, got {origin[1]!r}")
    return wkt_point(destination(origin, delta, heading))
