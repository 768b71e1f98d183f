"""A point at a distance and bearing on a sphere, and the length units the functions accept.

The sphere has turf's (and CARTO's) mean Earth radius, 6,371,008.8 m. Each unit is its exact
length in meters (international definitions); `radians` and `degrees` are angles at the
center of that sphere, so `degrees` is one 360th of its circumference (111,194.93 m).
"""

from __future__ import annotations

import math

from geometry_core.geojson import Position

EARTH_RADIUS_M = 6_371_008.8

# Meters per unit; the two angular units are None (the distance is already an angle).
LENGTH_UNITS: dict[str, float] = {
    "kilometers": 1000.0,
    "meters": 1.0,
    "centimeters": 0.01,
    "miles": 1609.344,
    "nauticalmiles": 1852.0,
    "yards": 0.9144,
    "feet": 0.3048,
    "inches": 0.0254,
}
ANGLE_UNITS = ("radians", "degrees")
UNITS = (*LENGTH_UNITS, *ANGLE_UNITS)


def angular_distance(distance: float, units: str) -> float:
    """`distance` in `units` as an angle in radians at the center of the sphere."""
    if units == "radians":
        return distance
    if units == "degrees":
        return math.radians(distance)
    meters = LENGTH_UNITS.get(units)
    if meters is None:
        raise ValueError(f"unit is invalid: {units[:20]!r}; valid units are {', '.join(UNITS)}")
    angle = distance * meters / EARTH_RADIUS_M
    if not math.isfinite(angle):  # a distance near the float limit, in kilometers
        raise ValueError(f"distance is too large: {distance!r} {units}")
    return angle


def normalize_longitude(lon: float) -> float:
    """The same meridian in [-180, 180]: 180 stays 180, 190 becomes -170."""
    if -180.0 <= lon <= 180.0:
        return lon
    lon = math.fmod(lon, 360.0)
    if lon > 180.0:
        lon -= 360.0
    elif lon < -180.0:
        lon += 360.0
    return lon


def destination(origin: Position, delta: float, bearing: float) -> Position:
    """The point at angular distance `delta` (radians) from `origin` (lon, lat degrees) along
    the great circle leaving it at `bearing` (degrees clockwise from north).

    Computed with unit vectors (the haversine formulas' result, without their asin, which
    loses digits near the poles); the longitude is normalized to [-180, 180]. At a pole,
    the bearing is measured from the meridian of the origin's longitude."""
    lon, lat = math.radians(origin[0]), math.radians(origin[1])
    theta = math.radians(bearing)
    cos_lat, sin_lat = math.cos(lat), math.sin(lat)
    cos_lon, sin_lon = math.cos(lon), math.sin(lon)
    # Position, local north and local east as unit vectors.
    px, py, pz = cos_lat * cos_lon, cos_lat * sin_lon, sin_lat
    nx, ny, nz = -sin_lat * cos_lon, -sin_lat * sin_lon, cos_lat
    ex, ey = -sin_lon, cos_lon
    c, s = math.cos(delta), math.sin(delta)
    dx = nx * math.cos(theta) + ex * math.sin(theta)
    dy = ny * math.cos(theta) + ey * math.sin(theta)
    dz = nz * math.cos(theta)
    qx, qy, qz = px * c + dx * s, py * c + dy * s, pz * c + dz * s
    lat2 = math.degrees(math.atan2(qz, math.hypot(qx, qy)))
    lon2 = math.degrees(math.atan2(qy, qx))
    return normalize_longitude(lon2), lat2
