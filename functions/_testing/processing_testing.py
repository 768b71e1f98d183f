"""Reference computations for the processing and clustering function tests.

Everything here comes from the reference libraries (scipy's Qhull Delaunay and Voronoi,
shapely/GEOS for clipping, scikit-learn's KMeans) or from the definitions written out in
numpy (exact in-circle tests with fractions, Lloyd's steps), never from the code under test.
Point strategies are bounded: at most `MAX_POINTS` points, far below the output limit.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from scipy.spatial import Delaunay, Voronoi
from shapely.geometry import LineString, Polygon, box

MAX_POINTS = 60

# General position: six decimals of a continuous range make collinear or co-circular
# quadruples vanishingly rare; grid points make them common (ties are checked separately).
coordinate = st.floats(-180.0, 180.0, allow_nan=False).map(lambda v: round(v, 6))
general_points = st.lists(st.tuples(coordinate, coordinate), min_size=3, max_size=MAX_POINTS)
grid_points = st.lists(
    st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=3, max_size=MAX_POINTS
)


def multipoint(points: list[tuple[float, float]]) -> str:
    return json.dumps({"type": "MultiPoint", "coordinates": [list(p) for p in points]})


def distinct(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    seen: dict[tuple[float, float], None] = {}
    for x, y in points:
        seen.setdefault((float(x), float(y)), None)
    return list(seen)


def _exact_orient(a, b, c) -> int:
    det = (Fraction(b[0]) - Fraction(a[0])) * (Fraction(c[1]) - Fraction(a[1])) - (
        Fraction(b[1]) - Fraction(a[1])
    ) * (Fraction(c[0]) - Fraction(a[0]))
    return (det > 0) - (det < 0)


def exact_incircle(a, b, c, d) -> int:
    """Sign of the in-circle determinant in exact arithmetic (a, b, c counterclockwise)."""
    rows = []
    for p in (a, b, c):
        dx, dy = Fraction(p[0]) - Fraction(d[0]), Fraction(p[1]) - Fraction(d[1])
        rows.append((dx, dy, dx * dx + dy * dy))
    (a1, a2, a3), (b1, b2, b3), (c1, c2, c3) = rows
    det = a1 * (b2 * c3 - b3 * c2) - a2 * (b1 * c3 - b3 * c1) + a3 * (b1 * c2 - b2 * c1)
    return (det > 0) - (det < 0)


def all_collinear(points: list[tuple[float, float]]) -> bool:
    a, b = points[0], points[1]
    return all(_exact_orient(a, b, c) == 0 for c in points[2:])


def triangles_of(geojson: dict[str, Any]) -> list[tuple[tuple[float, float], ...]]:
    """The triangles of a Delaunay result (MultiLineString or MultiPolygon), checked closed."""
    rings = geojson["coordinates"]
    if geojson["type"] == "MultiPolygon":
        rings = [polygon[0] for polygon in rings]
    out = []
    for ring in rings:
        assert len(ring) == 4 and ring[0] == ring[3], ring
        out.append(tuple((float(x), float(y)) for x, y in ring[:3]))
    return out


def _orient(a, b, c) -> int:
    """Orientation sign: floating point where it is clearly right, fractions otherwise."""
    left = (b[0] - a[0]) * (c[1] - a[1])
    right = (b[1] - a[1]) * (c[0] - a[0])
    if abs(left - right) > 1e-12 * (abs(left) + abs(right)):
        return 1 if left > right else -1
    return _exact_orient(a, b, c)


def hull_boundary_count(points: list[tuple[float, float]]) -> int:
    """Points on the convex hull's boundary, collinear ones included (not all collinear):
    Andrew's monotone chains, dropping only strict right turns."""
    order = sorted(points)

    def chain(seq):
        out = []
        for p in seq:
            while len(out) >= 2 and _orient(out[-2], out[-1], p) < 0:
                out.pop()
            out.append(p)
        return out

    return len(chain(order)) + len(chain(order[::-1])) - 2


def check_delaunay(points: list[tuple[float, float]], triangles) -> None:
    """Exact checks of a Delaunay triangulation of the distinct `points`: every triangle
    counterclockwise and made of input points, every point used, the count 2n - 2 - h (so the
    triangles tile the hull), every edge shared by at most two triangles with opposite
    directions, and every shared edge locally Delaunay, which makes the whole triangulation
    Delaunay (Delaunay's lemma)."""
    point_set = set(points)
    n = len(points)
    assert len(triangles) == 2 * n - 2 - hull_boundary_count(points)
    used = set()
    directed: dict[tuple, tuple] = {}
    for a, b, c in triangles:
        assert {a, b, c} <= point_set
        used.update((a, b, c))
        assert _exact_orient(a, b, c) > 0, (a, b, c)
        for (p, q), r in (((a, b), c), ((b, c), a), ((c, a), b)):
            assert (p, q) not in directed, ("edge used twice in one direction", p, q)
            directed[(p, q)] = r
    assert used == point_set, ("points left out", point_set - used)
    for (p, q), r in directed.items():
        s = directed.get((q, p))
        if s is not None:
            assert exact_incircle(p, q, r, s) <= 0, ("edge not locally Delaunay", p, q, r, s)


