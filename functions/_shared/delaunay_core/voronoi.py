"""Voronoi cells clipped to a box, from the Delaunay neighbours of each point.

The cell of point i is the set of places nearer to i than to any other point: the box cut by
the half-plane of each Delaunay neighbour j (its other neighbours add nothing). Each cut is
one pass of Sutherland-Hodgman over a convex polygon, and every edge of the result remembers
what made it (a neighbour's index, or a negative number for a side of the box), so the ridge
between i and j is read off cell i as its edge labelled j. Points that are all collinear have
no triangle; their neighbours are the next points along the line.
"""

from __future__ import annotations

from itertools import pairwise

from delaunay_core.triangulate import CollinearPoints, Triangulation

Vertex = tuple[float, float, int]  # x, y, label of the edge that starts here


def neighbours(xs: list[float], ys: list[float]) -> list[set[int]]:
    """Delaunay neighbours of each distinct point (any number of points)."""
    n = len(xs)
    if n < 3:
        return [set(range(n)) - {i} for i in range(n)]
    try:
        return Triangulation(xs, ys).neighbours()
    except CollinearPoints:
        along = sorted(range(n), key=lambda i: (xs[i], ys[i]))
        adj: list[set[int]] = [set() for _ in range(n)]
        for a, b in pairwise(along):
            adj[a].add(b)
            adj[b].add(a)
        return adj


def _cut(
    poly: list[Vertex], mx: float, my: float, dx: float, dy: float, label: int
) -> list[Vertex]:
    """Keep the part of a convex polygon where (v - m) . d <= 0; the new edge gets `label`."""
    out: list[Vertex] = []
    count = len(poly)
    side = [(x - mx) * dx + (y - my) * dy for x, y, _ in poly]
    for k in range(count):
        x, y, lab = poly[k]
        s = side[k]
        nx, ny, _ = poly[(k + 1) % count]
        ns = side[(k + 1) % count]
        if s <= 0.0:
            if ns > 0.0:
                if s == 0.0:
                    out.append((x, y, label))
                else:
                    t = s / (s - ns)
                    out.append((x, y, lab))
                    out.append((x + t * (nx - x), y + t * (ny - y), label))
            else:
                out.append((x, y, lab))
        elif ns < 0.0:
            t = s / (s - ns)
            out.append((x + t * (nx - x), y + t * (ny - y), lab))
    return out


def cells(
    xs: list[float], ys: list[float], box: tuple[float, float, float, float]
) -> list[list[Vertex]]:
    """The Voronoi cell of each point inside box = (minx, miny, maxx, maxy), counterclockwise."""
    x0, y0, x1, y1 = box
    adj = neighbours(xs, ys)
    result = []
    for i, near in enumerate(adj):
        px, py = xs[i], ys[i]
        poly: list[Vertex] = [(x0, y0, -1), (x1, y0, -2), (x1, y1, -3), (x0, y1, -4)]
        # Nearest neighbours first: they cut the most, so later cuts see fewer vertices.
        for j in sorted(near, key=lambda j: (xs[j] - px) ** 2 + (ys[j] - py) ** 2):
            qx, qy = xs[j], ys[j]
            poly = _cut(poly, (px + qx) / 2.0, (py + qy) / 2.0, qx - px, qy - py, j)
            if not poly:
                break
        result.append(poly)
    return result


def ridges(
    cell_list: list[list[Vertex]],
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Each ridge inside the box once (from the cell of its lower-numbered point)."""
    out = []
    for i, poly in enumerate(cell_list):
        count = len(poly)
        for k in range(count):
            x, y, label = poly[k]
            if label > i:
                nx, ny, _ = poly[(k + 1) % count]
                out.append(((x, y), (nx, ny)))
    return out
