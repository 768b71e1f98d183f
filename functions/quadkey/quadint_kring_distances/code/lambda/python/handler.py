"""QUADINT_KRING_DISTANCES: the filled square ring around a quadint and the distances, as JSON."""

from __future__ import annotations

from quadint_core import kring
from quadint_core.limits import VARCHAR_MAX_BYTES, digits

from carto_runtime import redshift_handler

# Bytes of an item besides the numbers: {"index": , "distance": } and ", ".
ITEM_OVERHEAD = 27


@redshift_handler
def lambda_handler(origin: int, size: int) -> str:
    z = origin & 31
    if size > 0:
        # Refuse before computing: every item is at most `item` bytes long.
        item = digits(z) + ITEM_OVERHEAD + len(str(size))
        total = (2 * size + 1) ** 2 * item
        if total > VARCHAR_MAX_BYTES:
            raise ValueError(
                f"a k-ring of size {size} at zoom {z} would take up to {total:,} bytes; the "
                f"limit is {VARCHAR_MAX_BYTES:,} bytes per row (one VARCHAR(MAX) result)"
            )
    ring = kring(origin, size)
    # Chebyshev distance of position (i, j) in the square from its center (size, size).
    return (
        "["
        + ", ".join(
            f'{{"index": {q}, "distance": {max(abs(i - size), abs(j - size))}}}' for q, i, j in ring
        )
        + "]"
    )
