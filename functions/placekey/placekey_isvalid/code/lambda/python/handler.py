"""PLACEKEY_ISVALID: whether a text is a valid placekey."""

from __future__ import annotations

from collections.abc import Sequence

from placekey_core import is_valid_placekey

from carto_runtime import batch_handler


# NULL is answered (false), not propagated, as CARTO's function answers it.
@batch_handler(nulls="pass")
def lambda_handler(rows: Sequence[Sequence[str | None]]) -> list[bool]:
    return [placekey is not None and is_valid_placekey(placekey) for (placekey,) in rows]
