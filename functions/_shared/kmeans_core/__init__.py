"""k-means (Lloyd's algorithm) seeded from the first k distinct points, in pure Python.

Shared by `clustering/__clusterkmeans` and `clustering/__clusterkmeanstable`. Standard
library only. The algorithm is CARTO's: repeated points are moved after the distinct ones
(first occurrences keep their order), k is capped at the number of distinct points, the
initial centers are the first k points, and assignment and mean steps alternate until no
label changes. Cluster labels are the indices of those initial centers. A point equally near
two centers takes the lower index. A cluster left empty keeps its center (CARTO's numpy code
would turn it into NaN; no distinct-point seed empties a cluster on the first step).
"""

from __future__ import annotations

# The standard library's parser: these functions read one value of at most 64 KB per row,
# where orjson would save well under a millisecond and cost its import on every cold start.
from json import loads

TYPE_CHECKING = False
if TYPE_CHECKING:  # type names only, for type checkers
    from collections.abc import Sequence

VARCHAR_MAX_BYTES = 65535
PRECISION = 15  # CARTO's k-means reads coordinates rounded to 15 decimals
MAX_ITERATIONS = 10_000
NOT_MULTIPOINT = "Invalid operation: Input points parameter must be MultiPoint."

Point = tuple[float, float]


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"Invalid coordinate {value!r} in {where}: not a number")
    number = float(value)
    if number - number != 0.0:
        raise ValueError(f"Invalid coordinate {value!r} in {where}: not finite")
    return round(number, PRECISION) + 0.0  # + 0.0 turns -0.0 into 0.0


def _load(text: str, what: str) -> object:
    try:
        return loads(text)
    except ValueError:
        raise ValueError(f"Invalid {what} text: {text[:60]!r}") from None


def parse_multipoint(text: str) -> list[Point]:
    """The points of a GeoJSON MultiPoint, in order (Z/M dropped)."""
    geometry = _load(text, "GeoJSON")
    if not isinstance(geometry, dict) or geometry.get("type") != "MultiPoint":
        raise ValueError(NOT_MULTIPOINT)
    coords = geometry.get("coordinates")
    if not isinstance(coords, list):
        raise ValueError("Invalid MultiPoint: coordinates must be a list of [x, y] positions")
    points = []
    for k, position in enumerate(coords, 1):
        if not isinstance(position, list) or len(position) < 2:
            raise ValueError(f"Invalid position {position!r} (point {k}): expected [x, y]")
        points.append((_number(position[0], f"point {k}"), _number(position[1], f"point {k}")))
    return points


def parse_flat_coords(text: str) -> list[Point]:
    """Points from `{"_coords": [x1, y1, x2, y2, ...]}` (what CREATE_CLUSTERKMEANS sends)."""
    data = _load(text, "coordinates JSON")
    coords = data.get("_coords") if isinstance(data, dict) else None
    if not isinstance(coords, list):
        raise ValueError('Invalid input: expected {"_coords": [x1, y1, x2, y2, ...]}')
    if len(coords) % 2:
        raise ValueError(f"Invalid input: _coords holds {len(coords)} numbers, not x, y pairs")
    return list(zip(*[iter(_numbers(coords))] * 2, strict=True))


def _numbers(values: list[object]) -> list[float]:
    """Every value checked and rounded as `_number` does, in bulk: one pass to find the first
    bad value (named by its point), one to round."""
    if not all(type(v) is float or type(v) is int for v in values):
        bad = next(i for i, v in enumerate(values) if type(v) is not float and type(v) is not int)
        _number(values[bad], f"point {bad // 2 + 1}")  # raises, naming the point
    floats = [round(float(v), PRECISION) + 0.0 for v in values]
    if any(v - v != 0.0 for v in floats):
        bad = next(i for i, v in enumerate(floats) if v - v != 0.0)
        _number(values[bad], f"point {bad // 2 + 1}")
    return floats


