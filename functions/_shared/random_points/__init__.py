"""Random points inside a polygon, uniform on the sphere (standard library only).

Used by `random/st_generatepoints`. Candidates are drawn uniformly on the sphere within the
polygon's longitude/latitude bounding box (longitude uniform, sine of latitude uniform) and
kept when they fall inside the polygon (straight edges in longitude/latitude, even-odd rule,
holes excluded): rejection sampling, as CARTO's function samples. Before drawing anything the
request is checked: the number of points against the documented limit, the output against
VARCHAR(MAX), and the polygon's share of its box (exact, from its edges), so that a polygon
without area is refused instead of looping and a thin one fails fast with its share named.
"""

from random_points.polygon import Region, parse_region
from random_points.sample import MAX_POINTS, check_count, generate, max_output_bytes

__all__ = [
    "MAX_POINTS",
    "Region",
    "check_count",
    "generate",
    "max_output_bytes",
    "parse_region",
]
