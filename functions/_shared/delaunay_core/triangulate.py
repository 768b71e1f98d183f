"""Delaunay triangulation of distinct points: a sweep-hull algorithm, O(n log n) expected.

Points are added in order of their distance from a seed point, so each new point lies outside
the convex hull of the points added before it (every earlier point is within that distance,
and a point on the circle of that radius can only touch the hull at a vertex, which would be
a duplicate). Each new point is joined to the hull edges it sees, and the new triangles are
made Delaunay by edge flips. The order is made exact where floating point could swap two
nearly equal distances, and the predicates are exact, so the result is a true Delaunay
triangulation for every input, collinear and co-circular points included (among co-circular
points any of the valid triangulations may come out).

Triangles are stored as a flat list of vertex indices, three per triangle, counterclockwise;
half-edge `e` runs from `triangles[e]` to the next vertex of its triangle, and `twins[e]` is
the opposite half-edge (-1 on the convex hull).
"""

from __future__ import annotations

import math

from delaunay_core.predicates import incircle, orient


class CollinearPoints(ValueError):
    """All points lie on one line: there is no triangle."""


def _pseudo_angle(dx: float, dy: float) -> float:
    """A monotonic stand-in for atan2, in [0, 1)."""
    p = dx / (abs(dx) + abs(dy))
    return (3.0 - p if dy > 0 else 1.0 + p) / 4.0


def _order_by_distance(xs: list[float], ys: list[float], seed: int) -> list[int]:
    """Indices sorted by their exact distance from the seed (ties by index), seed first."""
    x0, y0 = xs[seed], ys[seed]
    dist = [(x - x0) * (x - x0) + (y - y0) * (y - y0) for x, y in zip(xs, ys, strict=True)]
    order = sorted(range(len(xs)), key=dist.__getitem__)
    # Rounded squares can swap two distances that differ by a few ulps: re-sort every run of
    # nearly equal values by the exact distance, so the outside-the-hull invariant holds.
    i, n = 0, len(order)
    while i < n:
        j = i + 1
        limit = dist[order[i]] * (1.0 + 1e-12) + 1e-300
        while j < n and dist[order[j]] <= limit:
            j += 1
        if j - i > 1:
            from fractions import Fraction  # only where two distances nearly tie

            fx0, fy0 = Fraction(x0), Fraction(y0)
            run = order[i:j]
            run.sort(key=lambda k: ((Fraction(xs[k]) - fx0) ** 2 + (Fraction(ys[k]) - fy0) ** 2, k))
            order[i:j] = run
        i = j
    return order


