"""Centers of a geometry: mean of its vertices, geometric median, centroid (center of mass).

All planar, in the geometry's own coordinates (degrees for EPSG:4326), as CARTO's functions
and GEOS compute them. Sums are taken relative to a base vertex so that large coordinates do
not swamp small shapes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import pairwise

from geometry_core.geojson import Position, parts

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds of every cold start
    from typing import Any


def _ring_vertices(ring: list[Position]) -> list[Position]:
    """A polygon ring's vertices: the closing position repeats the first and is left out."""
    if len(ring) > 1 and ring[0] == ring[-1]:
        return ring[:-1]
    return ring


def vertices(geometry: dict[str, Any]) -> list[Position]:
    """Every vertex of the geometry, each polygon ring's closing position left out."""
    out: list[Position] = []
    for kind, coords in parts(geometry):
        if kind == "Point":
            out.append(coords)
        elif kind == "LineString":
            out.extend(coords)
        else:
            for ring in coords:
                out.extend(_ring_vertices(ring))
    return out


def _mean(points: list[Position]) -> Position:
    n = len(points)
    return math.fsum(p[0] for p in points) / n, math.fsum(p[1] for p in points) / n


def mean_center(geometry: dict[str, Any]) -> Position | None:
    """The mean of the vertices; None for an empty geometry."""
    points = vertices(geometry)
    return _mean(points) if points else None


_NEAREST = 8  # vertices checked for being the median
_HALVINGS = 12  # of a Newton step that would raise the sum


def median_center(geometry: dict[str, Any], max_iterations: int) -> Position | None:
    """The geometric median of the vertices (the point with the least sum of distances to
    them), from the mean, by at most `max_iterations` steps. A step is Newton's on the sum
    of distances, halved until it does not raise the sum (it converges in a few steps),
    else Weiszfeld's (which never raises it), in Vardi and Zhang's form where the estimate sits
    on a vertex: no division by zero for one vertex, repeated vertices or an estimate on a
    vertex. A vertex that is the median is returned exactly. None for an empty geometry."""
    points = vertices(geometry)
    if not points:
        return None
    ox, oy = _mean(points)
    # Distinct vertices with their multiplicities, relative to the mean.
    weights: dict[Position, int] = {}
    originals: dict[Position, Position] = {}  # to return a vertex exactly as it was given
    for x, y in points:
        key = (x - ox, y - oy)
        weights[key] = weights.get(key, 0) + 1
        originals[key] = (x, y)
    items = list(weights.items())
    if len(items) == 1:  # one place, however often
        return points[0]
    scale = max(max(abs(px), abs(py)) for (px, py), _ in items)
    tolerance, snap = 1e-15 * scale, 1e-9 * scale
    x = y = 0.0
    cost = _cost(items, x, y)
    for _ in range(max_iterations):
        newton, weiszfeld = _steps(items, x, y, snap)
        if weiszfeld is None:
            break
        # Near the median the sums differ by less than their rounding: a step that does not
        # raise the sum beyond that is taken. Newton's is halved until it is such a step (it
        # points downhill; near a vertex the full step overshoots), else Weiszfeld's is taken.
        # The steps end when they no longer move the estimate.
        allowed = cost * (1 + 1e-13)
        step = None
        if newton is not None:
            dx, dy = newton[0] - x, newton[1] - y
            for _ in range(_HALVINGS):
                c = _cost(items, x + dx, y + dy)
                if c <= allowed:
                    step = (c, x + dx, y + dy)
                    break
                dx, dy = dx / 2, dy / 2
        if step is None:
            c = _cost(items, *weiszfeld)
            if c > allowed:
                break
            step = (c, *weiszfeld)
        moved = max(abs(step[1] - x), abs(step[2] - y))
        cost, x, y = step
        if moved <= tolerance:
            break
    if max_iterations:
        # The median may be a vertex, which the steps only creep towards: a vertex near the
        # estimate is the median when the pull of the others is no more than its own weight.
        def away(item: tuple[Position, int]) -> float:
            return math.hypot(item[0][0] - x, item[0][1] - y)

        for (vx, vy), weight in sorted(items, key=away)[:_NEAREST]:
            if _pull(items, vx, vy) <= weight * (1 + 1e-12):
                return originals[(vx, vy)]
    return ox + x, oy + y


def _cost(items: list[tuple[Position, int]], x: float, y: float) -> float:
    return math.fsum(w * math.hypot(px - x, py - y) for (px, py), w in items)


