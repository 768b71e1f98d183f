"""Drawing the points, and the limits checked before any is drawn."""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from itertools import accumulate

from random_points.polygon import Region

MAX_POINTS = 1000  # ST_GENERATEPOINTS' documented limit
MAX_VARCHAR_BYTES = 65_535
# A request whose expected number of draws exceeds this is refused before drawing (the
# polygon fills too little of its bounding box); a run gives up after this many times its
# expected draws, which a valid polygon reaches with a probability below e^-20.
MAX_EXPECTED_DRAWS = 100_000
DRAWS_FACTOR = 20
# A share below this is a zero area up to rounding (a collinear ring measures about 1e-16 of
# its box); it would take at least 1e12 draws per point anyway.
NO_AREA_SHARE = 1e-12

_MULTI = '{"type": "MultiPoint", "coordinates": ['
_SINGLE = '{"type": "Point", "coordinates": '
# The longest text of a finite double (repr): "-2.2250738585072014e-308".
_MAX_FLOAT_CHARS = 24
_MAX_POSITION_CHARS = 1 + _MAX_FLOAT_CHARS + 2 + _MAX_FLOAT_CHARS + 1  # [x, y]


def max_output_bytes(count: int) -> int:
    """The most bytes the GeoJSON of `count` points can take (ASCII), whatever they are."""
    if count == 1:
        return len(_SINGLE) + _MAX_POSITION_CHARS + 1
    return len(_MULTI) + count * _MAX_POSITION_CHARS + 2 * max(count - 1, 0) + 2


def check_count(count: int) -> None:
    if type(count) is not int or not 0 <= count <= MAX_POINTS:
        raise ValueError(f"npoints must be between 0 and {MAX_POINTS:,}, got {count!r:.40}")
    size = max_output_bytes(count)
    if size > MAX_VARCHAR_BYTES:  # unreachable at 1,000 points (54,039 bytes), kept as a guard
        raise ValueError(
            f"{count:,} points could take {size:,} bytes, over the {MAX_VARCHAR_BYTES:,}-byte "
            "VARCHAR(MAX) limit"
        )


def generate(region: Region, count: int, rng: random.Random | None = None) -> str:
    """`count` points drawn uniformly on the sphere inside `region`, as GeoJSON text: a Point
    for one, a MultiPoint otherwise (empty for none).

    Each draw picks a part with a probability proportional to its measure, then a point
    uniformly on the sphere within the part's box (longitude uniform, sine of latitude
    uniform), kept when it is inside that part and in no earlier part (so that where parts
    overlap, the union is still sampled uniformly)."""
    check_count(count)
    share = region.share
    if share < NO_AREA_SHARE:
        raise ValueError(f"The {region.kind} has no area: points cannot be placed inside it")
    expected = count / share
    if expected > MAX_EXPECTED_DRAWS:
        raise ValueError(
            f"The {region.kind} covers {share:.3g} of its bounding box: {count:,} points "
            f"would take about {expected:,.0f} random draws, over the limit of "
            f"{MAX_EXPECTED_DRAWS:,}"
        )
    draw = (rng or random).random
    parts = [p for p in region.parts if p.measure > 0]
    cumulative = list(accumulate(p.measure for p in parts))
    total = cumulative[-1]
    k = math.pi / 180.0
    boxes = [
        (
            p.west,
            p.east - p.west,
            math.sin(k * p.south),
            math.sin(k * p.north) - math.sin(k * p.south),
        )
        for p in parts
    ]
    asin, degrees = math.asin, math.degrees
    positions = []
    budget = limit = int(DRAWS_FACTOR * expected) + 1000
    while len(positions) < count:
        if budget <= 0:
            raise ValueError(
                f"Gave up after {limit:,} random draws with {len(positions):,} of {count:,} "
                "points placed (is the polygon valid?)"
            )
        budget -= 1
        j = min(bisect_right(cumulative, total * draw()), len(parts) - 1) if len(parts) > 1 else 0
        west, width, low, span = boxes[j]
        x = west + width * draw()
        y = degrees(asin(min(1.0, low + span * draw())))
        if parts[j].contains(x, y) and not (
            j and any(p.in_box(x, y) and p.contains(x, y) for p in parts[:j])
        ):
            positions.append(f"[{x!r}, {y!r}]")
    if count == 1:
        return f"{_SINGLE}{positions[0]}}}"
    return f"{_MULTI}{', '.join(positions)}]}}"
