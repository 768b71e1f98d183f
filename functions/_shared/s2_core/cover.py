"""S2_POLYFILL_BBOX: s2sphere's RegionCoverer over a lat/lng rectangle, with a size limit.

The cover itself is s2sphere's (0.5 MB with `future`, imported only by the polyfill
function): CARTO's own dependency, so cells are the same, order included. What is added is
checked input and a refusal, before covering, of rectangles whose cover at `min_resolution`
could not fit one VARCHAR(MAX): below that level RegionCoverer keeps every cell, however many.
"""

from __future__ import annotations

from math import cos, isfinite, pi, radians, sin, sqrt

import s2sphere

from s2_core.cells import MAX_LEVEL, check_resolution

MAX_CELLS_DEFAULT = 8  # RegionCoverer's max_cells, as CARTO leaves it
# '[' + ids joined by ',' + ']', ids of up to 20 characters: 65,535 bytes hold 3,120.
MAX_CELLS = (65_535 - 1) // 21
# Cells of level L have at least MIN_AREA / 4**L steradians of area and at most MAX_DIAG / 2**L
# radians of diagonal (S2's quadratic projection: 8 * sqrt(2) / 9 and 2.438654594...).
MIN_AREA = 8 * sqrt(2) / 9
MAX_DIAG = 2.438654594434021


def check_bbox(min_lng: float, max_lng: float, min_lat: float, max_lat: float) -> None:
    for name, value, limit in (
        ("min_longitude", min_lng, 180),
        ("max_longitude", max_lng, 180),
        ("min_latitude", min_lat, 90),
        ("max_latitude", max_lat, 90),
    ):
        if type(value) not in (int, float) or not isfinite(value) or abs(value) > limit:
            raise ValueError(
                f"Invalid {name}: {value!r} (expected a number from -{limit} to {limit})"
            )


def check_levels(min_resolution: int, max_resolution: int) -> None:
    check_resolution(min_resolution)
    check_resolution(max_resolution)
    if max_resolution < min_resolution:
        raise ValueError(
            f"Maximum resolution ({max_resolution}) must be equal or greater than minimum "
            f"resolution ({min_resolution})"
        )


def cells_bound(
    min_lng: float, max_lng: float, min_lat: float, max_lat: float, level: int
) -> float:
    """An upper bound of how many cells of `level` meet the rectangle: the cells are disjoint,
    each of at least the level's minimum area, and all lie within one diagonal of the
    rectangle; the band around it is counted twice over for the sphere's curvature."""
    if min_lat > max_lat:
        return 0.0
    lat_lo, lat_hi = radians(min_lat), radians(max_lat)
    span = radians(max_lng - min_lng) if min_lng <= max_lng else radians(360 - min_lng + max_lng)
    area = (sin(lat_hi) - sin(lat_lo)) * span
    perimeter = 2 * (lat_hi - lat_lo) + span * (cos(lat_lo) + cos(lat_hi))
    diag = MAX_DIAG / (1 << level)
    band = 2 * perimeter * diag + 4 * pi * diag * diag
    return min(area + band, 4 * pi) / (MIN_AREA / (1 << (level << 1)))


def polyfill_bbox(
    min_lng: float,
    max_lng: float,
    min_lat: float,
    max_lat: float,
    min_resolution: int = 0,
    max_resolution: int = MAX_LEVEL,
) -> list[int]:
    """The signed ids of RegionCoverer's cover (at most 8 cells unless min_resolution needs
    more); a rectangle with min_lng > max_lng crosses the antimeridian, one with
    min_lat > max_lat is empty."""
    check_bbox(min_lng, max_lng, min_lat, max_lat)
    check_levels(min_resolution, max_resolution)
    bound = cells_bound(min_lng, max_lng, min_lat, max_lat, min_resolution)
    if bound > MAX_CELLS:
        raise ValueError(
            f"S2_POLYFILL_BBOX could return up to {bound:,.0f} cells of minimum resolution "
            f"{min_resolution} for this box; the limit is {MAX_CELLS:,} cells per row (one result "
            "must fit in a 65,535-byte VARCHAR(MAX)): lower min_resolution or use a smaller box"
        )
    coverer = s2sphere.RegionCoverer()
    coverer.min_level = min_resolution
    coverer.max_level = max_resolution
    rect = s2sphere.LatLngRect(
        s2sphere.LatLng(radians(min_lat), radians(min_lng)),
        s2sphere.LatLng(radians(max_lat), radians(max_lng)),
    )
    top = 1 << 63
    return [
        c - (top << 1) if c >= top else c
        for c in (cell.id() for cell in coverer.get_covering(rect))
    ]


def polyfill_json(
    min_lng: float,
    max_lng: float,
    min_lat: float,
    max_lat: float,
    min_resolution: int = 0,
    max_resolution: int = MAX_LEVEL,
) -> str:
    """S2_POLYFILL_BBOX's result: the cover as a JSON array text."""
    cells = polyfill_bbox(min_lng, max_lng, min_lat, max_lat, min_resolution, max_resolution)
    return "[" + ",".join(map(str, cells)) + "]"