def _steps(
    items: list[tuple[Position, int]], x: float, y: float, snap: float
) -> tuple[Position | None, Position | None]:
    """Newton's next estimate from (x, y) (None on a vertex or where the sum is flat) and
    Weiszfeld's (None when (x, y) is the median). An estimate within `snap` of a vertex is
    taken to be on it: there Weiszfeld's step stalls, Vardi and Zhang's does not."""
    (vx, vy), _ = min(items, key=lambda it: math.hypot(it[0][0] - x, it[0][1] - y))
    if math.hypot(vx - x, vy - y) <= snap:
        x, y = vx, vy
    sum_w = sum_x = sum_y = 0.0
    hxx = hxy = hyy = 0.0
    at_vertex = 0
    for (px, py), w in items:
        dx, dy = x - px, y - py
        d = math.hypot(dx, dy)
        if d == 0.0:
            at_vertex = w
            continue
        q = w / d
        sum_w += q
        sum_x += q * px
        sum_y += q * py
        q3 = q / (d * d)
        hxx += q - q3 * dx * dx
        hxy -= q3 * dx * dy
        hyy += q - q3 * dy * dy
    if sum_w == 0.0:
        return None, None
    tx, ty = sum_x / sum_w, sum_y / sum_w
    # The gradient of the sum of distances: sum of w (y - p) / |y - p|.
    gx, gy = x * sum_w - sum_x, y * sum_w - sum_y
    if at_vertex:
        # Vardi-Zhang: r is the pull of the other vertices; within the vertex's weight the
        # vertex is the median, else step off it along the pull.
        r = math.hypot(gx, gy)
        if r <= at_vertex:
            return None, (x, y)
        share = at_vertex / r
        return None, ((1 - share) * tx + share * x, (1 - share) * ty + share * y)
    det = hxx * hyy - hxy * hxy
    if det <= 0.0:
        return None, (tx, ty)
    newton = (x - (hyy * gx - hxy * gy) / det, y - (hxx * gy - hxy * gx) / det)
    return newton, (tx, ty)


def _pull(items: list[tuple[Position, int]], vx: float, vy: float) -> float:
    """|sum of w (p - v) / |p - v|| over the vertices p other than v."""
    sx = sy = 0.0
    for (px, py), w in items:
        d = math.hypot(px - vx, py - vy)
        if d != 0.0:
            sx += w * (px - vx) / d
            sy += w * (py - vy) / d
    return math.hypot(sx, sy)


class _Moments:
    """Running sums for the centroid: area (twice, signed), lines (length) and points."""

    def __init__(self, base: Position) -> None:
        self.bx, self.by = base
        self.area2 = self.area_x = self.area_y = 0.0
        self.length = self.line_x = self.line_y = 0.0
        self.points = 0
        self.point_x = self.point_y = 0.0

    def add_point(self, p: Position) -> None:
        self.points += 1
        self.point_x += p[0] - self.bx
        self.point_y += p[1] - self.by

    def add_line(self, line: list[Position]) -> None:
        bx, by = self.bx, self.by
        pts = [(x - bx, y - by) for x, y in line]
        self._segments(pairwise(pts), line)

    def _segments(self, pairs: Iterable[tuple[Position, Position]], line: list[Position]) -> None:
        total = sum_x = sum_y = 0.0
        for (x1, y1), (x2, y2) in pairs:
            seg = math.hypot(x2 - x1, y2 - y1)
            total += seg
            sum_x += seg * (x1 + x2)
            sum_y += seg * (y1 + y2)
        self.length += total
        self.line_x += sum_x / 2
        self.line_y += sum_y / 2
        if total == 0.0 and line:  # a line of one repeated position counts as a point
            self.add_point(line[0])

    def add_ring(self, ring: list[Position], hole: bool) -> None:
        bx, by = self.bx, self.by
        pts = [(x - bx, y - by) for x, y in ring]
        # Every edge, the closing one included (zero when the ring repeats its first position).
        edges = list(zip(pts, pts[1:] + pts[:1], strict=True))
        area2 = cx = cy = 0.0
        for (x1, y1), (x2, y2) in edges:
            cross = x1 * y2 - x2 * y1
            area2 += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        # Shells add their area and holes take theirs away, whatever the ring's orientation.
        sign = 1.0 if area2 >= 0 else -1.0
        if hole:
            sign = -sign
        self.area2 += sign * area2
        self.area_x += sign * cx
        self.area_y += sign * cy
        self._segments(edges, ring)

    def centroid(self) -> Position | None:
        if self.area2 != 0.0:
            x, y = self.area_x / (3 * self.area2), self.area_y / (3 * self.area2)
        elif self.length != 0.0:
            x, y = self.line_x / self.length, self.line_y / self.length
        elif self.points:
            x, y = self.point_x / self.points, self.point_y / self.points
        else:
            return None
        return self.bx + x, self.by + y


def centroid(geometry: dict[str, Any]) -> Position | None:
    """The centroid as GEOS defines it: of the areas when there is area (each polygon weighted
    by its area, holes taken away); else of the lines, weighted by length (polygons of no
    area count by their rings); else the mean of the points. None for an empty geometry."""
    pieces = list(parts(geometry))
    base = next((_first(kind, coords) for kind, coords in pieces if _first(kind, coords)), None)
    if base is None:
        return None
    moments = _Moments(base)
    for kind, coords in pieces:
        if kind == "Point":
            moments.add_point(coords)
        elif kind == "LineString":
            moments.add_line(coords)
        else:
            for i, ring in enumerate(coords):
                if ring:
                    moments.add_ring(ring, hole=i > 0)
    return moments.centroid()


def _first(kind: str, coords: Any) -> Position | None:
    if kind == "Point":
        return coords
    if kind == "LineString":
        return coords[0] if coords else None
    return next((ring[0] for ring in coords if ring), None)
