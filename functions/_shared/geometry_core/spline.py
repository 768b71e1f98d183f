"""turf's Bezier spline through the vertices of a line.

The algorithm of turf's `bezierSpline` (6.x), which CARTO's ST_BEZIERSPLINE documents: the
line's `resolution` is a duration in milliseconds, evenly shared by its segments; each segment
is a cubic Bezier curve whose control points come from the midpoints of the neighbouring
segments, pulled towards the vertex by `sharpness`. The curve is sampled every 10 ms, the
samples of every other 100 ms kept (times t with t // 100 even), and the end of the line
(time = resolution) is kept when resolution // 100 is even.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from geometry_core.geojson import Position

STEP_MS = 10
BLOCK_MS = 100


def kept_times(resolution: int) -> Iterator[int]:
    """The sample times whose points make the output line."""
    for t in range(0, resolution, STEP_MS):
        if (t // BLOCK_MS) % 2 == 0:
            yield t
    if (resolution // BLOCK_MS) % 2 == 0:
        yield resolution


def point_count(resolution: int) -> int:
    """len(list(kept_times(resolution))), in constant time: 10 samples per 200 ms, plus those
    of a last part-block, plus the end."""
    blocks, rest = divmod(resolution, 2 * BLOCK_MS)
    partial = min(BLOCK_MS // STEP_MS, -(-rest // STEP_MS))
    end = 1 if (resolution // BLOCK_MS) % 2 == 0 else 0
    return blocks * (BLOCK_MS // STEP_MS) + partial + end


def _controls(points: list[Position], sharpness: float) -> list[tuple[Position, Position]]:
    """Two control points per vertex (the curve's tangents in and out of it)."""
    centers = [((p[0] + q[0]) / 2, (p[1] + q[1]) / 2) for p, q in pairwise(points)]
    controls = [(points[0], points[0])]
    keep = 1.0 - sharpness
    for i in range(len(centers) - 1):
        p = points[i + 1]
        c1, c2 = centers[i], centers[i + 1]
        dx = p[0] - (c1[0] + c2[0]) / 2
        dy = p[1] - (c1[1] + c2[1]) / 2
        controls.append(
            (
                (keep * p[0] + sharpness * (c1[0] + dx), keep * p[1] + sharpness * (c1[1] + dy)),
                (keep * p[0] + sharpness * (c2[0] + dx), keep * p[1] + sharpness * (c2[1] + dy)),
            )
        )
    controls.append((points[-1], points[-1]))
    return controls


def spline(points: list[Position], resolution: int, sharpness: float) -> list[Position]:
    """The curved line through `points` (two or more), sampled as turf samples it."""
    controls = _controls(points, sharpness)
    segments = len(points) - 1
    out: list[Position] = []
    for time in kept_times(resolution):
        share = time / resolution
        if share >= 1:
            out.append(points[-1])
            continue
        n = int(segments * share)
        t = segments * share - n
        p1, c1 = points[n], controls[n][1]
        c2, p2 = controls[n + 1][0], points[n + 1]
        u = 1 - t
        tt = t * t  # grouped as turf groups them: the same floats
        b0, b1, b2, b3 = tt * t, 3 * tt * u, 3 * t * u * u, u * u * u
        out.append(
            (
                p2[0] * b0 + c2[0] * b1 + c1[0] * b2 + p1[0] * b3,
                p2[1] * b0 + c2[1] * b1 + c1[1] * b2 + p1[1] * b3,
            )
        )
    return out
