"""QUADBIN_TOQUADKEY: the quadkey of a quadbin cell."""

from __future__ import annotations

from collections.abc import Sequence

from quadbin_core.batch import cells_to_quadkeys

from carto_runtime import EncodedResults, batch_handler


@batch_handler
def lambda_handler(rows: Sequence[Sequence[int]]) -> EncodedResults:
    # every key of the batch at once, as one JSON text (see quadbin_core.batch)
    return EncodedResults.strings(cells_to_quadkeys([cell for (cell,) in rows]), b",", len(rows))