def distinct_first(points: Sequence[Point]) -> list[int]:
    """Input positions reordered: each point's first occurrence, in order, then the repeats."""
    seen: set[Point] = set()
    first, repeats = [], []
    for i, p in enumerate(points):
        if p in seen:
            repeats.append(i)
        else:
            seen.add(p)
            first.append(i)
    return first + repeats


def check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"Invalid number of clusters {k}: should be at least 1")


def _nearest(x: float, y: float, centers: list[Point]) -> tuple[int, float, float]:
    """(index, squared distance) of the nearest center (lowest index on ties), and the squared
    distance of the second nearest (inf with one center)."""
    # One comprehension and two builtin scans: several times faster than a loop with tests.
    d = [(x - a) * (x - a) + (y - b) * (y - b) for a, b in centers]
    best_d = min(d)
    best = d.index(best_d)
    d[best] = _INF
    return best, best_d, min(d)


_INF = float("inf")
# Bounds are skipped on only with this relative margin, far above their rounding error, so a
# skipped point is one whose nearest center cannot have changed.
_MARGIN = 1e-9
# u < b * _SHRINK means u + m (u + b) < b: a bound b <= 0 never lets a point be skipped.
_SHRINK = (1.0 - _MARGIN) / (1.0 + _MARGIN)
_PAIR_LIMIT = 64


def _half_gaps(centers: list[Point]) -> list[float]:
    """For each center, half the distance to its nearest other center (inf when alone)."""
    from math import sqrt

    out = []
    for i, (x, y) in enumerate(centers):
        d = [(x - a) * (x - a) + (y - b) * (y - b) for a, b in centers]
        d[i] = _INF
        out.append(sqrt(min(d)) / 2.0)
    return out


def lloyd(points: Sequence[Point], k: int) -> list[int]:
    """Labels of Lloyd's k-means started from points[:k] (which must be distinct).

    Each assignment step gives exactly the labels of a full search (the nearest center by
    squared distance, lowest index on ties), but skips the points that Hamerly's bounds prove
    cannot change: an upper bound on the distance to their own center and a lower bound on
    the distance to every other, both moved by how far the centers moved.
    """
    from math import sqrt

    n = len(points)
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    cx, cy = xs[:k], ys[:k]
    labels = [0] * n
    upper = [0.0] * n
    lower = [0.0] * n
    centers = list(zip(cx, cy, strict=True))
    for i in range(n):
        best, best_d, second_d = _nearest(xs[i], ys[i], centers)
        labels[i], upper[i], lower[i] = best, sqrt(best_d), sqrt(second_d)
    for _ in range(MAX_ITERATIONS):
        sx, sy, count = [0.0] * k, [0.0] * k, [0] * k
        for x, y, c in zip(xs, ys, labels, strict=True):
            sx[c] += x
            sy[c] += y
            count[c] += 1
        moved = [0.0] * k
        for c in range(k):
            if count[c]:
                nx, ny = sx[c] / count[c], sy[c] / count[c]
                moved[c] = sqrt((nx - cx[c]) ** 2 + (ny - cy[c]) ** 2)
                cx[c], cy[c] = nx, ny
        # The largest move, and the largest move of any other center than that one.
        far = max(range(k), key=moved.__getitem__)
        far_move = moved[far]
        other_move = max((moved[c] for c in range(k) if c != far), default=0.0)
        drop = [far_move] * k
        drop[far] = other_move
        # The bounds of every point move at once (comprehensions: most points stop here).
        upper = [u + moved[a] for u, a in zip(upper, labels, strict=True)]
        lower = [low - drop[a] for low, a in zip(lower, labels, strict=True)]
        centers = list(zip(cx, cy, strict=True))
        # A point within half the distance from its center to the nearest other center stays
        # (Hamerly's second test); with many centers the pairs cost more than they save.
        half = _half_gaps(centers) if k <= _PAIR_LIMIT else [0.0] * k
        half_shrunk = [h * _SHRINK for h in half]
        # u >= max(low, half) * shrink, without max(): one short-circuited pass.
        suspects = [
            i
            for i, (u, low, a) in enumerate(zip(upper, lower, labels, strict=True))
            if u >= low * _SHRINK and u >= half_shrunk[a]
        ]
        changed = False
        for i in suspects:
            a = labels[i]
            b = max(lower[i], half[a]) * _SHRINK
            x, y = xs[i], ys[i]
            u = sqrt((x - cx[a]) ** 2 + (y - cy[a]) ** 2)
            upper[i] = u
            if u < b:
                continue
            best, best_d, second_d = _nearest(x, y, centers)
            upper[i], lower[i] = sqrt(best_d), sqrt(second_d)
            if best != a:
                labels[i] = best
                changed = True
        if not changed:
            break
    return labels


