"""QUADBIN_BBOX: [west, south, east, north] of a quadbin cell, as JSON text."""

from __future__ import annotations

from collections.abc import Sequence

from quadbin_core.batch import bboxes_json

from carto_runtime import batch_handler


@batch_handler
def lambda_handler(rows: Sequence[Sequence[int]]) -> list[str]:
    return bboxes_json([cell for (cell,) in rows])
