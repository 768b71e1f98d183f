"""Rhumb lines (constant bearing) on the sphere of radius EARTH_RADIUS_M, with turf's formulas.

ST_MAKEELLIPSE builds and rotates its ellipse with these, as turf's `ellipse` and
`transformRotate` do: `destination`, and `course` (bearing and length together). Written from
the formulas as turf documents them; angles in degrees, distances in meters.
"""

from __future__ import annotations

import math

from geometry_core.geojson import Position
from geometry_core.sphere import EARTH_RADIUS_M

# Below this stretch (radians of latitude) a course is east-west, and q is cos(lat).
_EAST_WEST = 10e-12


def _stretch(phi1: float, phi2: float) -> float:
    """Difference of the Mercator ordinates of two latitudes (radians)."""
    return math.log(math.tan(phi2 / 2 + math.pi / 4) / math.tan(phi1 / 2 + math.pi / 4))


def destination(origin: Position, meters: float, bearing: float) -> Position:
    """The point `meters` along the rhumb line leaving `origin` at `bearing` (degrees from
    north, clockwise). Its longitude stays within 180 degrees of the origin's (turf
    compensates the crossing of the antimeridian so), so shapes are not torn apart."""
    delta = meters / EARTH_RADIUS_M
    lambda1 = math.radians(origin[0])
    phi1 = math.radians(origin[1])
    theta = math.radians(bearing)
    d_phi = delta * math.cos(theta)
    phi2 = phi1 + d_phi
    if abs(phi2) > math.pi / 2:  # past a pole: come back down the other side
        phi2 = math.pi - phi2 if phi2 > 0 else -math.pi - phi2
    d_psi = _stretch(phi1, phi2)
    q = d_phi / d_psi if abs(d_psi) > _EAST_WEST else math.cos(phi1)
    lambda2 = lambda1 + delta * math.sin(theta) / q
    lon = (math.degrees(lambda2) + 540) % 360 - 180
    if lon - origin[0] > 180:
        lon -= 360
    elif origin[0] - lon > 180:
        lon += 360
    return lon, math.degrees(phi2)


def course(start: Position, end: Position) -> tuple[float, float]:
    """The rhumb line from start to end: its bearing (degrees in (-180, 180]) and its length
    in meters, the short way in longitude (turf's rhumbBearing and rhumbDistance)."""
    phi1, phi2 = math.radians(start[1]), math.radians(end[1])
    d_psi = _stretch(phi1, phi2)
    d_lambda = math.radians(end[0] - start[0])
    if d_lambda > math.pi:
        d_lambda -= 2 * math.pi
    if d_lambda < -math.pi:
        d_lambda += 2 * math.pi
    theta = (math.degrees(math.atan2(d_lambda, d_psi)) + 360) % 360
    heading = theta - 360 if theta > 180 else theta
    end_lon = end[0]
    if end_lon - start[0] > 180:
        end_lon -= 360
    elif start[0] - end_lon > 180:
        end_lon += 360
    d_phi = phi2 - phi1
    span = math.radians(abs(end_lon - start[0]))
    if span > math.pi:
        span -= 2 * math.pi
    q = d_phi / d_psi if abs(d_psi) > _EAST_WEST else math.cos(phi1)
    return heading, math.sqrt(d_phi * d_phi + q * q * span * span) * EARTH_RADIUS_M
