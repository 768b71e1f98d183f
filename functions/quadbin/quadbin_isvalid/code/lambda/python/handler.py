"""QUADBIN_ISVALID: whether a BIGINT is a well-formed quadbin cell."""

from __future__ import annotations

from collections.abc import Sequence

from quadbin_core.batch import cells_validity

from carto_runtime import batch_handler


# NULL is answered (false), not propagated: CARTO's function has always said false for it.
@batch_handler(nulls="pass")
def lambda_handler(rows: Sequence[Sequence[int | None]]) -> list[bool]:
    # every verdict of the batch at once (see quadbin_core.batch.cells_validity)
    return cells_validity([cell for (cell,) in rows])
