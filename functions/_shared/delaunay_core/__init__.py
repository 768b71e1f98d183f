"""Delaunay triangulations and Voronoi diagrams of MultiPoints, in pure Python.

Shared by `processing/__delaunaygeneric` and `processing/__voronoigeneric`. Standard library
only (fractions is imported only when a predicate needs exact arithmetic).

- `triangulate`: the triangulation (sweep hull, exact predicates), `Triangulation`.
- `voronoi`: cells clipped to a box, from the Delaunay neighbours; ridges.
- `geojson_text`: MultiPoint parsing, output text, boxes and size limits.
- `delaunay_geojson` / `voronoi_geojson`: what the two functions return.
"""

from __future__ import annotations

from delaunay_core.geojson_text import (
    NOT_MULTIPOINT,
    PRECISION,
    VARCHAR_MAX_BYTES,
    ResultTooLarge,
    check_size,
    default_bbox,
    distinct,
    hull_point_count,
    multi_text,
    parse_bbox,
    parse_multipoint,
    position_text,
    too_large,
)
from delaunay_core.triangulate import CollinearPoints, Triangulation

KINDS = ("lines", "poly")
# The shortest a position can be written ("[0,0]") and a ridge or ring around it.
_MIN_POSITION = 5


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"Invalid type {kind!r}: should be 'lines' or 'poly'")


def delaunay_geojson(points_text: str, kind: str) -> str:
    """The Delaunay triangles of a MultiPoint as a GeoJSON MultiLineString (kind 'lines',
    each triangle a closed ring of 4 positions) or MultiPolygon ('poly')."""
    _check_kind(kind)
    points = distinct(parse_multipoint(points_text))
    n = len(points)
    if n < 3:
        raise ValueError(
            f"Invalid operation: a Delaunay triangulation needs at least 3 distinct points, got {n}"
        )
    xs = [float(x) for x, _ in points]
    ys = [float(y) for _, y in points]
    texts = [position_text(x, y) for x, y in points]
    # Before any triangle is made: the count is exact (2n - 2 - h), each triangle writes 4
    # positions, 3 commas and its brackets, and each position at least the shortest text.
    shortest = min(map(len, texts))
    # (Collinear points count twice on their flat hull: 0 triangles, refused just below.)
    triangle_count = 2 * n - 2 - hull_point_count(xs, ys)
    per_triangle = 4 * shortest + 3 + (2 if kind == "lines" else 4) + 1
    bound = 30 + max(triangle_count, 0) * per_triangle
    if bound > VARCHAR_MAX_BYTES:
        raise too_large("Delaunay triangulation", bound, n, bound=True)
    try:
        triangulation = Triangulation(xs, ys)
    except CollinearPoints:
        raise ValueError(
            f"Invalid operation: all {n} distinct points are collinear: there is no triangle"
        ) from None
    triangles = _canonical_triangles(triangulation.triangle_list(), xs, ys)
    if kind == "lines":
        parts = (f"[{texts[a]},{texts[b]},{texts[c]},{texts[a]}]" for a, b, c in triangles)
        text = multi_text("MultiLineString", parts)
    else:
        parts = (f"[[{texts[a]},{texts[b]},{texts[c]},{texts[a]}]]" for a, b, c in triangles)
        text = multi_text("MultiPolygon", parts)
    return check_size(text, "Delaunay triangulation", n)


def voronoi_geojson(points_text: str, bbox_text: str | None, kind: str) -> str:
    """The Voronoi diagram of a MultiPoint inside a box: its ridges as a MultiLineString of
    2-position lines ('lines'), or the cell of each distinct point, in input order, as a
    MultiPolygon ('poly'). The box is [minx, miny, maxx, maxy] JSON text, or None for the
    default box; every point must lie in it (edges included)."""
    from delaunay_core.voronoi import cells, ridges

    _check_kind(kind)
    points = distinct(parse_multipoint(points_text))
    n = len(points)
    if n == 0:
        raise ValueError("Invalid operation: a Voronoi diagram needs at least 1 point, got 0")
    xs = [float(x) for x, _ in points]
    ys = [float(y) for _, y in points]
    if bbox_text is None:
        box = default_bbox(xs, ys)
    else:
        box = parse_bbox(bbox_text)
        if min(xs) < box[0] or min(ys) < box[1] or max(xs) > box[2] or max(ys) > box[3]:
            raise ValueError(
                f"Invalid operation: Points should be within the bounding box supplied {bbox_text}."
            )
    if kind == "poly":
        # Every cell holds its point, so it is a ring of at least 3 corners and its closing
        # position: 4 positions, 3 commas, 4 brackets and a separating comma at least.
        bound = 30 + n * (4 * _MIN_POSITION + 3 + 4 + 1)
        if bound > VARCHAR_MAX_BYTES:
            raise too_large("Voronoi diagram", bound, n, bound=True)
    else:
        # n >= 2 points: every cell is cut at least once, so there are n / 2 ridges or more.
        bound = 30 + (n // 2) * (2 * _MIN_POSITION + 1 + 2 + 1)
        if bound > VARCHAR_MAX_BYTES:
            raise too_large("Voronoi diagram", bound, n, bound=True)
    cell_list = cells(xs, ys, box)
    if kind == "poly":
        parts = []
        for poly in cell_list:
            ring = _ring([(x, y) for x, y, _ in poly])
            if len(ring) >= 3:
                texts = [position_text(x, y) for x, y in ring]
                parts.append("[[" + ",".join([*texts, texts[0]]) + "]]")
        text = multi_text("MultiPolygon", parts)
    else:
        segments = []
        for start, end in ridges(cell_list):
            start, end = _rounded(start), _rounded(end)
            if start != end:  # a ridge that shrinks to a point at this precision is left out
                segments.append((start, end) if start < end else (end, start))
        segments.sort()
        parts = [f"[{position_text(*a)},{position_text(*b)}]" for a, b in segments]
        text = multi_text("MultiLineString", parts)
    return check_size(text, "Voronoi diagram", n)


def _canonical_triangles(
    triangles: list[tuple[int, int, int]], xs: list[float], ys: list[float]
) -> list[tuple[int, int, int]]:
    """A documented, reproducible order: each triangle counterclockwise from its lowest
    vertex (by x, then y), triangles sorted by their vertices' coordinates."""

    def key(v: int) -> tuple[float, float]:
        return xs[v], ys[v]

    out = []
    for a, b, c in triangles:
        low = min((a, b, c), key=key)
        out.append((a, b, c) if low == a else (b, c, a) if low == b else (c, a, b))
    out.sort(key=lambda t: (key(t[0]), key(t[1]), key(t[2])))
    return out


def _rounded(point: tuple[float, float]) -> tuple[float, float]:
    return round(point[0], PRECISION) + 0.0, round(point[1], PRECISION) + 0.0


def _ring(vertices: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A cell's ring rounded, without repeats, counterclockwise from its lowest vertex."""
    out: list[tuple[float, float]] = []
    for v in map(_rounded, vertices):
        if not out or out[-1] != v:
            out.append(v)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    if out:
        low = out.index(min(out))
        out = out[low:] + out[:low]
    return out


__all__ = [
    "KINDS",
    "NOT_MULTIPOINT",
    "VARCHAR_MAX_BYTES",
    "CollinearPoints",
    "ResultTooLarge",
    "Triangulation",
    "delaunay_geojson",
    "voronoi_geojson",
]
