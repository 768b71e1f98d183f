"""Size limits of one result: a SUPER result leaves the Lambda as at most 65,535 bytes.

Quadints are not all the same length (a zoom 3 quadint has 4 digits, a zoom 29 one 19), so
the number of quadints that fit in one result depends on the zoom.
"""

from __future__ import annotations

from quadint_core.tiles import from_zxy

VARCHAR_MAX_BYTES = 65535


def digits(zoom: int) -> int:
    """Digits of the largest quadint of a zoom."""
    last = (1 << zoom) - 1
    return len(str(from_zxy(zoom, last, last)))


def max_cells(zoom: int, separator: str = ",") -> int:
    """How many quadints of `zoom` always fit in one JSON array result written with
    `separator` between them ("[q,q,...]" by default; json.dumps writes ", ").

    n quadints of d digits take n * d + (n - 1) * len(separator) + 2 bytes.
    """
    width = len(separator)
    return (VARCHAR_MAX_BYTES - 2 + width) // (digits(zoom) + width)


def too_many(what: str, count: int, limit: int, hint: str) -> ValueError:
    return ValueError(
        f"{what} would return {count:,} quadints; the limit is {limit:,} per row (one result "
        f"must fit in a 65,535-byte VARCHAR(MAX)). {hint}"
    )
