"""Quadints on 64-bit lanes (the toolkit and its worked example: the `lanes64` shared lib).

Quadint i occupies lane i of one big integer; a valid quadint uses at most bits 0-62 of it.
Per-lane constants depend on the lane's zoom (its low 5 bits): tables indexed by zoom, spread
over the lanes by `lanes64.by_table`. This module adds what is particular to quadints: the
zoom bytes of a packed batch, its validity test, and the column and row fields per zoom.
"""

from __future__ import annotations

from lanes64 import (
    by_table,
    format_rows,
    json_arrays,
    pack_raw,
    repeat,
    row_major,
    unpack,
)

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds of every cold start
    from collections.abc import Sequence

MAX_ZOOM = 29
_ALL = (1 << 64) - 1
_LOW5 = bytes(b & 31 for b in range(256))

# Per zoom (0-31): the bits above a valid quadint's row (y < 2^z: the quadint is below
# 2^(2z + 5)); zooms 30 and 31 get every bit, which their own zoom bits already fail.
_ABOVE = tuple((_ALL & ~((1 << (2 * z + 5)) - 1)) if z <= MAX_ZOOM else _ALL for z in range(32))
# Per zoom: the column's bits (x << 5) and the row's bits (y << z + 5).
X_BITS = tuple(((1 << z) - 1) << 5 if z <= MAX_ZOOM else 0 for z in range(32))
Y_BITS = tuple(((1 << z) - 1) << (z + 5) if z <= MAX_ZOOM else 0 for z in range(32))

# The lanes' per-zoom constants: lanes64.by_table indexed by each lane's zoom byte.
by_zoom = by_table


def pack(values: Sequence[int]) -> tuple[int, bytes] | None:
    """(the values as lanes, each lane's zoom field as a byte) when every value is an int of 0
    to 2^64 - 1; None otherwise."""
    raw = pack_raw(values)
    if raw is None:
        return None
    return int.from_bytes(raw, "little"), raw[0::8].translate(_LOW5)


def all_valid(whole: int, zs: bytes) -> bool:
    """True if every lane holds a valid quadint (zoom 0-29, row inside the grid); the lanes
    come from `pack`, so none is negative."""
    return max(zs) <= MAX_ZOOM and not whole & by_zoom(_ABOVE, zs)


__all__ = [
    "MAX_ZOOM",
    "X_BITS",
    "Y_BITS",
    "all_valid",
    "by_zoom",
    "format_rows",
    "json_arrays",
    "pack",
    "repeat",
    "row_major",
    "unpack",
]
