"""__MAKEELLIPSE: turf's ellipse around a point, as a GeoJSON Polygon (ST_MAKEELLIPSE wraps it;
angle 0, kilometers and 64 steps by default). The semi-axes and the angle arrive as text (the
wrapper casts its FLOAT8 arguments to VARCHAR(MAX)); numbers are accepted too."""

from __future__ import annotations

from geometry_core.ellipse import UNITS, ellipse
from geometry_core.geojson import check_finite, geojson_polygon, load, point
from geometry_core.limits import MAX_GEOJSON_RING_POINTS
from geometry_core.numbers import integer, real

from carto_runtime import redshift_handler

MAX_STEPS = MAX_GEOJSON_RING_POINTS - 1  # the ring repeats its first vertex


def _semi_axis(value: object, name: str) -> float:
    axis = real(value, name)
    if axis <= 0:
        raise ValueError(f"{name} must be positive, got {axis!r}")
    return axis


@redshift_handler
def lambda_handler(
    center: str, xsemiaxis: object, ysemiaxis: object, angle: object, units: str, steps: int
) -> str | None:
    integer(steps, "steps", 3, MAX_STEPS)
    a = _semi_axis(xsemiaxis, "xSemiAxis")
    b = _semi_axis(ysemiaxis, "ySemiAxis")
    turn = real(angle, "angle")
    units = units.strip().lower()
    if units not in UNITS:
        raise ValueError(f"unit is invalid: {units[:20]!r}; valid units are {', '.join(UNITS)}")
    origin = point(load(center), "center should be a Point")
    if origin is None:
        return None
    if not -90.0 < origin[1] < 90.0:
        raise ValueError(f"the center's latitude must be between -90 and 90, got {origin[1]!r}")
    try:
        ring = ellipse(origin, a, b, turn, units, steps)
    except (ArithmeticError, ValueError):  # a rhumb line past a pole: log or tan undefined
        raise ValueError(
            f"the ellipse is undefined for semi-axes {a!r} and {b!r} {units} at latitude"
            f" {origin[1]!r}: a semi-axis reaches past a pole"
        ) from None
    check_finite(ring, "the ellipse")
    return geojson_polygon(ring)
