"""Just enough geometry to compare results: GeoJSON text or objects and simple WKT."""

from __future__ import annotations

import json
import re
from typing import Any

_WKT_TYPES = {
    "POINT": "Point",
    "LINESTRING": "LineString",
    "POLYGON": "Polygon",
    "MULTIPOINT": "MultiPoint",
    "MULTILINESTRING": "MultiLineString",
    "MULTIPOLYGON": "MultiPolygon",
}
_WKT_RE = re.compile(r"^\s*(?:SRID=\d+;)?\s*([A-Za-z]+)\s*(\(.*\))\s*$", re.S)


def _wkt_coords(text: str) -> Any:
    """'((0 0, 1 1), (2 2))' -> nested lists of [x, y] positions."""
    stack: list[list[Any]] = [[]]
    token = ""
    for char in text:
        if char == "(":
            stack.append([])
        elif char in ",)":
            if token.strip():
                stack[-1].append([float(v) for v in token.split()])
            token = ""
            if char == ")":
                done = stack.pop()
                stack[-1].append(done)
        else:
            token += char
    return stack[0][0]


def parse_geometry(value: Any) -> dict[str, Any]:
    """A {"type", "coordinates"} mapping from GeoJSON (text or object) or WKT."""
    if isinstance(value, dict):
        return {"type": value.get("type"), "coordinates": value.get("coordinates")}
    if not isinstance(value, str):
        raise ValueError(f"not a geometry: {value!r}")
    text = value.strip()
    if text.startswith("{"):
        return parse_geometry(json.loads(text))
    match = _WKT_RE.match(text)
    if not match or match.group(1).upper() not in _WKT_TYPES:
        raise ValueError(f"unsupported geometry text: {text[:60]!r}")
    kind = _WKT_TYPES[match.group(1).upper()]
    coords = _wkt_coords(match.group(2))
    if kind == "Point":
        coords = coords[0]
    elif kind == "MultiPoint":
        # MULTIPOINT((1 2),(3 4)) and MULTIPOINT(1 2, 3 4) are both valid WKT.
        coords = [c[0] if isinstance(c[0], list) else c for c in coords]
    return {"type": kind, "coordinates": coords}
