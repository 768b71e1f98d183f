"""QUADINT_TOQUADKEY: the quadkey of a quadint."""

from __future__ import annotations

from collections.abc import Sequence

from quadint_core import check_quadint, quadkey
from quadint_core.batch import to_quadkeys

from carto_runtime import RowError, batch_handler


@batch_handler
def lambda_handler(rows: Sequence[Sequence[int]]) -> list[str]:
    # every key of a batch of valid quadints at once (quadint_core.batch)
    try:
        keys = to_quadkeys([quadint for (quadint,) in rows])
    except ValueError:  # a row of another width: the loop below names it
        keys = None
    if keys is not None:
        return keys
    out: list[str] = []
    try:
        for (quadint,) in rows:
            out.append(quadkey(*check_quadint(quadint)))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out
