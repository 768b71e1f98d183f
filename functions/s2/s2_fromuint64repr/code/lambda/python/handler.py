"""S2_FROMUINT64REPR: unsigned 64-bit decimal text -> the INT8 of the same bits."""

from __future__ import annotations

from collections.abc import Sequence

from s2_core.batch import from_uint64_texts, per_row
from s2_core.cells import from_uint64_repr

from carto_runtime import batch_handler


@batch_handler
def lambda_handler(rows: Sequence[Sequence[str]]) -> list[int]:
    # The whole batch at once when every row is plainly valid (see s2_core.batch); otherwise
    # row by row with the scalar definition, which names the row it refuses.
    try:
        texts = [t for (t,) in rows]
    except (TypeError, ValueError):  # a row of another width
        return per_row(from_uint64_repr, rows)
    done = from_uint64_texts(texts)
    return done if done is not None else per_row(from_uint64_repr, rows)
