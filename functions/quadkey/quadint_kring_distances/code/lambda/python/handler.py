"""QUADINT_KRING_DISTANCES: the filled square ring around a quadint and the distances, as JSON.

A batch with one size (the usual query) whose origins are all valid is computed on every
origin at once (quadint_core.rings: column and row fields moved on 64-bit lanes) and written
by one JSON encoding of the whole batch; any other batch goes row by row through
`ring_text`, the definition, which also names the first row to refuse.
"""

from __future__ import annotations

from collections.abc import Sequence

from quadint_core import kring
from quadint_core.batch import one_size
from quadint_core.limits import VARCHAR_MAX_BYTES, digits
from quadint_core.rings import kring_columns, kring_distance_texts

from carto_runtime import RowError, batch_handler

# Bytes of an item besides the numbers: {"index": , "distance": } and ", ".
ITEM_OVERHEAD = 27
# The largest size no zoom refuses (zoom 29 has the longest quadints): a batch asking for
# more goes row by row, where each row is checked against its own zoom.
MAX_SIZE_ANY_ZOOM = max(
    k
    for k in range(100)
    if (2 * k + 1) ** 2 * (digits(29) + ITEM_OVERHEAD + len(str(k))) <= VARCHAR_MAX_BYTES
)


def ring_text(origin: int, size: int) -> str:
    """One row's result, every check in order: the definition the batch path must match."""
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


@batch_handler
def lambda_handler(rows: Sequence[Sequence[int]]) -> list[str]:
    size = one_size(rows, MAX_SIZE_ANY_ZOOM)
    if size is not None:
        columns = kring_columns([origin for origin, _ in rows], size)
        if columns is not None:
            return kring_distance_texts(columns, len(rows), size)
    out: list[str] = []
    try:
        for origin, size in rows:
            out.append(ring_text(origin, size))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out
