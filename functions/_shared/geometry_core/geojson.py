"""GeoJSON text in, checked coordinates out; WKT and GeoJSON text written back.

Geometries arrive as the text ST_ASGEOJSON writes. Every position is checked once here
(two or more finite numbers; a third, Z, is ignored), so the algorithms never meet a bad
value. Coordinates are written with `repr`, the shortest text that reads back to the same
float, as json.dumps writes them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds of every cold start
    from typing import Any

try:  # the artifact ships orjson when it can; both read numbers identically
    from orjson import loads
except ImportError:  # pragma: no cover - depends on the environment
    from json import loads

Position = tuple[float, float]
_COLLECTION_DEPTH = 32  # GeometryCollections nested deeper than this are refused


def load(text: str) -> dict[str, Any]:
    """The GeoJSON object of `text`; ValueError saying what is wrong otherwise."""
    if not isinstance(text, str):
        raise ValueError(f"Invalid GeoJSON: expected text, got {type(text).__name__}")
    try:
        value = loads(text)
    except ValueError:
        raise ValueError(f"Invalid GeoJSON text: {text[:60]!r}") from None
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise ValueError(f"Invalid GeoJSON: not a geometry object: {text[:60]!r}")
    return value


def position(value: Any) -> Position:
    """(x, y) of one GeoJSON position."""
    if not isinstance(value, (list, tuple)) or len(value) < 2:
        raise ValueError(f"Invalid GeoJSON position: {value!r:.60}")
    x, y = value[0], value[1]
    if (
        isinstance(x, bool)
        or isinstance(y, bool)
        or not isinstance(x, (int, float))
        or not isinstance(y, (int, float))
        or not math.isfinite(x)
        or not math.isfinite(y)
    ):
        raise ValueError(f"Invalid GeoJSON position: {value!r:.60}")
    return float(x), float(y)


def _array(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"Invalid GeoJSON {what} coordinates: {value!r:.60}")
    return value


def _line(value: Any, what: str) -> list[Position]:
    return [position(p) for p in _array(value, what)]


def _polygon(value: Any, what: str) -> list[list[Position]]:
    return [_line(ring, what) for ring in _array(value, what)]


def parts(geometry: dict[str, Any], depth: int = 0) -> Iterator[tuple[str, Any]]:
    """The simple parts of a geometry: ("Point", (x, y)), ("LineString", [(x, y), ...]) and
    ("Polygon", [ring, ...]), multi-geometries and collections flattened. Empty parts (an
    empty point, line or polygon) are left out."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind == "GeometryCollection":
        if depth >= _COLLECTION_DEPTH:
            raise ValueError(f"GeometryCollection nested over {_COLLECTION_DEPTH} levels")
        for member in _array(geometry.get("geometries"), kind):
            yield from parts(member, depth + 1)
        return
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind == "Point":
        if _array(coords, kind):
            yield "Point", position(coords)
    elif kind == "MultiPoint":
        for p in _array(coords, kind):
            if _array(p, kind):
                yield "Point", position(p)
    elif kind == "LineString":
        if _array(coords, kind):
            yield "LineString", _line(coords, kind)
    elif kind == "MultiLineString":
        for line in _array(coords, kind):
            if _array(line, kind):
                yield "LineString", _line(line, kind)
    elif kind == "Polygon":
        if _array(coords, kind):
            yield "Polygon", _polygon(coords, kind)
    elif kind == "MultiPolygon":
        for polygon in _array(coords, kind):
            if _array(polygon, kind):
                yield "Polygon", _polygon(polygon, kind)
    else:
        raise ValueError(f"Unsupported geometry type: {str(kind)[:40]!r}")


def point(geometry: dict[str, Any], message: str) -> Position | None:
    """The position of a Point geometry (None when it is empty); ValueError(message) when
    the geometry is not a Point."""
    if geometry.get("type") != "Point":
        raise ValueError(message)
    coords = _array(geometry.get("coordinates"), "Point")
    return position(coords) if coords else None


def linestring(geometry: dict[str, Any], message: str) -> list[Position]:
    """The positions of a LineString geometry; ValueError(message) for any other type."""
    if geometry.get("type") != "LineString":
        raise ValueError(message)
    return _line(geometry.get("coordinates"), "LineString")


# ------------------------------------------------------------------------------- writing


def wkt_point(p: Position) -> str:
    return f"POINT ({p[0]!r} {p[1]!r})"


def wkt_linestring(points: Sequence[Position]) -> str:
    return "LINESTRING (" + ", ".join(f"{x!r} {y!r}" for x, y in points) + ")"


def _positions(points: Sequence[Position]) -> str:
    return "[" + ", ".join(f"[{x!r}, {y!r}]" for x, y in points) + "]"


def geojson_linestring(points: Sequence[Position]) -> str:
    return '{"type": "LineString", "coordinates": ' + _positions(points) + "}"


def geojson_polygon(ring: Sequence[Position]) -> str:
    return '{"type": "Polygon", "coordinates": [' + _positions(ring) + "]}"


def check_finite(points: Sequence[Position], what: str) -> None:
    """Refuse a result holding an infinite or NaN coordinate (an overflow), naming it."""
    for x, y in points:
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ValueError(f"{what} has no finite coordinates for these arguments")