class Triangulation:
    """The Delaunay triangulation of distinct points (refused when they are all collinear)."""

    def __init__(self, xs: list[float], ys: list[float]) -> None:
        n = len(xs)
        if n < 3:
            raise CollinearPoints("a triangulation needs at least 3 distinct points")
        self.xs, self.ys = xs, ys
        self.triangles: list[int] = []
        self.twins: list[int] = []
        self._build()

    # -- construction -------------------------------------------------------------------
    def _build(self) -> None:
        xs, ys = self.xs, self.ys
        n = len(xs)
        minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
        cx, cy = (minx + maxx) / 2.0, (miny + maxy) / 2.0
        i0 = min(range(n), key=lambda i: (xs[i] - cx) ** 2 + (ys[i] - cy) ** 2)
        order = _order_by_distance(xs, ys, i0)
        i1 = order[1]
        i2 = -1
        for k in order[2:]:
            if orient(xs[i0], ys[i0], xs[i1], ys[i1], xs[k], ys[k]) != 0:
                i2 = k
                break
        if i2 < 0:
            raise CollinearPoints("all points are collinear: there is no triangle")
        if orient(xs[i0], ys[i0], xs[i1], ys[i1], xs[i2], ys[i2]) < 0:
            i1, i2 = i2, i1

        # The hull is a ring of vertices, counterclockwise; hull_tri[v] is the half-edge of
        # the hull edge from v to hull_next[v]. A vertex off the hull has hull_next -1.
        self.hull_next = hull_next = [-1] * n
        self.hull_prev = hull_prev = [-1] * n
        self.hull_tri = hull_tri = [-1] * n
        hull_next[i0], hull_next[i1], hull_next[i2] = i1, i2, i0
        hull_prev[i0], hull_prev[i1], hull_prev[i2] = i2, i0, i1
        self._add(i0, i1, i2, -1, -1, -1)
        hull_tri[i0], hull_tri[i1], hull_tri[i2] = 0, 1, 2

        # An angular hash from a point inside the hull finds a hull vertex near each new
        # point's direction, so the walk to a visible edge is short.
        hx = (xs[i0] + xs[i1] + xs[i2]) / 3.0
        hy = (ys[i0] + ys[i1] + ys[i2]) / 3.0
        size = max(1, math.isqrt(n) + 1)
        hash_ = [-1] * size

        def key(v: int) -> int:
            dx, dy = xs[v] - hx, ys[v] - hy
            if dx == 0.0 and dy == 0.0:
                return 0
            return int(_pseudo_angle(dx, dy) * size) % size

        for v in (i0, i1, i2):
            hash_[key(v)] = v
        self._hull_start = i0

        for p in order[2:]:
            if p in (i1, i2):
                continue
            px, py = xs[p], ys[p]
            k = key(p)
            start = -1
            for j in range(size):
                cand = hash_[(k + j) % size]
                if cand != -1 and hull_next[cand] != -1:
                    start = cand
                    break
            start = hull_prev[start]
            e = start
            while orient(xs[e], ys[e], xs[hull_next[e]], ys[hull_next[e]], px, py) >= 0:
                e = hull_next[e]
                if e == start:
                    raise AssertionError("no visible hull edge: the insertion order is wrong")
            # Back to the first visible edge of the (contiguous) visible chain.
            while True:
                q = hull_prev[e]
                if orient(xs[q], ys[q], xs[e], ys[e], px, py) < 0 and q != hull_next[e]:
                    e = q
                else:
                    break
            first = e
            new_triangles = []
            prev_t = -1
            v = first
            while True:
                w = hull_next[v]
                if orient(xs[v], ys[v], xs[w], ys[w], px, py) >= 0:
                    break
                t = self._add(v, p, w, -1, -1, hull_tri[v])
                if prev_t >= 0:
                    self._link(prev_t + 1, t)  # p->v of the previous and v->p of this one
                new_triangles.append(t)
                prev_t = t
                if v != first:
                    hull_next[v] = -1  # v is now inside the hull
                v = w
            last = v
            hull_next[first], hull_prev[p] = p, first
            hull_next[p], hull_prev[last] = last, p
            hull_tri[first] = new_triangles[0]
            hull_tri[p] = new_triangles[-1] + 1
            self._hull_start = p
            for t in new_triangles:
                self._legalize(t + 2)
            hash_[key(p)] = p
            hash_[key(first)] = first

    def _add(self, a: int, b: int, c: int, ab: int, bc: int, ca: int) -> int:
        t = len(self.triangles)
        self.triangles += (a, b, c)
        self.twins += (-1, -1, -1)
        for e, twin in ((t, ab), (t + 1, bc), (t + 2, ca)):
            if twin >= 0:
                self._link(e, twin)
        return t

    def _link(self, a: int, b: int) -> None:
        self.twins[a] = b
        if b >= 0:
            self.twins[b] = a

    def _move_hull_edge(self, old: int, new: int) -> None:
        """A flip renumbered a hull half-edge: update the hull's reference to it."""
        hull_next, hull_tri = self.hull_next, self.hull_tri
        v = self._hull_start
        while True:
            if hull_tri[v] == old:
                hull_tri[v] = new
                return
            v = hull_next[v]
            if v == self._hull_start:
                return

    def _legalize(self, edge: int) -> None:
        """Flip edges until every one reachable from `edge` is locally Delaunay."""
        tri, twins, xs, ys = self.triangles, self.twins, self.xs, self.ys
        stack = [edge]
        while stack:
            a = stack.pop()
            b = twins[a]
            if b < 0:
                continue
            a0, b0 = a - a % 3, b - b % 3
            al, ar = a0 + (a + 1) % 3, a0 + (a + 2) % 3
            br, bl = b0 + (b + 1) % 3, b0 + (b + 2) % 3
            p0, pr, pl, p1 = tri[ar], tri[a], tri[al], tri[bl]
            if incircle(xs[pr], ys[pr], xs[pl], ys[pl], xs[p0], ys[p0], xs[p1], ys[p1]) <= 0:
                continue
            # Triangles (pr, pl, p0) and (pl, pr, p1) become (p1, pl, p0) and (p0, pr, p1).
            tri[a], tri[b] = p1, p0
            hbl, har = twins[bl], twins[ar]
            self._link(a, hbl)
            self._link(b, har)
            self._link(ar, bl)
            if hbl < 0:
                self._move_hull_edge(bl, a)
            if har < 0:
                self._move_hull_edge(ar, b)
            stack.append(a)
            stack.append(br)

    # -- results --------------------------------------------------------------------------
    def triangle_list(self) -> list[tuple[int, int, int]]:
        t = self.triangles
        return [(t[i], t[i + 1], t[i + 2]) for i in range(0, len(t), 3)]

    def hull(self) -> list[int]:
        """Hull vertices, counterclockwise (collinear boundary points included)."""
        out, v = [], self._hull_start
        while True:
            out.append(v)
            v = self.hull_next[v]
            if v == self._hull_start:
                return out

    def neighbours(self) -> list[set[int]]:
        """For each point, the points it shares a Delaunay edge with."""
        adj: list[set[int]] = [set() for _ in self.xs]
        t = self.triangles
        for i in range(0, len(t), 3):
            a, b, c = t[i], t[i + 1], t[i + 2]
            adj[a].update((b, c))
            adj[b].update((a, c))
            adj[c].update((a, b))
        return adj
