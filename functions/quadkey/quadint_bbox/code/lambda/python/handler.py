"""QUADINT_BBOX: [west, south, east, north] of a quadint tile, as JSON text.

The whole batch at once (quadint_core.corners): one loop for every tile's bounds, one
encoding for all the floats, one f-string a row. A batch with an invalid quadint goes row by
row through `bbox`, the definition, which names the first one.
"""

from __future__ import annotations

from collections.abc import Sequence

from quadint_core import check_quadint
from quadint_core.corners import bbox_texts, quadint_tiles, tile_corners
from quadint_core.geo import bbox_json

from carto_runtime import RowError, batch_handler


def bbox(quadint: int) -> str:
    """One row's result: the definition the batch path must match."""
    z, x, y = check_quadint(quadint)
    return bbox_json(x, y, z)


@batch_handler
def lambda_handler(rows: Sequence[Sequence[int]]) -> list[str]:
    tiles = quadint_tiles([quadint for (quadint,) in rows])
    if tiles is not None:
        return bbox_texts(tile_corners(*tiles))
    out: list[str] = []
    try:
        for (quadint,) in rows:
            out.append(bbox(quadint))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out
