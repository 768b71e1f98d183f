"""S2_FROMTOKEN: the cell id (signed INT8) of a token."""

from __future__ import annotations

from collections.abc import Sequence

from s2_core.batch import from_tokens, per_row
from s2_core.cells import from_token

from carto_runtime import batch_handler


@batch_handler
def lambda_handler(rows: Sequence[Sequence[str]]) -> list[int]:
    # The whole batch at once when every row is plainly valid (see s2_core.batch); otherwise
    # row by row with the scalar definition, which names the row it refuses.
    try:
        tokens = [t for (t,) in rows]
    except (TypeError, ValueError):  # a row of another width
        return per_row(from_token, rows)
    done = from_tokens(tokens)
    return done if done is not None else per_row(from_token, rows)
