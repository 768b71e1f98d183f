"""QUADBIN_KRING: the filled square ring around a cell, as JSON."""

from __future__ import annotations

from collections.abc import Sequence

from quadbin_core import is_valid_cell, kring
from quadbin_core.batch import json_rows, kring_cells
from quadbin_core.limits import TooManyCells

from carto_runtime import RowError, batch_handler

# The largest size whose ring fits in one 65,535-byte VARCHAR(MAX) result: (2k+1)^2 cells of
# 20 bytes each (19 digits and a comma).
MAX_SIZE = 28


def ring(origin: int, size: int) -> list[int]:
    """One row's ring, every check in order: the definition the batch path must match."""
    if not is_valid_cell(origin):
        raise ValueError(f"Invalid input origin: {origin} is not a quadbin cell")
    if size > MAX_SIZE:
        raise TooManyCells(
            f"a k-ring of size {size} has {(2 * size + 1) ** 2:,} cells; the limit is size "
            f"{MAX_SIZE} (one result must fit in a 65,535-byte VARCHAR(MAX))"
        )
    cells, _ = kring(origin, size)
    return cells


@batch_handler
def lambda_handler(rows: Sequence[Sequence[int]]) -> list[str]:
    # One size for the whole batch (the usual query) is computed on every cell at once;
    # anything else, or a batch with a row to refuse, goes row by row.
    try:
        sizes = {size for _, size in rows}
    except TypeError:  # a size that cannot be hashed: row by row says what fails
        sizes = set()
    if len(sizes) == 1:
        (size,) = sizes
        if type(size) is int and 0 <= size <= MAX_SIZE:
            columns = kring_cells([origin for origin, _ in rows], size)
            if columns is not None:
                return json_rows(columns)
    rings = []
    try:
        for origin, size in rows:
            rings.append("[" + ",".join(map(str, ring(origin, size))) + "]")
    except Exception as exc:
        raise RowError(len(rings), exc) from exc
    return rings
