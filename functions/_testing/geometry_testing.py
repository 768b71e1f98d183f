"""Strategies and helpers for the transformations and constructors function tests.

Geometries are drawn as plain coordinate lists (so a test knows their vertices) and sent as
GeoJSON text, as the SQL wrappers send them. Every strategy is bounded: at most 24 vertices
per ring, 3 parts per multi-geometry, 4 members per collection.
"""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import strategies as st

longitudes = st.floats(-180, 180, allow_nan=False)
latitudes = st.floats(-89.9, 89.9, allow_nan=False)
small = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


def _wkt_positions(text: str, kind: str) -> list[tuple[float, float]]:
    head = f"{kind} ("
    assert text.startswith(head) and text.endswith(")"), text
    pairs = (p.split(" ") for p in text[len(head) : -1].split(", "))
    return [(float(x), float(y)) for x, y in pairs]


def point_wkt_xy(text: str) -> tuple[float, float]:
    """(x, y) of a WKT point result, as the functions write it: 'POINT (x y)'."""
    (position,) = _wkt_positions(text, "POINT")
    return position


def line_wkt_xy(text: str) -> list[tuple[float, float]]:
    """The positions of a WKT LineString result: 'LINESTRING (x y, x y, ...)'."""
    return _wkt_positions(text, "LINESTRING")


def geojson_xy(text: str, kind: str) -> list[tuple[float, float]]:
    """The positions of a GeoJSON LineString, or of a Polygon's one ring."""
    geometry = json.loads(text)
    assert geometry["type"] == kind, text
    coords = geometry["coordinates"][0] if kind == "Polygon" else geometry["coordinates"]
    return [(p[0], p[1]) for p in coords]


def gj(geometry: dict[str, Any]) -> str:
    return json.dumps(geometry)


@st.composite
def star_rings(
    draw: st.DrawFn,
    center: tuple[float, float] | None = None,
    scale: float = 1.0,
    around: bool = False,
):
    """A simple (non-self-intersecting) closed ring: vertices at increasing angles around a
    center, less than 180 degrees apart (so the ring is star-shaped about it), at radii
    between 0.3 and 1 times `scale`; counter-clockwise or clockwise. With `around`, 8 or more
    vertices at most 67.5 degrees apart: the ring then holds the disc of radius 0.24 * scale
    about the center."""
    cx, cy = center if center is not None else (draw(small), draw(small))
    n = draw(st.integers(8, 24)) if around else draw(st.integers(3, 24))
    spread = 0.5 if around else 0.4  # angular gaps at most (1 + spread) / n of a turn
    jitter = draw(st.lists(st.floats(0, spread), min_size=n, max_size=n))
    cuts = [(i + j) / n for i, j in enumerate(jitter)]
    radii = draw(st.lists(st.floats(0.3, 1.0), min_size=n, max_size=n))
    ring = [
        [cx + scale * r * math.cos(2 * math.pi * a), cy + scale * r * math.sin(2 * math.pi * a)]
        for a, r in zip(cuts, radii, strict=True)
    ]
    if draw(st.booleans()):
        ring.reverse()
    return [*ring, ring[0]]


@st.composite
def polygons(draw: st.DrawFn, center: tuple[float, float] | None = None, scale: float = 1.0):
    """A valid polygon's rings: a star-shaped shell, sometimes with a star-shaped hole of
    radius at most 0.1 * scale about its center, inside the disc the shell then holds."""
    cx, cy = center if center is not None else (draw(small), draw(small))
    if draw(st.booleans()):
        shell = draw(star_rings((cx, cy), scale, around=True))
        return [shell, draw(star_rings((cx, cy), scale * 0.1))]
    return [draw(star_rings((cx, cy), scale))]


@st.composite
def multipolygons(draw: st.DrawFn):
    """1 to 3 disjoint polygons of different sizes (centers 10 units apart at least)."""
    count = draw(st.integers(1, 3))
    x0, y0 = draw(small), draw(small)
    return [
        draw(polygons((x0 + 10 * i, y0 + 3 * i), draw(st.floats(0.1, 4.0)))) for i in range(count)
    ]


lines = st.lists(st.tuples(small, small).map(list), min_size=2, max_size=24)
multipoints = st.lists(st.tuples(small, small).map(list), min_size=1, max_size=24)


@st.composite
def geometries(draw: st.DrawFn) -> dict[str, Any]:
    """A Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon or a collection
    of up to 4 of those."""
    kind = draw(
        st.sampled_from(
            [
                "Point",
                "MultiPoint",
                "LineString",
                "MultiLineString",
                "Polygon",
                "MultiPolygon",
                "GeometryCollection",
            ]
        )
    )
    if kind == "Point":
        return {"type": kind, "coordinates": [draw(small), draw(small)]}
    if kind == "MultiPoint":
        return {"type": kind, "coordinates": draw(multipoints)}
    if kind == "LineString":
        return {"type": kind, "coordinates": draw(lines)}
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": draw(st.lists(lines, min_size=1, max_size=3))}
    if kind == "Polygon":
        return {"type": kind, "coordinates": draw(polygons())}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": draw(multipolygons())}
    members = draw(st.lists(geometries(), min_size=1, max_size=4))
    # Members may overlap: GEOS sums the parts as they are, and so does the function.
    return {"type": kind, "geometries": members}


def vertices(geometry: dict[str, Any]) -> list[tuple[float, float]]:
    """Every vertex, each ring's closing position left out (the test-side definition)."""
    kind = geometry["type"]
    if kind == "GeometryCollection":
        return [v for member in geometry["geometries"] for v in vertices(member)]
    coords = geometry["coordinates"]
    if kind == "Point":
        return [tuple(coords[:2])]
    if kind in ("MultiPoint", "LineString"):
        return [tuple(p[:2]) for p in coords]
    if kind == "MultiLineString":
        return [tuple(p[:2]) for line in coords for p in line]
    polygons_ = [coords] if kind == "Polygon" else coords
    return [tuple(p[:2]) for rings in polygons_ for ring in rings for p in ring[:-1]]
