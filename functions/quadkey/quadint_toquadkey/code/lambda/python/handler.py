"""QUADINT_TOQUADKEY: the quadkey of a quadint."""

from __future__ import annotations

from collections.abc import Sequence

from quadint_core import check_quadint, quadkey
from quadint_core.batch import quadkeys_text

from carto_runtime import EncodedResults, RowError, batch_handler


@batch_handler
def lambda_handler(rows: Sequence[Sequence[int]]) -> list[str] | EncodedResults:
    # every key of a batch of valid quadints at once, written as JSON (quadint_core.batch)
    try:
        text = quadkeys_text([quadint for (quadint,) in rows])
    except ValueError:  # a row of another width: the loop below names it
        text = None
    if text is not None:
        return EncodedResults.strings(text, b"7", len(rows))
    out: list[str] = []
    try:
        for (quadint,) in rows:
            out.append(quadkey(*check_quadint(quadint)))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out
