"""QUADINT_KRING: the filled square ring around a quadint, as JSON."""

from __future__ import annotations

from quadint_core import kring
from quadint_core.limits import VARCHAR_MAX_BYTES, digits

from carto_runtime import redshift_handler

# Bytes of an item besides its quadint's digits: the ", " separator json.dumps writes.
ITEM_OVERHEAD = 2


@redshift_handler
def lambda_handler(origin: int, size: int) -> str:
    z = origin & 31
    if size > 0:
        # Refuse before computing: every item is at most `item` bytes long.
        item = digits(z) + ITEM_OVERHEAD
        total = (2 * size + 1) ** 2 * item
        if total > VARCHAR_MAX_BYTES:
            raise ValueError(
                f"a k-ring of size {size} at zoom {z} would take up to {total:,} bytes; the "
                f"limit is {VARCHAR_MAX_BYTES:,} bytes per row (one VARCHAR(MAX) result)"
            )
    ring = kring(origin, size)
    return "[" + ", ".join(str(q) for q, _, _ in ring) + "]"
