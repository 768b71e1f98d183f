"""QUADKEY_BBOX: [west, south, east, north] of a quadkey, as JSON text.

The whole batch at once (quadint_core.corners): every key read by one int() and its tile's
column and row taken apart on 64-bit lanes, then one loop for the bounds, one encoding for
all the floats and one f-string a row. A batch with an invalid quadkey goes row by row through
`bbox`, the definition, which names the first one.
"""

from __future__ import annotations

from collections.abc import Sequence

from quadint_core import quadkey_to_zxy
from quadint_core.corners import bbox_texts, quadkey_tiles, tile_corners
from quadint_core.geo import bbox_json

from carto_runtime import RowError, batch_handler


def bbox(quadkey: str) -> str:
    """One row's result: the definition the batch path must match."""
    z, x, y = quadkey_to_zxy(quadkey)
    return bbox_json(x, y, z)


@batch_handler
def lambda_handler(rows: Sequence[Sequence[str]]) -> list[str]:
    tiles = quadkey_tiles([quadkey for (quadkey,) in rows])
    if tiles is not None:
        return bbox_texts(tile_corners(*tiles))
    out: list[str] = []
    try:
        for (quadkey,) in rows:
            out.append(bbox(quadkey))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out
