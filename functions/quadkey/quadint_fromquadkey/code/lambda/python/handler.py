"""QUADINT_FROMQUADKEY: the quadint of a quadkey."""

from __future__ import annotations

from functools import partial

from quadint_core import from_zxy, quadkey_to_zxy
from quadint_core.batch import from_quadkeys

from carto_runtime import batch_handler


def lambda_handler(quadkey: str) -> int:
    """One row: the definition."""
    return from_zxy(*quadkey_to_zxy(quadkey))


# The handler: a batch of valid keys is read at once (quadint_core.batch); any other goes row
# by row through the definition above, which names the first failing row (the name is kept,
# so a row with the wrong number of arguments is reported as before).
lambda_handler = batch_handler(partial(from_quadkeys, definition=lambda_handler))
