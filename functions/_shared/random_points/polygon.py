"""A Polygon or MultiPolygon read from GeoJSON, as parts: each part's bounding box, its measure
on the sphere and a banded point-in-polygon test.

The test looks only at the edges of the point's latitude band (the part's height cut into up
to 1,024 bands), so a draw costs about the same for a polygon of 5 or 5,000 vertices.
"""

from __future__ import annotations

import math

_K = math.pi / 180.0  # degrees to radians
_NO_AREA_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString")
# Band counts are powers of two up to this; fewer when long edges would fill too many bands.
_MAX_BANDS = 1024

Ring = list[tuple[float, float]]
# (lowest latitude, highest latitude, longitude and latitude of one end, dlongitude/dlatitude)
Edge = tuple[float, float, float, float, float]


def _position(value: object) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) < 2:
        raise ValueError(f"Invalid position {value!r:.60}: expected [longitude, latitude]")
    x, y = value[0], value[1]
    for v in (x, y):
        if type(v) not in (int, float) or not math.isfinite(v):
            raise ValueError(f"Invalid position {value!r:.60}: coordinates must be finite numbers")
    if not -90.0 <= y <= 90.0:
        raise ValueError(f"Invalid latitude {y!r}: latitudes must be between -90 and 90")
    return float(x), float(y)


def _rings(polygon: object) -> list[Ring]:
    if not isinstance(polygon, list):
        raise ValueError("Invalid Polygon coordinates: expected a list of rings")
    rings = []
    for ring in polygon:
        if not isinstance(ring, list):
            raise ValueError("Invalid Polygon ring: expected a list of positions")
        points = [_position(p) for p in ring]
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()  # the closing position; every ring is closed implicitly
        rings.append(points)
    return rings


def _edge_measure(x1: float, y1: float, x2: float, y2: float) -> float:
    """The integral of sin(latitude) d(longitude) along a straight edge in degrees.

    Exact: with latitude linear in longitude it is dx * sin(mid) * sinc(half the latitude
    change) (cos a - cos b written as a product, so that short edges lose no digits)."""
    half = 0.5 * _K * (y2 - y1)
    sinc = math.sin(half) / half if half else 1.0
    return (x2 - x1) * math.sin(0.5 * _K * (y1 + y2)) * sinc


def _ring_measure(ring: Ring) -> float:
    """|integral over the ring's inside of cos(latitude) d(longitude) d(latitude)|, latitude in
    radians, longitude in degrees: by Green's theorem, minus the edges' integral of
    sin(latitude) d(longitude)."""
    total = 0.0
    for i in range(len(ring)):
        x1, y1 = ring[i - 1]
        x2, y2 = ring[i]
        total += _edge_measure(x1, y1, x2, y2)
    return abs(total)


def box_measure(west: float, east: float, south: float, north: float) -> float:
    """The measure of a longitude/latitude box, in the unit of `_ring_measure`."""
    return (east - west) * (math.sin(_K * north) - math.sin(_K * south))


class Part:
    """One polygon: its box, its measure and its edges banded by latitude.

    (Plain classes here: dataclasses would import re and inspect, milliseconds of a cold
    start.)"""

    __slots__ = ("_bands", "_scale", "east", "measure", "north", "south", "west")

    def __init__(self, west: float, east: float, south: float, north: float, measure: float):
        self.west, self.east, self.south, self.north = west, east, south, north
        # the integral of cos(latitude): the sphere's area element, up to a constant
        self.measure = measure
        self._scale = 0.0
        self._bands: list[list[Edge]] = []

    @property
    def box(self) -> float:
        return box_measure(self.west, self.east, self.south, self.north)

    def contains(self, x: float, y: float) -> bool:
        """Even-odd rule over the polygon's rings (holes out): the parity of the edges a ray
        towards +longitude crosses. An edge counts for latitudes in [low, high), so a vertex
        on the ray counts once."""
        i = int((y - self.south) * self._scale)
        bands = self._bands
        if i < 0 or i >= len(bands):
            return False
        inside = False
        for low, high, x0, y0, slope in bands[i]:
            if low <= y < high and x < x0 + (y - y0) * slope:
                inside = not inside
        return inside

    def in_box(self, x: float, y: float) -> bool:
        return self.west <= x <= self.east and self.south <= y <= self.north

    def index(self, edges: list[Edge]) -> None:
        height = self.north - self.south
        count = _MAX_BANDS if height > 0 else 1
        while True:
            scale = count / height if height > 0 else 0.0
            spans = [
                (int((lo - self.south) * scale), min(int((hi - self.south) * scale), count - 1))
                for lo, hi, _, _, _ in edges
            ]
            # Long edges sit in many bands: halve the bands until the copies stay near the
            # number of edges (a comb of full-height edges would otherwise copy each 1,024 times).
            if count == 1 or sum(b - a + 1 for a, b in spans) <= 8 * len(edges) + count:
                break
            count //= 2
        bands: list[list[Edge]] = [[] for _ in range(count)]
        for edge, (a, b) in zip(edges, spans, strict=True):
            for i in range(a, b + 1):
                bands[i].append(edge)
        self._scale, self._bands = scale, bands


def _part(rings: list[Ring]) -> Part | None:
    points = [p for ring in rings for p in ring]
    if not points:
        return None
    measure = 0.0
    edges: list[Edge] = []
    for n, ring in enumerate(rings):
        ring_measure = _ring_measure(ring)
        measure += ring_measure if n == 0 else -ring_measure  # holes after the shell
        for i in range(len(ring)):
            (xa, ya), (xb, yb) = ring[i - 1], ring[i]
            if ya != yb:  # a horizontal edge never crosses a horizontal ray
                edges.append((min(ya, yb), max(ya, yb), xa, ya, (xb - xa) / (yb - ya)))
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    part = Part(min(xs), max(xs), min(ys), max(ys), max(measure, 0.0))
    part.index(edges)
    return part


class Region:
    """The parts of a Polygon (one) or MultiPolygon, and what sampling them costs."""

    __slots__ = ("kind", "parts")

    def __init__(self, kind: str, parts: list[Part]) -> None:
        self.kind = kind
        self.parts = parts

    @property
    def measure(self) -> float:
        return sum(p.measure for p in self.parts)

    @property
    def share(self) -> float:
        """The probability that one draw is kept: a part is chosen by its measure and a point
        drawn uniformly on the sphere in its box, so the chance is the total measure over the
        sum of the boxes (exact when the parts do not overlap)."""
        boxes = sum(p.box for p in self.parts if p.measure > 0)
        measure = self.measure
        return measure / boxes if boxes > 0 and measure > 0 else 0.0

    def contains(self, x: float, y: float) -> bool:
        return any(p.in_box(x, y) and p.contains(x, y) for p in self.parts)


def parse_region(geometry: object) -> Region:
    """The Region of a GeoJSON Polygon or MultiPolygon (decoded); ValueError otherwise."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind == "Polygon":
        polygons = [geometry.get("coordinates")]
    elif kind == "MultiPolygon":
        polygons = geometry.get("coordinates")
        if not isinstance(polygons, list):
            raise ValueError("Invalid MultiPolygon coordinates: expected a list of polygons")
    elif kind in _NO_AREA_TYPES:
        raise ValueError(f"A {kind} has no area: pass a Polygon or MultiPolygon")
    else:
        raise ValueError(f"Unsupported geometry {kind!r:.40}: pass a Polygon or MultiPolygon")
    parts = [p for polygon in polygons if (p := _part(_rings(polygon))) is not None]
    if not parts:
        raise ValueError(f"The {kind} is empty: it has no area")
    return Region(kind, parts)