def clusters(points: Sequence[Point], k: int) -> tuple[list[int], list[int]]:
    """(order, labels): the input positions in CARTO's order (repeats last) and the cluster of
    each point in that order, k capped at the number of distinct points."""
    check_k(k)
    order = distinct_first(points)
    k = min(k, len(set(points)))
    if not points:
        return [], []
    return order, lloyd([points[i] for i in order], k)


def _float_text(value: float) -> str:
    return repr(value)


def cluster_geojson(points_text: str, k: int) -> str:
    """ST_CLUSTERKMEANS: `[{"cluster": c, "geom": {"type": "Point", "coordinates": [x, y]}}]`,
    points in CARTO's order (repeats moved last)."""
    check_k(k)
    points = parse_multipoint(points_text)
    fixed = len('{"cluster":,"geom":{"type":"Point","coordinates":[,]}}') + 1
    size = 1 + sum(len(_float_text(x)) + len(_float_text(y)) + fixed + 1 for x, y in points)
    if size > VARCHAR_MAX_BYTES:  # at least one digit per label: the result cannot fit
        raise _too_large(size, len(points))
    order, labels = clusters(points, k)
    parts = [
        f'{{"cluster":{c},"geom":{{"type":"Point","coordinates":'
        f"[{_float_text(points[i][0])},{_float_text(points[i][1])}]}}}}"
        for i, c in zip(order, labels, strict=True)
    ]
    text = "[" + ",".join(parts) + "]"
    if len(text) > VARCHAR_MAX_BYTES:
        raise _too_large(len(text), len(points), exact=True)
    return text


def cluster_table(coords_text: str, k: int) -> str:
    """__CLUSTERKMEANSTABLE: `[{"c": cluster, "i": position}]`, one per point, by its 1-based
    position in the input (not in the reordered list, which would label the wrong rows)."""
    check_k(k)
    points = parse_flat_coords(coords_text)
    n = len(points)
    # Exact but for the label digits, counted as one each: known before clustering.
    size = 2 + max(n - 1, 0) + sum(len('{"c":0,"i":}') + len(str(i)) for i in range(1, n + 1))
    if size > VARCHAR_MAX_BYTES:
        raise _too_large(size, n)
    order, labels = clusters(points, k)
    by_position = [0] * n
    for i, c in zip(order, labels, strict=True):
        by_position[i] = c
    text = "[" + ",".join(f'{{"c":{c},"i":{i}}}' for i, c in enumerate(by_position, 1)) + "]"
    if len(text) > VARCHAR_MAX_BYTES:
        raise _too_large(len(text), n, exact=True)
    return text


def _too_large(size: int, n: int, *, exact: bool = False) -> ValueError:
    return ValueError(
        f"the clusters of {n:,} points take {'' if exact else 'at least '}{size:,} bytes;"
        f" the limit is {VARCHAR_MAX_BYTES:,} bytes per row (one VARCHAR(MAX) value):"
        " use fewer points"
    )
