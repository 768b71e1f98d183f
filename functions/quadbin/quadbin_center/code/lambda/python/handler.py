"""QUADBIN_CENTER: the center of a quadbin cell, as GeoJSON text."""

from __future__ import annotations

from collections.abc import Sequence

from quadbin_core.batch import centers_geojson

from carto_runtime import batch_handler


@batch_handler
def lambda_handler(rows: Sequence[Sequence[int]]) -> list[str]:
    return centers_geojson([cell for (cell,) in rows])
