"""QUADBIN_TOQUADKEY: the quadkey of a quadbin cell."""

from __future__ import annotations

from collections.abc import Sequence

from quadbin_core.batch import cells_to_quadkeys

from carto_runtime import batch_handler


@batch_handler
def lambda_handler(rows: Sequence[Sequence[int]]) -> list[str]:
    # every key of the batch at once (see quadbin_core.batch.cells_to_quadkeys)
    return cells_to_quadkeys([cell for (cell,) in rows])
