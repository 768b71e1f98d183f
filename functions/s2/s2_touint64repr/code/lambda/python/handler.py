"""S2_TOUINT64REPR: an INT8 -> the unsigned decimal text of the same bits."""

from __future__ import annotations

from collections.abc import Sequence

from s2_core.batch import per_row, to_uint64_texts
from s2_core.cells import to_uint64_repr

from carto_runtime import batch_handler


@batch_handler
def lambda_handler(rows: Sequence[Sequence[int]]) -> list[str]:
    # The whole batch at once when every row is plainly valid (see s2_core.batch); otherwise
    # row by row with the scalar definition, which names the row it refuses.
    try:
        cells = [c for (c,) in rows]
    except (TypeError, ValueError):  # a row of another width
        return per_row(to_uint64_repr, rows)
    done = to_uint64_texts(cells)
    return done if done is not None else per_row(to_uint64_repr, rows)
