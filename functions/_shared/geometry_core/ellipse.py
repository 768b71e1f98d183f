"""turf's ellipse: a polygon of `steps` vertices around a center, rotated by `angle`.

The algorithm of turf's `ellipse` (6.x), which CARTO's ST_MAKEELLIPSE documents: the semi-axes
become degrees of longitude and latitude by rhumb destinations east and north of the center;
each vertex lies on the planar ellipse with those semi-axes, at polar angle -360 i / steps;
the polygon is then rotated by `angle` degrees about the center along rhumb lines (bearing
plus angle, distance kept). With units 'degrees' the semi-axes are taken as degrees and the
rotation is planar. The first vertex is repeated to close the ring.
"""

from __future__ import annotations

import math

from geometry_core import rhumb
from geometry_core.geojson import Position
from geometry_core.sphere import LENGTH_UNITS

UNITS = ("kilometers", "meters", "miles", "degrees")


def ellipse(
    center: Position, x_semi_axis: float, y_semi_axis: float, angle: float, units: str, steps: int
) -> list[Position]:
    """The closed ring (steps + 1 positions) of the ellipse."""
    cx, cy = center
    if units == "degrees":
        a, b = x_semi_axis, y_semi_axis
    elif units in UNITS:
        meters = LENGTH_UNITS[units]
        a = rhumb.destination(center, x_semi_axis * meters, 90)[0] - cx
        b = rhumb.destination(center, y_semi_axis * meters, 0)[1] - cy
    else:
        raise ValueError(f"unit is invalid: {units[:20]!r}; valid units are {', '.join(UNITS)}")
    ring: list[Position] = []
    turn = math.radians(angle)
    cos_t, sin_t = math.cos(turn), math.sin(turn)
    for i in range(steps):
        step_angle = i * -360 / steps
        t = math.tan(math.radians(step_angle))
        x = a * b / math.sqrt(b * b + a * a * t * t)
        # At t = 0 the point is on the x axis (turf divides by zero there and gets 0).
        y = a * b / math.sqrt(a * a + b * b / (t * t)) if t != 0 else 0.0
        if -270 <= step_angle < -90:
            x = -x
        if -360 <= step_angle < -180:
            y = -y
        if units == "degrees":
            x, y = x * cos_t + y * sin_t, y * cos_t - x * sin_t
        ring.append((x + cx, y + cy))
    ring.append(ring[0])
    if units == "degrees" or angle == 0:
        return ring
    return [_rotate(p, center, angle) for p in ring]


def _rotate(p: Position, pivot: Position, angle: float) -> Position:
    """`p` turned by `angle` degrees (clockwise) about `pivot`, keeping its rhumb distance."""
    heading, meters = rhumb.course(pivot, p)
    return rhumb.destination(pivot, meters, heading + angle)
