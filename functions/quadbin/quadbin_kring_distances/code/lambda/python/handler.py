"""QUADBIN_KRING_DISTANCES: the filled square ring around a cell and the distances, as JSON."""

from __future__ import annotations

from quadbin_core import is_valid_cell, kring
from quadbin_core.limits import TooManyCells

from carto_runtime import redshift_handler

# The largest size whose ring fits in one 65,535-byte VARCHAR(MAX) result: (2k+1)^2 cells of
# about 44 bytes each ({"index":<19 digits>,"distance":<d>},).
MAX_SIZE = 18


@redshift_handler
def lambda_handler(origin: int, size: int) -> str:
    if not is_valid_cell(origin):
        raise ValueError(f"Invalid input origin: {origin} is not a quadbin cell")
    if size > MAX_SIZE:
        raise TooManyCells(
            f"a k-ring of size {size} has {(2 * size + 1) ** 2:,} cells; the limit is size "
            f"{MAX_SIZE} (one result must fit in a 65,535-byte VARCHAR(MAX))"
        )
    cells, width = kring(origin, size)
    # Chebyshev distance of position (i, j) in the square from its center (size, size).
    items = []
    for n, cell in enumerate(cells):
        j, i = divmod(n, width)
        distance = max(abs(i - size), abs(j - size))
        items.append(f'{{"index":{cell},"distance":{distance}}}')
    return "[" + ",".join(items) + "]"
