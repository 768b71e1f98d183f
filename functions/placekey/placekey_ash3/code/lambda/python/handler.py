"""PLACEKEY_ASH3: the H3 index of a valid placekey, NULL for anything else."""

from __future__ import annotations

from collections.abc import Sequence

from placekey_core import placekey_to_h3

from carto_runtime import batch_handler


@batch_handler
def lambda_handler(rows: Sequence[Sequence[str]]) -> list[str | None]:
    return [placekey_to_h3(placekey) for (placekey,) in rows]
