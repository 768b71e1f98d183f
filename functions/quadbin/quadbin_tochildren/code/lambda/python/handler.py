"""QUADBIN_TOCHILDREN: the children of a cell at a resolution, as a JSON array."""

from __future__ import annotations

from quadbin_core import MAX_CELLS, check_cell, children_count, int_array, to_children
from quadbin_core.limits import TooManyCells

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(quadbin: int, resolution: int) -> str:
    check_cell(quadbin)
    count = children_count(quadbin, resolution)
    if count > MAX_CELLS:
        raise TooManyCells(
            f"tochildren would return {count:,} cells; the limit is {MAX_CELLS:,} cells per row "
            "(one result must fit in a 65,535-byte VARCHAR(MAX)): ask for at most 5 levels more"
        )
    return int_array(to_children(quadbin, resolution))
