"""S2_RESOLUTION: a cell's level, 0-30."""

from __future__ import annotations

from collections.abc import Sequence

from s2_core.batch import levels_of, per_row
from s2_core.cells import check_cell

from carto_runtime import batch_handler


@batch_handler
def lambda_handler(rows: Sequence[Sequence[int]]) -> list[int]:
    # The whole batch at once when every row is plainly valid (see s2_core.batch); otherwise
    # row by row with the scalar definition, which names the row it refuses.
    try:
        cells = [c for (c,) in rows]
    except (TypeError, ValueError):  # a row of another width
        return per_row(check_cell, rows)
    done = levels_of(cells)
    return done if done is not None else per_row(check_cell, rows)