def scipy_triangles(points: list[tuple[float, float]]) -> set[frozenset] | None:
    """Qhull's triangles as sets of points, or None when Qhull left a point out (coplanar)."""
    tri = Delaunay(np.array(points))
    if len(tri.coplanar):
        return None
    return {frozenset(points[i] for i in simplex) for simplex in tri.simplices}


def is_unique_delaunay(points: list[tuple[float, float]], triangles) -> bool:
    """The Delaunay triangulation is unique when no interior edge has its opposite vertices
    co-circular with it (checked exactly on the triangulation given)."""
    opposite: dict[frozenset, list] = {}
    for a, b, c in triangles:
        for (p, q), r in (((a, b), c), ((b, c), a), ((c, a), b)):
            opposite.setdefault(frozenset((p, q)), []).append(((p, q), r))
    for sides in opposite.values():
        if len(sides) == 2:
            ((p, q), r), (_, s) = sides
            if exact_incircle(p, q, r, s) == 0:
                return False
    return True


def far_points(bbox: tuple[float, float, float, float]) -> np.ndarray:
    """Four points so far from the box that their cells cannot reach it: each is more than
    twice the box's diameter away, so every place in the box is nearer to any input point."""
    x0, y0, x1, y1 = bbox
    size = max(x1 - x0, y1 - y0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    d = 10 * size
    return np.array([[cx - d, cy - d], [cx + d, cy - d], [cx + d, cy + d], [cx - d, cy + d]])


def scipy_cells(points: list[tuple[float, float]], bbox) -> list[Polygon]:
    """Qhull's Voronoi cell of each point, closed by far points, clipped to the box by GEOS."""
    vor = Voronoi(np.vstack([np.array(points), far_points(bbox)]))
    clip = box(*bbox)
    cells = []
    for i in range(len(points)):
        region = vor.regions[vor.point_region[i]]
        assert -1 not in region
        cells.append(Polygon(vor.vertices[region]).convex_hull.intersection(clip))
    return cells


def scipy_ridges(points: list[tuple[float, float]], bbox, min_length: float) -> list[LineString]:
    """Qhull's ridges between input points, clipped to the box; shorter ones left out."""
    vor = Voronoi(np.vstack([np.array(points), far_points(bbox)]))
    clip = box(*bbox)
    out = []
    for (i, j), verts in zip(vor.ridge_points, vor.ridge_vertices, strict=True):
        if i >= len(points) or j >= len(points):
            continue
        segment = LineString(vor.vertices[verts]).intersection(clip)
        if not segment.is_empty and segment.length > min_length:
            out.append(segment)
    return out


def lloyd_reference(points: np.ndarray, k: int) -> tuple[list[int], bool, float]:
    """Lloyd's steps from the first k points, written out in numpy: (labels, whether a
    cluster ever emptied, the smallest relative gap between a point's two nearest centers
    over every assignment). With no empty cluster and no near tie, scikit-learn agrees."""
    centers = points[:k].copy()
    labels = None
    emptied = False
    gap = np.inf
    for _ in range(10_000):
        d = ((points[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
        if k > 1:
            two = np.sort(d, axis=1)[:, :2]
            scale = np.maximum(two[:, 1], 1e-300)
            gap = min(gap, float(((two[:, 1] - two[:, 0]) / scale).min()))
        new = d.argmin(axis=1)
        if labels is not None and (new == labels).all():
            break
        labels = new
        for c in range(k):
            members = points[labels == c]
            if len(members):
                centers[c] = members.mean(axis=0)
            else:
                emptied = True
    return [int(v) for v in labels], emptied, gap


def carto_order(points: list[tuple[float, float]]) -> list[int]:
    """CARTO's k-means order: the first occurrence of each point, then the repeats."""
    seen: set[tuple[float, float]] = set()
    first, repeats = [], []
    for i, p in enumerate(points):
        (repeats if p in seen else first).append(i)
        seen.add(p)
    return first + repeats


def sklearn_labels(points: np.ndarray, k: int) -> list[int]:
    from sklearn.cluster import KMeans

    model = KMeans(
        n_clusters=k, init=points[:k], n_init=1, algorithm="lloyd", tol=0.0, max_iter=10_000
    )
    return [int(v) for v in model.fit(points).labels_]
