"""S2_TOPARENT: a cell's parent at a resolution, or one level up (one-argument rows)."""

from __future__ import annotations

from s2_core.batch import parents_of, per_row
from s2_core.cells import parent

from carto_runtime import batch_handler


@batch_handler
def lambda_handler(rows: list[list[int]]) -> list[int]:
    # The whole batch at once when every row is plainly valid (see s2_core.batch); otherwise
    # (one-argument rows included) row by row with the scalar definition, which names the
    # row it refuses.
    done = parents_of(rows)
    return done if done is not None else per_row(parent, rows)
