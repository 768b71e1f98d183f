"""QUADINT_TOPARENT: the quadint containing a quadint at a lower zoom."""

from __future__ import annotations

from functools import partial

from quadint_core import check_quadint, from_zxy
from quadint_core.batch import parents
from quadint_core.tiles import check_parent_zoom

from carto_runtime import batch_handler


def lambda_handler(quadint: int, resolution: int) -> int:
    """One row: the definition."""
    z, x, y = check_quadint(quadint)
    check_parent_zoom(z, resolution)
    shift = z - resolution
    return from_zxy(resolution, x >> shift, y >> shift)


# The handler: a batch of valid rows is computed on lanes (quadint_core.batch); any other goes
# row by row through the definition above, which names the first failing row (the name is
# kept, so a row with the wrong number of arguments is reported as before).
lambda_handler = batch_handler(partial(parents, definition=lambda_handler))
