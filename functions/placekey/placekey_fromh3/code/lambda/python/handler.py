"""PLACEKEY_FROMH3: the placekey of a valid H3 cell index, NULL for anything else."""

from __future__ import annotations

from collections.abc import Sequence

from placekey_core import h3_to_placekey

from carto_runtime import batch_handler


@batch_handler
def lambda_handler(rows: Sequence[Sequence[str]]) -> list[str | None]:
    return [h3_to_placekey(h3index) for (h3index,) in rows]
