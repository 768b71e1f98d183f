"""QUADINT_FROMLONGLAT: the quadint of the tile containing a point.

One loop over the whole batch (quadint_core.points): the per-row arithmetic is a few float
operations, so per-row calls would cost more than it does.
"""

from __future__ import annotations

from quadint_core.points import fromlonglat_rows

from carto_runtime import batch_handler

lambda_handler = batch_handler(fromlonglat_rows)
