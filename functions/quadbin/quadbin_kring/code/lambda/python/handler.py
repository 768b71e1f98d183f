"""QUADBIN_KRING: the filled square ring around a cell, as JSON."""

from __future__ import annotations

from quadbin_core import check_cell, kring
from quadbin_core.limits import TooManyCells

from carto_runtime import redshift_handler

# The largest size whose ring fits in one 65,535-byte VARCHAR(MAX) result: (2k+1)^2 cells of
# 20 bytes each (19 digits and a comma).
MAX_SIZE = 28


@redshift_handler
def lambda_handler(origin: int, size: int) -> str:
    check_cell(origin)
    if size > MAX_SIZE:
        raise TooManyCells(
            f"a k-ring of size {size} has {(2 * size + 1) ** 2:,} cells; the limit is size "
            f"{MAX_SIZE} (one result must fit in a 65,535-byte VARCHAR(MAX))"
        )
    cells, _ = kring(origin, size)
    return "[" + ",".join(map(str, cells)) + "]"
