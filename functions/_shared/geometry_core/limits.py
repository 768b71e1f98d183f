"""How many positions one result can hold: Redshift's VARCHAR(MAX) is 65,535 bytes.

Results whose size grows with an argument (points of a great circle, of a spline, of an
ellipse) are refused before they are computed when they might not fit, with an error naming
the limit; so the limits are worst cases: every coordinate written at its longest.
"""

from __future__ import annotations

MAX_VARCHAR_BYTES = 65_535

# The longest repr of a finite float: sign, 17 significant digits, point, 'e-308'.
FLOAT_TEXT_MAX = len("-2.2250738585072014e-308")

_WKT_POSITION = 2 * FLOAT_TEXT_MAX + len(" ")
_GEOJSON_POSITION = 2 * FLOAT_TEXT_MAX + len("[, ]")
_SEPARATOR = len(", ")


def _most(fixed: int, each: int) -> int:
    """Largest n with fixed + n * each + (n - 1) * separator <= the VARCHAR limit."""
    return (MAX_VARCHAR_BYTES - fixed + _SEPARATOR) // (each + _SEPARATOR)


# 'LINESTRING (x y, x y)'
MAX_WKT_LINE_POINTS = _most(len("LINESTRING ()"), _WKT_POSITION)
# '{"type": "LineString", "coordinates": [[x, y], [x, y]]}'
MAX_GEOJSON_LINE_POINTS = _most(len('{"type": "LineString", "coordinates": []}'), _GEOJSON_POSITION)
# '{"type": "Polygon", "coordinates": [[[x, y], ...]]}', closing position included
MAX_GEOJSON_RING_POINTS = _most(len('{"type": "Polygon", "coordinates": [[]]}'), _GEOJSON_POSITION)
