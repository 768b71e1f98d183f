"""MultiPoint input and GeoJSON output text for the processing functions, with size limits.

Coordinates are rounded to 10 decimals on the way in (as CARTO's functions do, so points
closer than that are one point) and on the way out. Output is written without spaces, and
its size is bounded from below before the work is done where the bound is cheap, so that an
input whose result cannot fit one VARCHAR(MAX) value is refused at once; the exact size is
checked once the text exists.
"""

from __future__ import annotations

# The standard library's parser: these functions read one value of at most 64 KB per row,
# where orjson would save well under a millisecond and cost its import on every cold start.
from json import loads

from delaunay_core.predicates import orient

TYPE_CHECKING = False
if TYPE_CHECKING:  # type names only, for type checkers
    from collections.abc import Iterable, Sequence

VARCHAR_MAX_BYTES = 65535
PRECISION = 10
NOT_MULTIPOINT = "Invalid operation: Input points parameter must be MultiPoint."


class ResultTooLarge(ValueError):
    """The result cannot fit one VARCHAR(MAX) value."""


def too_large(what: str, size: int, points: int, *, bound: bool) -> ResultTooLarge:
    """`bound`: `size` is a lower bound counted before computing, not the exact size."""
    return ResultTooLarge(
        f"the {what} of {points:,} distinct points takes {'at least ' if bound else ''}"
        f"{size:,} bytes; the limit is {VARCHAR_MAX_BYTES:,} bytes per row"
        " (one VARCHAR(MAX) value): use fewer points"
    )


def _number(value: object, where: str) -> float | int:
    # bool is an int subclass but not a coordinate.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"Invalid coordinate {value!r} in {where}: not a number")
    if isinstance(value, float) and value - value != 0.0:
        raise ValueError(f"Invalid coordinate {value!r} in {where}: not finite")
    if isinstance(value, int):
        if abs(value) > 2**53:
            raise ValueError(f"Invalid coordinate {value!r} in {where}: too large")
        return value
    return round(value, PRECISION) + 0.0  # + 0.0 turns -0.0 into 0.0


def parse_multipoint(text: str) -> list[tuple[float | int, float | int]]:
    """The points of a GeoJSON MultiPoint, rounded to 10 decimals, in order (Z/M dropped)."""
    try:
        geometry = loads(text)
    except ValueError:
        raise ValueError(f"Invalid GeoJSON text: {text[:60]!r}") from None
    if not isinstance(geometry, dict) or geometry.get("type") != "MultiPoint":
        raise ValueError(NOT_MULTIPOINT)
    coords = geometry.get("coordinates")
    if not isinstance(coords, list):
        raise ValueError("Invalid MultiPoint: coordinates must be a list of [x, y] positions")
    points = []
    for k, position in enumerate(coords, 1):
        if not isinstance(position, list) or len(position) < 2:
            raise ValueError(f"Invalid position {position!r} (point {k}): expected [x, y]")
        where = f"point {k}"
        points.append((_number(position[0], where), _number(position[1], where)))
    return points


def distinct(
    points: Iterable[tuple[float | int, float | int]],
) -> list[tuple[float | int, float | int]]:
    """First occurrence of each point, in input order (1 and 1.0 are the same point)."""
    seen: dict[tuple[float, float], None] = {}
    out = []
    for x, y in points:
        key = (float(x), float(y))
        if key not in seen:
            seen[key] = None
            out.append((x, y))
    return out


def number_text(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    return repr(round(value, PRECISION) + 0.0)


def position_text(x: float | int, y: float | int) -> str:
    return f"[{number_text(x)},{number_text(y)}]"


def hull_point_count(xs: Sequence[float], ys: Sequence[float]) -> int:
    """Points on the convex hull's boundary, collinear boundary points included (n >= 3,
    not all collinear): a triangulation of n points has exactly 2n - 2 - h triangles."""
    order = sorted(range(len(xs)), key=lambda i: (xs[i], ys[i]))

    def chain(indices: Iterable[int]) -> list[int]:
        out: list[int] = []
        for i in indices:
            # Pop only strict right turns: collinear boundary points stay on the chain.
            while (
                len(out) >= 2
                and orient(xs[out[-2]], ys[out[-2]], xs[out[-1]], ys[out[-1]], xs[i], ys[i]) < 0
            ):
                out.pop()
            out.append(i)
        return out

    lower, upper = chain(order), chain(reversed(order))
    return len(lower) + len(upper) - 2


def multi_text(kind: str, parts: Iterable[str]) -> str:
    return '{"type":"' + kind + '","coordinates":[' + ",".join(parts) + "]}"


def check_size(text: str, what: str, points: int) -> str:
    size = len(text)  # ASCII only: characters are bytes
    if size > VARCHAR_MAX_BYTES:
        raise too_large(what, size, points, bound=False)
    return text


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """[minx, miny, maxx, maxy] from JSON text, with minx < maxx and miny < maxy."""
    try:
        values = loads(text)
    except ValueError:
        values = None
    ok = (
        isinstance(values, list)
        and len(values) == 4
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        and all(float(v) - float(v) == 0.0 for v in values)
    )
    if ok:
        x0, y0, x1, y1 = (float(v) for v in values)
        if x0 < x1 and y0 < y1:
            return x0, y0, x1, y1
    raise ValueError(
        f"Invalid bbox {text[:80]}: expected [minx, miny, maxx, maxy] with finite numbers,"
        " minx < maxx and miny < maxy"
    )


def default_bbox(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float, float, float]:
    """CARTO's default box: the points' extent grown on every side by half its smaller side
    (0.5 for a single point). Where the smaller side is 0 (points on a vertical or horizontal
    line) half the larger side is used, so the box is never flat."""
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    w, h = maxx - minx, maxy - miny
    extent = min(w, h) * 0.5 if w > 0 and h > 0 else max(w, h) * 0.5
    if extent == 0.0:
        extent = 0.5
    return minx - extent, miny - extent, maxx + extent, maxy + extent
